"""啄木鸟's cards on the 工作台: deadlines and the one-time-notice clock for the handler, what the
enterprise is asked to supply, and the overdue cases of a district's firms."""

from __future__ import annotations

import datetime as dt

from yuanqu.casework.cards import cards
from yuanqu.casework.models import Case
from yuanqu.casework.tests.conftest import CaseWorld


def _card(persona: str, cw: CaseWorld, today: dt.date, key: str):  # type: ignore[no-untyped-def]
    return next(card for card in cards(cw.user(persona), today) if card.key == key)


def test_it_lists_the_handlers_cases_with_deadline_and_notice_clock(cw: CaseWorld) -> None:
    case = cw.to_status(Case.Status.ACCEPTED)
    card = _card("handler", cw, dt.date(2025, 3, 4), "casework-queue")
    item = next(item for item in card.items if case.number in item.label)
    assert item.label == f"{case.number} 厂区用电增容"
    assert item.url == f"/casework/{case.number}/"
    assert f"办理期限 {case.deadline.isoformat()}" in item.note  # type: ignore[union-attr]
    assert "须在 2025-03-10 前一次性告知" in item.note  # accepted Monday 3 March; the pack allows five working days


def test_it_marks_a_case_past_its_deadline_late(cw: CaseWorld) -> None:
    case = cw.to_status(Case.Status.IN_PROGRESS)
    assert case.deadline is not None
    card = _card("handler", cw, case.deadline + dt.timedelta(days=3), "casework-queue")
    item = next(item for item in card.items if case.number in item.label)
    assert item.tone == "late"
    assert "已超期" in item.note
    assert [figure.value for figure in card.figures if str(figure.label) == "已超期"] == [1]


def test_it_tells_the_enterprise_what_to_supply(cw: CaseWorld) -> None:
    case = cw.to_status(Case.Status.AWAITING_SUPPLEMENT)
    card = _card("enterprise", cw, dt.date(2025, 3, 4), "casework-asked")
    assert [(item.label, item.note) for item in card.items] == [(f"{case.number} 厂区用电增容", "请补充：营业执照副本")]


def test_it_shows_a_district_the_overdue_cases_of_its_firms_only(cw: CaseWorld) -> None:
    case = cw.to_status(Case.Status.IN_PROGRESS)
    assert case.deadline is not None
    later = case.deadline + dt.timedelta(days=3)
    own = _card("district_jiangxia", cw, later, "casework-scope")
    other = _card("district_caidian", cw, later, "casework-scope")
    assert [item.tone for item in own.items] == ["late"]
    assert other.items == []
