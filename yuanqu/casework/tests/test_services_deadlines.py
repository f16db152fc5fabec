"""Deadlines on real cases: counted from the day after acceptance across 国庆 and 春节 with their 调休
weekends, moved by the pause during 补正 and by approved extensions, renewed on reopening, and the
weekends-only fallback for a year the holiday table lacks — flagged, and recomputed once it is added."""

from __future__ import annotations

import datetime as dt

import pytest

from yuanqu.casework import clock, services
from yuanqu.casework.models import Case
from yuanqu.casework.selectors import work_calendar
from yuanqu.casework.services import (
    EXTENSION_AFTER_DEADLINE,
    NOTICE_AFTER_DEADLINE,
    NOTICE_TOO_LATE,
    CaseTransitionError,
)
from yuanqu.casework.sweep import sweep_recalculate
from yuanqu.core.models import CalendarDay, CalendarYear

from .conftest import CaseWorld, at

D = dt.date


@pytest.mark.parametrize(
    ("accepted", "category", "deadline"),
    [
        (at(2025, 9, 30, 16), "consult", D(2025, 10, 10)),  # 国庆: 9 Oct, 10 Oct
        (at(2025, 9, 30, 16), "assist", D(2025, 10, 21)),  # counts Saturday 11 Oct (调休上班)
        (at(2025, 1, 24, 9), "consult", D(2025, 1, 27)),  # Sunday 26 Jan is worked before 春节
        (at(2025, 1, 27, 9), "consult", D(2025, 2, 6)),  # 28 Jan – 4 Feb off
        (at(2026, 2, 13, 9), "assist", D(2026, 3, 5)),  # 14 Feb worked, 15–23 off, 28 Feb worked
    ],
)
def test_it_sets_the_deadline_from_the_day_after_acceptance(
    cw: CaseWorld, accepted: dt.datetime, category: str, deadline: dt.date
) -> None:
    chosen = cw.consult if category == "consult" else cw.assist
    case = cw.submit(when=accepted - dt.timedelta(hours=1), category=chosen, answers={"urgency": "一般"})
    case = cw.step(case, "accept", accepted, "handler")
    assert case.deadline == deadline
    assert case.deadline_uncovered is False
    assert f"{deadline:%Y年%m月%d日}" in case.events.get(action="accept").text


def test_it_moves_the_deadline_by_the_paused_working_days(cw: CaseWorld) -> None:
    case = cw.submit(when=at(2025, 3, 3, 9))
    case = cw.step(case, "accept", at(2025, 3, 3, 10), "handler")
    assert case.deadline == D(2025, 3, 17)
    case = cw.step(case, "notify_missing", at(2025, 3, 5, 10), "handler", items=["营业执照副本"])
    calendar = work_calendar()
    # While paused, the clock stands still: the days used stop at 4 and 5 March.
    assert services.working_days_used(case, calendar, D(2025, 3, 12)) == 2
    assert services.working_days_left(case, calendar, D(2025, 3, 12)) == 8
    assert not case.is_overdue(D(2025, 3, 31))
    case = cw.step(case, "supplement", at(2025, 3, 10, 15), "enterprise", text="已补正")
    # 6, 7 and 10 March did not count: three working days later than before.
    assert case.deadline == D(2025, 3, 20)
    assert "2025年03月20日" in case.events.get(action="supplement").text


def test_it_refuses_the_notice_after_the_notice_limit_or_the_deadline(cw: CaseWorld) -> None:
    case = cw.submit(when=at(2025, 3, 3, 9))
    case = cw.step(case, "accept", at(2025, 3, 3, 10), "handler")
    with pytest.raises(CaseTransitionError) as late:
        cw.step(case, "notify_missing", at(2025, 3, 11), "handler", items=["材料"])  # 6 working days
    assert late.value.messages == [NOTICE_TOO_LATE % {"days": 5}]
    consult = cw.submit(when=at(2025, 3, 3, 9), category=cw.consult, title="政策咨询")
    consult = cw.step(consult, "accept", at(2025, 3, 3, 10), "handler")  # deadline 5 March
    with pytest.raises(CaseTransitionError) as overdue:
        cw.step(consult, "notify_missing", at(2025, 3, 6), "handler", items=["材料"])
    assert overdue.value.messages == [NOTICE_AFTER_DEADLINE]


def test_it_extends_the_deadline_only_when_asked_in_time_and_approved(cw: CaseWorld) -> None:
    case = cw.to_status(Case.Status.IN_PROGRESS)  # accepted Monday 3 March 2025, deadline 17 March
    with clock.frozen(at(2025, 3, 18)), pytest.raises(CaseTransitionError) as late:
        services.case_request_extension(actor=cw.user("handler"), case=case, days=5, reason="需现场勘察")
    assert late.value.messages == [EXTENSION_AFTER_DEADLINE % {"deadline": "2025-03-17"}]
    with clock.frozen(at(2025, 3, 14)):
        approval = services.case_request_extension(actor=cw.user("handler"), case=case, days=5, reason="需现场勘察")
        event = case.events.get(action="extension_request")
        assert event.visible_to_enterprise and "需现场勘察" in event.text
        with pytest.raises(CaseTransitionError):
            services.case_request_extension(actor=cw.user("handler"), case=case, days=2, reason="再次")
    with clock.frozen(at(2025, 3, 18)):  # approval may come after the deadline; the request did not
        fresh = Case.objects.get(pk=case.pk)
        services.case_decide_approval(
            actor=cw.user("city_admin"), approval=approval, version=fresh.version, approve=True, note="同意"
        )
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.extension_days == 5 and fresh.deadline == D(2025, 3, 24)
    assert not fresh.is_overdue(D(2025, 3, 21))


def test_it_falls_back_to_weekends_in_an_uncovered_year_and_recalculates_later(cw: CaseWorld) -> None:
    case = cw.submit(when=at(2026, 12, 28, 9), category=cw.assist)
    case = cw.step(case, "accept", at(2026, 12, 28, 10), "handler")
    # 29–31 Dec 2026, then 2027 counted Monday–Friday: 1 (Friday!), 4–8, 11 Jan.
    assert case.deadline == D(2027, 1, 11)
    assert case.deadline_uncovered is True
    assert "2027年节假日安排尚未录入" in case.events.get(action="accept").text
    assert Case.objects.filter(deadline_uncovered=True).count() == 1
    # The State Council publishes 2027 (here: 1 January off, 4 January worked — a made-up schedule);
    # an admin enters it, and the sweep recomputes.
    CalendarDay.objects.create(date=D(2027, 1, 1), kind=CalendarDay.Kind.HOLIDAY, name="元旦")
    CalendarYear.objects.create(year=2027, source="国务院办公厅通知")
    with clock.frozen(at(2026, 12, 29)):
        assert sweep_recalculate(work_calendar()) == 1
        assert sweep_recalculate(work_calendar()) == 0  # idempotent
    case.refresh_from_db()
    assert case.deadline == D(2027, 1, 12) and case.deadline_uncovered is False
    assert case.events.filter(action="recalculate", visible_to_enterprise=True).exists()


def test_it_judges_the_reply_on_time_or_late(cw: CaseWorld) -> None:
    on_time = cw.to_status(Case.Status.IN_PROGRESS)
    on_time = cw.step(on_time, "reply", at(2025, 3, 17, 18), "handler", text="按期答复")
    assert on_time.finished_on_time is True
    late = cw.to_status(Case.Status.IN_PROGRESS)
    assert late.is_overdue(D(2025, 3, 18))
    late = cw.step(late, "reply", at(2025, 3, 18, 9), "handler", text="超期答复")
    assert late.finished_on_time is False and late.handling_working_days == 11


def test_it_measures_response_against_one_working_day(cw: CaseWorld) -> None:
    friday = cw.submit(when=at(2025, 9, 26, 17))  # due the worked Sunday 28 September
    assert friday.response_due == D(2025, 9, 28)
    late = cw.step(friday, "accept", at(2025, 9, 29, 9), "handler")
    assert late.response_on_time is False
