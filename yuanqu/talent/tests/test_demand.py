"""紧缺人才: openings unfilled after 30 days, by chain and park, with their most asked skills, for what
the user may see of openings."""

from __future__ import annotations

import datetime as dt

from conftest import make_user
from yuanqu.core.roles import Role
from yuanqu.talent import queries
from yuanqu.talent.models import Interest, Opening
from yuanqu.talent.services.interests import interest_answer, interest_express, interest_outcome
from yuanqu.talent.tests.conftest import NOW, TODAY, TalentWorld

OLD = TODAY - dt.timedelta(days=40)


def test_it_lists_openings_unfilled_after_thirty_days_by_chain_and_park(tw: TalentWorld) -> None:
    firm = tw.world.users["enterprise"]
    tw.opening(title="视觉一", skill_tags=["机器视觉", "PLC"], headcount=3, valid_from=OLD)
    tw.opening(title="视觉二", skill_tags=["机器视觉"], headcount=2, valid_from=OLD)
    tw.opening(title="新岗位", skill_tags=["PLC"], valid_from=TODAY)  # too recent
    hired = tw.opening(title="已招到", skill_tags=["数控编程"], valid_from=OLD)
    person = tw.register("h@example.com", "录用甲")
    profile = tw.profile(person, name="录用甲", skill_tags=["数控编程"])
    interest = interest_express(actor=firm, opening=hired, profile=profile, now=NOW)
    interest_answer(actor=person, interest=interest, accept=True, now=NOW)
    interest_outcome(actor=firm, interest=Interest.objects.get(pk=interest.pk), outcome="hired", now=NOW)

    rows = queries.shortages(tw.world.users["city_viewer"], on=TODAY)
    assert [(row.chain, row.park, row.openings, row.headcount, row.tags) for row in rows] == [
        ("激光", tw.world.parks["PA"].name, 2, 5, (("机器视觉", 2), ("PLC", 1)))
    ]
    # The other district sees none of E1's openings.
    assert queries.shortages(tw.world.users["district_caidian"], on=TODAY) == []
    assert (
        Opening.objects.visible_to(make_user("t-h-e3", Role.ENTERPRISE, enterprise=tw.world.enterprises["E3"])).count()
        == 0
    )
