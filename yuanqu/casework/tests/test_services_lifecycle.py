"""Every transition of the lifecycle, legal and illegal, through the services: who may take each step,
from which status, and what the timeline, the audit log and the notifications record."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.mail import EmailMessage
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from yuanqu.casework import clock, services
from yuanqu.casework.models import ApprovalRequest, Case, CaseEvent, Notification, Rating, Transfer
from yuanqu.casework.services import (
    ACTIONS,
    ILLEGAL_TRANSITION,
    NOTICE_ONCE,
    RATE_SATISFIED_CLOSES,
    TRANSFER_SAME_UNIT,
    CasePermissionError,
    CaseTransitionError,
)
from yuanqu.core.models import AuditLog
from yuanqu.jobs.testing import run_queued_tasks

from .conftest import CaseWorld, at

S = Case.Status


def test_it_runs_the_whole_closed_loop(cw: CaseWorld) -> None:
    case = cw.submit(when=at(2025, 9, 26, 9))
    assert case.status == S.SUBMITTED and case.number == "ZMN-2025-000001"
    assert case.receiving_unit == cw.world.unit
    assert case.response_due is not None
    assert case.response_due.isoformat() == "2025-09-28"  # the worked Sunday before 国庆

    case = cw.step(case, "accept", at(2025, 9, 26, 11), "handler")
    assert case.status == S.ACCEPTED and case.first_responder == cw.user("handler")
    assert case.response_on_time is True
    # 10 working days from Saturday 27 September: 28 Sep (worked Sunday), 29, 30, then 9–11 Oct …
    assert case.deadline is not None and case.deadline.isoformat() == "2025-10-16"

    case = cw.step(case, "assign", at(2025, 9, 26, 14), "handler", lead_unit=cw.world.unit, co_units=[cw.other_unit])
    assert case.status == S.ASSIGNED and list(case.co_units.all()) == [cw.other_unit]
    case = cw.step(case, "start", at(2025, 9, 28, 9), "handler_2")
    assert case.status == S.IN_PROGRESS
    case = cw.step(case, "reply", at(2025, 10, 10, 16), "handler_2", text="已协调供电公司，10月20日前完成增容。")
    assert case.status == S.REPLIED and case.finished_on_time is True
    assert case.handling_working_days == 5  # 28, 29, 30 Sep, 9, 10 Oct
    case = cw.step(
        case, "rate", at(2025, 10, 11, 9), "enterprise", level="very_satisfied", resolved=True, comment="响应很快"
    )
    assert case.status == S.CLOSED and case.satisfied is True and case.resolved is True
    assert case.closed_at is not None

    actions = list(case.events.values_list("action", flat=True))
    assert actions == ["submit", "accept", "assign", "start", "reply", "rate", "close"]
    # Six writes: rating and closing are one.
    assert AuditLog.objects.filter(object_type="casework.Case", object_id=str(case.pk)).count() == 6
    # The enterprise was told of acceptance and reply; the assigned units of the assignment.
    enterprise_notes = Notification.objects.filter(recipient=cw.user("enterprise")).values_list("kind", flat=True)
    assert set(enterprise_notes) == {"accepted", "replied"}
    assert Notification.objects.filter(recipient=cw.user("handler_zjj"), kind="assigned").exists()


def test_it_pauses_for_the_one_time_notice_and_resumes_on_supplement(cw: CaseWorld) -> None:
    case = cw.to_status(S.ACCEPTED)
    case = cw.step(case, "notify_missing", at(2025, 3, 4), "handler", items=["营业执照副本", "用电申请表", " "])
    assert case.status == S.AWAITING_SUPPLEMENT and case.is_paused
    assert case.notice_items == ["营业执照副本", "用电申请表"]
    case = cw.step(case, "supplement", at(2025, 3, 6), "enterprise", text="已上传")
    assert case.status == S.ACCEPTED and not case.is_paused
    assert case.pauses == [["2025-03-04", "2025-03-06"]]


def test_it_allows_the_one_time_notice_only_once(cw: CaseWorld) -> None:
    case = cw.to_status(S.AWAITING_SUPPLEMENT)
    case = cw.step(case, "supplement", at(2025, 3, 4), "enterprise", text="补正")
    with pytest.raises(CaseTransitionError) as error:
        cw.step(case, "notify_missing", at(2025, 3, 5), "handler", items=["再要一份"])
    assert error.value.messages == [NOTICE_ONCE]


def test_it_needs_a_supervisor_for_a_second_request_for_materials(cw: CaseWorld) -> None:
    case = cw.to_status(S.AWAITING_SUPPLEMENT)
    case = cw.step(case, "supplement", at(2025, 3, 4), "enterprise", text="补正")
    with clock.frozen(at(2025, 3, 5)):
        approval = services.case_request_clarification(
            actor=cw.user("handler"), case=case, items=["股东会决议"], reason="材料中发现新的问题"
        )
        assert Case.objects.get(pk=case.pk).status == S.ACCEPTED  # nothing happens before approval
        with pytest.raises(CasePermissionError):
            services.case_decide_approval(
                actor=cw.user("handler"), approval=approval, version=case.version, approve=True
            )
        fresh = Case.objects.get(pk=case.pk)
        services.case_decide_approval(
            actor=cw.user("city_admin"), approval=approval, version=fresh.version, approve=True
        )
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.status == S.AWAITING_SUPPLEMENT and fresh.is_paused
    visible = fresh.events.filter(action=CaseEvent.Action.CLARIFICATION, visible_to_enterprise=True)
    assert "股东会决议" in visible.get().text


def test_it_transfers_with_a_reason_and_counts_it(cw: CaseWorld) -> None:
    case = cw.to_status(S.IN_PROGRESS)
    with pytest.raises(CaseTransitionError) as error:
        cw.step(case, "transfer", at(2025, 3, 4), "handler", to_unit=cw.world.unit, reason="不属本单位职责")
    assert error.value.message_dict == {"lead_unit": [TRANSFER_SAME_UNIT]}
    with pytest.raises(CaseTransitionError):
        cw.step(case, "transfer", at(2025, 3, 4), "handler", to_unit=cw.other_unit, reason="  ")
    case = cw.step(case, "transfer", at(2025, 3, 4), "handler", to_unit=cw.other_unit, reason="属规划审批事项")
    assert case.status == S.ASSIGNED and case.lead_unit == cw.other_unit
    transfer = Transfer.objects.get(case=case)
    assert (transfer.from_unit, transfer.to_unit) == (cw.world.unit, cw.other_unit)
    event = case.events.get(action="transfer")
    assert event.visible_to_enterprise and "属规划审批事项" not in event.text and "属规划审批事项" in event.note
    # The old unit's handler can no longer act; the new unit's can.
    with pytest.raises(CasePermissionError):
        cw.step(case, "start", at(2025, 3, 5), "handler")
    assert cw.step(case, "start", at(2025, 3, 5), "handler_zjj").status == S.IN_PROGRESS


@pytest.mark.parametrize("next_step", ["reopen", "appeal", "close"])
def test_it_lets_an_unsatisfied_enterprise_reopen_appeal_or_close(cw: CaseWorld, next_step: str) -> None:
    case = cw.to_status(S.REPLIED)
    case = cw.step(
        case,
        "rate",
        at(2025, 3, 6),
        "enterprise",
        level="dissatisfied",
        resolved=False,
        comment="仍未解决",
        next_step=next_step,
    )
    rating = Rating.objects.get(case=case)
    assert rating.satisfied is False
    assert rating.follow_up_due is not None and rating.follow_up_due.isoformat() == "2025-03-13"
    expected = {"reopen": S.IN_PROGRESS, "appeal": S.APPEALED, "close": S.CLOSED}[next_step]
    assert case.status == expected
    if next_step == "reopen":
        assert case.reopen_count == 1 and case.finished_on_time is None
        assert case.deadline is not None
        assert case.deadline.isoformat() == "2025-03-20"  # a new limit of 10 working days from 6 March
        case = cw.step(case, "reply", at(2025, 3, 10), "handler", text="再次协调，已解决。")
        assert case.handling_working_days == 1 + 2  # first cycle 1 day, second 2 days


def test_it_refuses_to_reopen_after_a_satisfied_rating(cw: CaseWorld) -> None:
    case = cw.to_status(S.REPLIED)
    with pytest.raises(CaseTransitionError) as error:
        cw.step(case, "rate", at(2025, 3, 6), "enterprise", level="satisfied", resolved=True, next_step="reopen")
    assert error.value.message_dict == {"next_step": [RATE_SATISFIED_CLOSES]}


@pytest.mark.parametrize(("upheld", "status"), [(True, S.IN_PROGRESS), (False, S.CLOSED)])
def test_it_decides_an_appeal(cw: CaseWorld, upheld: bool, status: str) -> None:
    case = cw.to_status(S.APPEALED)
    with pytest.raises(CasePermissionError):
        cw.step(case, "decide_appeal", at(2025, 3, 7), "handler", upheld=upheld, text="复核")
    case = cw.step(case, "decide_appeal", at(2025, 3, 7), "district_jiangxia", upheld=upheld, text="经复核")
    assert case.status == status


def test_it_records_the_follow_up_of_a_bad_rating(cw: CaseWorld) -> None:
    case = cw.to_status(S.REPLIED)
    case = cw.step(case, "rate", at(2025, 3, 6), "enterprise", level="very_dissatisfied", resolved=False)
    assert "follow_up" in services.available_actions(cw.user("handler"), case)
    cw.step(case, "follow_up", at(2025, 3, 7), "handler", note="已电话回访，约定下周现场协调")
    assert Rating.objects.get(case=case).followed_up_at is not None
    with pytest.raises(CaseTransitionError):
        cw.step(case, "follow_up", at(2025, 3, 7), "handler", note="再次")


def test_it_hands_over_the_first_responder(cw: CaseWorld) -> None:
    case = cw.to_status(S.ACCEPTED)
    with pytest.raises(CaseTransitionError):  # the enterprise is not staff
        cw.step(case, "hand_over", at(2025, 3, 4), "handler", to_user=cw.user("enterprise"), reason="调岗")
    case = cw.step(case, "hand_over", at(2025, 3, 4), "handler", to_user=cw.user("handler_2"), reason="调岗")
    assert case.first_responder == cw.user("handler_2")
    assert case.events.get(action="handover").visible_to_enterprise


def test_it_closes_an_unrated_reply_and_lets_an_enterprise_withdraw(cw: CaseWorld) -> None:
    replied = cw.to_status(S.REPLIED)
    assert cw.step(replied, "close", at(2025, 3, 20), "handler").status == S.CLOSED  # the first responder
    withdrawn = cw.to_status(S.AWAITING_SUPPLEMENT)
    withdrawn = cw.step(withdrawn, "withdraw", at(2025, 3, 5), "enterprise", reason="问题已自行解决")
    assert withdrawn.status == S.WITHDRAWN and not withdrawn.is_paused
    assert withdrawn.pauses == [["2025-03-03", "2025-03-05"]]


def test_it_closes_pending_approvals_when_the_case_is_answered(cw: CaseWorld) -> None:
    case = cw.to_status(S.IN_PROGRESS)
    with clock.frozen(at(2025, 3, 4)):
        approval = services.case_request_extension(actor=cw.user("handler"), case=case, days=3, reason="待外部鉴定")
    cw.step(case, "reply", at(2025, 3, 4), "handler", text="已办理")
    approval.refresh_from_db()
    assert approval.status == ApprovalRequest.Status.REFUSED


# Every action from every status: legal where the table says so, refused with the message otherwise.
ACTOR_FOR = {
    "accept": "handler",
    "reject": "handler",
    "notify_missing": "handler",
    "supplement": "enterprise",
    "assign": "city_admin",
    "start": "handler",
    "transfer": "handler",
    "reply": "handler",
    "rate": "enterprise",
    "decide_appeal": "city_admin",
    "close": "city_admin",
    "withdraw": "enterprise",
}
ARGS: dict[str, dict[str, Any]] = {
    "reject": {"reason": "不属受理范围"},
    "notify_missing": {"items": ["营业执照"]},
    "supplement": {"text": "补正"},
    "assign": {},
    "start": {},
    "transfer": {"reason": "职责调整"},
    "reply": {"text": "答复"},
    "rate": {"level": "satisfied", "resolved": True},
    "decide_appeal": {"upheld": False, "text": "维持"},
    "close": {},
    "withdraw": {},
    "accept": {},
}
SERVICE_ACTION = {"notify_missing": "notice"}
ALL_STATUSES = [
    S.SUBMITTED,
    S.ACCEPTED,
    S.AWAITING_SUPPLEMENT,
    S.ASSIGNED,
    S.IN_PROGRESS,
    S.REPLIED,
    S.APPEALED,
    S.CLOSED,
    S.REJECTED,
    S.WITHDRAWN,
]


@pytest.mark.parametrize("status", ALL_STATUSES)
@pytest.mark.parametrize("verb", sorted(ACTOR_FOR))
def test_each_transition_is_legal_only_from_its_statuses(cw: CaseWorld, status: str, verb: str) -> None:
    case = cw.to_status(status)
    # The table's actor must have the right regardless of status for the refusal to be about status;
    # handlers act on their own unit's cases, so give the case a lead unit where it has none.
    if case.lead_unit_id is None:
        Case.objects.filter(pk=case.pk).update(lead_unit=cw.world.unit)
    kwargs = dict(ARGS[verb])
    if verb == "assign":
        kwargs["lead_unit"] = cw.world.unit
    if verb == "transfer":
        kwargs["to_unit"] = cw.other_unit
    legal = status in ACTIONS[SERVICE_ACTION.get(verb, verb)].statuses
    when = at(2025, 3, 6, 15)
    if legal:
        result = cw.step(case, verb, when, ACTOR_FOR[verb], **kwargs)
        assert result.version == case.version + 1 or verb in {"assign", "transfer"}
        assert result.events.latest("id").status_after == result.status
    else:
        with pytest.raises(CaseTransitionError) as error:
            cw.step(case, verb, when, ACTOR_FOR[verb], **kwargs)
        label = ACTIONS[SERVICE_ACTION.get(verb, verb)].label
        assert error.value.messages == [ILLEGAL_TRANSITION % {"status": S(status).label, "action": label}]
        assert Case.objects.get(pk=case.pk).status == status


@pytest.mark.parametrize(
    ("verb", "persona"),
    [
        ("accept", "enterprise"),
        ("accept", "city_viewer"),
        ("accept", "handler_zjj"),
        ("accept", "auditor"),
        ("accept", "district_caidian"),
        ("rate", "handler"),
        ("withdraw", "handler"),
        ("withdraw", "enterprise_e2"),
    ],
)
def test_it_refuses_actors_without_the_right(cw: CaseWorld, verb: str, persona: str) -> None:
    case = cw.to_status(S.REPLIED if verb == "rate" else S.SUBMITTED)
    kwargs = {"level": "satisfied", "resolved": True} if verb == "rate" else {}
    with pytest.raises(CasePermissionError):
        cw.step(case, verb, at(2025, 3, 4), persona, **kwargs)


def test_a_park_operator_and_a_district_may_accept_in_their_scope(cw: CaseWorld) -> None:
    first = cw.submit(when=at(2025, 3, 3))
    assert cw.step(first, "accept", at(2025, 3, 3), "park_operator").first_responder == cw.user("park_operator")
    second = cw.submit(when=at(2025, 3, 3), title="招工难")
    assert cw.step(second, "accept", at(2025, 3, 3), "district_jiangxia").status == S.ACCEPTED


def test_it_emails_the_people_it_notifies_after_commit(
    cw: CaseWorld, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks, mailoutbox: list[EmailMessage]
) -> None:
    firm = cw.user("enterprise")
    firm.email = "contact@example.com"
    firm.save(update_fields=["email"])
    case = cw.submit(when=at(2025, 3, 3))
    with django_capture_on_commit_callbacks(execute=True):
        cw.step(case, "accept", at(2025, 3, 3, 11), "handler")
    assert mailoutbox == []  # the worker sends it
    run_queued_tasks()
    assert [message.to for message in mailoutbox] == [["contact@example.com"]]
    assert case.number in mailoutbox[0].subject and "已受理" in mailoutbox[0].body
    assert Notification.objects.get(recipient=firm, kind="accepted").emailed_at is not None
