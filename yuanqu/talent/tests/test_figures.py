"""The outcome figures by chain and park: applicants per opening, hires and time to fill (median days
from posting to the first reported hire), over the openings each role may see."""

from __future__ import annotations

import datetime as dt

from yuanqu.talent import selectors
from yuanqu.talent.services.interests import interest_answer, interest_express, interest_outcome
from yuanqu.talent.tests.conftest import NOW, TalentWorld


def test_applicants_hires_and_time_to_fill_by_chain_and_park(tw: TalentWorld) -> None:
    filled = tw.opening(title="视觉工程师")
    tw.opening(title="工艺工程师")
    firm = tw.world.users["enterprise"]
    for index, name in enumerate(("甲", "乙", "丙")):
        person = tw.register(f"flow{index}@example.com", name)
        profile = tw.profile(person, name=name)
        interest = interest_express(actor=firm, opening=filled, profile=profile, now=NOW)
        interest_answer(actor=person, interest=interest, accept=index < 2, now=NOW)
        if index == 0:
            interest_outcome(actor=firm, interest=interest, outcome="hired", now=NOW + dt.timedelta(days=12))
        if index == 1:
            interest_outcome(actor=firm, interest=interest, outcome="interviewed", now=NOW + dt.timedelta(days=3))

    park = tw.world.parks["PA"].name
    expected = [selectors.Flow("激光", park, openings=2, applicants=2, hires=1, per_opening=1.0, days_to_fill=12)]
    assert selectors.flows(tw.world.users["city_admin"]) == expected
    assert selectors.flows(tw.world.users["district_jiangxia"]) == expected
    assert selectors.flows(tw.world.users["district_caidian"]) == []
    assert selectors.flows(tw.world.users["city_admin"], since=NOW.date() + dt.timedelta(days=1)) == []
    page = tw.world.client("city_admin").get("/talent/").content.decode()
    assert "招聘成效（按产业链与园区）" in page and "<td>12</td>" in page


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two() -> None:
    assert selectors._median([10, 2, 4, 30]) == 7
    assert selectors._median([]) is None
