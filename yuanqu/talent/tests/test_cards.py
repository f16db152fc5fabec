"""人才直通车's cards on the 工作台: a firm's people waiting for an outcome, teams waiting to be selected
and events it takes part in; an organiser's events whose figures are not yet recorded."""

from __future__ import annotations

import datetime as dt

from yuanqu.core.workbench import cards_for
from yuanqu.talent import cards
from yuanqu.talent.services import challenges, events
from yuanqu.talent.services.interests import interest_answer, interest_express
from yuanqu.talent.tests.conftest import NOW, TODAY, TalentWorld


def test_a_firm_and_an_organiser_see_what_waits_for_them(tw: TalentWorld) -> None:
    firm = tw.world.users["enterprise"]
    assert cards.cards(firm, TODAY) == []
    opening = tw.opening(title="视觉工程师")
    person = tw.register("card@example.com", "卡片甲")
    interest = interest_express(actor=firm, opening=opening, profile=tw.profile(person, name="卡片甲"), now=NOW)
    interest_answer(actor=person, interest=interest, accept=True, now=NOW)
    data = challenges.ChallengeData(title="散热难题", description="热管理", reward=10, deadline=TODAY)
    challenge = challenges.challenge_create(actor=firm, data=data, now=NOW)
    team = challenges.team_create(actor=person, challenge=challenge, name="一队", proposal="", now=NOW)
    challenges.team_apply(actor=person, team=team, now=NOW)
    operator = tw.world.users["park_operator"]
    event = events.event_create(
        actor=operator, data=events.EventData(title="专场招聘会", park="PA", starts_on=TODAY, ends_on=TODAY), now=NOW
    )
    events.event_firm_add(actor=operator, event=event, uscc=tw.world.enterprises["E1"].uscc)

    (card,) = cards.cards(firm, TODAY)
    assert [(figure.label, figure.value) for figure in card.figures] == [
        ("待反馈结果", 1),
        ("待选定的揭榜团队", 1),
        ("参加的专项招聘", 1),
    ]
    assert [item.url for item in card.items] == [
        f"/talent/openings/{opening.pk}/",
        f"/talent/challenges/{challenge.pk}/",
        f"/talent/events/{event.pk}/",
    ]
    assert "talent-firm" in [found.key for found in cards_for(firm, TODAY)]

    (held,) = cards.cards(operator, TODAY)
    assert (held.key, held.items[0].label, held.items[0].tone) == ("talent-events", "专场招聘会", "due")
    assert cards.cards(operator, TODAY + dt.timedelta(days=1))[0].items[0].tone == "late"
    assert cards.cards(tw.world.users["district_caidian"], TODAY) == []
    events.event_outcome(actor=operator, event=event, figures=events.EventFigures(5, 3, 1, 1), now=NOW)
    assert cards.cards(operator, TODAY) == []
    assert cards.cards(tw.world.users["auditor"], TODAY) == []
