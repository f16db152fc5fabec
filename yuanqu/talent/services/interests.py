"""A firm's interest in a person, the person's answer and what came of it. The contact passes to the
firm only after the person accepts (`interest_contact`, itself an audited read); every step is in
the audit log without any personal field."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.core.audit import audit_record
from yuanqu.core.contract.errors import Conflict
from yuanqu.core.models import AuditLog, User
from yuanqu.core.permissions import WriteDenied
from yuanqu.core.roles import Role
from yuanqu.core.transitions import status_move
from yuanqu.notifications import services as notices
from yuanqu.talent import matching, queries
from yuanqu.talent.models import Interest, Opening, Profile
from yuanqu.talent.services.common import check_firm, check_talent

OPENING_CLOSED = gettext_noop("该岗位已关闭或已过有效期，不能发起用人意向")
NOT_OWN_OPENING = gettext_noop("只能为本企业发布的岗位发起用人意向")
NOT_FINDABLE = gettext_noop("该人才未向贵企业公开档案")
ALREADY_ASKED = gettext_noop("已就该岗位向此人才发起过用人意向")
NOT_OWN_INTEREST = gettext_noop("这不是发给您的用人意向")
NOT_PENDING = gettext_noop("该用人意向已答复")
NOT_ACCEPTED = gettext_noop("对方接受用人意向后才能查看联系方式或反馈结果")
OUTCOME_UNKNOWN = gettext_noop("结果“%(value)s”不是可选项")
DETAIL_CONTACT = "企业查看已接受意向的人才联系方式"
NOTICE_KIND = "talent_interest"
NOTICE_ASKED = "企业“{firm}”对您发出用人意向（岗位：{title}）"
NOTICE_ANSWERED = "人才档案 {profile} {answer}贵企业的用人意向（岗位：{title}）"
notices.kinds_register({NOTICE_KIND: gettext_noop("人才直通车：用人意向及其答复")})


@transaction.atomic
def interest_express(*, actor: User, opening: Opening, profile: Profile, now: dt.datetime) -> Interest:
    check_firm(actor)
    if opening.enterprise_id != actor.enterprise_id:
        raise WriteDenied(_(NOT_OWN_OPENING), code="not_own_opening")
    if opening.status != Opening.Status.OPEN or opening.valid_to < timezone.localdate(now):
        raise Conflict(_(OPENING_CLOSED))
    if not queries.findable_by(opening).filter(pk=profile.pk).exists():
        raise WriteDenied(_(NOT_FINDABLE), code="not_findable")
    match = matching.match(queries.opening_facts(opening), queries.profile_facts(profile), queries.segmenter())
    try:
        with transaction.atomic():
            interest = Interest.objects.create(
                opening=opening,
                profile=profile,
                score=match.score,
                explanation=match.explanation[:300],
                created_by=actor,
                created_at=now,
            )
    except IntegrityError as exc:
        raise Conflict(_(ALREADY_ASKED)) from exc
    audit_record(
        actor=actor,
        action=AuditLog.Action.CREATE,
        obj=interest,
        after={"opening": opening.pk, "profile": profile.pk, "status": interest.status, "score": interest.score},
    )
    notices.notification_send(
        recipients=[profile.user],
        kind=NOTICE_KIND,
        title=NOTICE_ASKED.format(firm=opening.enterprise.name, title=opening.title),
        link=reverse("talent:home"),
        at=now,
    )
    return interest


@transaction.atomic
def interest_answer(*, actor: User, interest: Interest, accept: bool, now: dt.datetime) -> Interest:
    """The person accepts (the firm then sees the contact) or declines."""
    check_talent(actor)
    if interest.profile is None or interest.profile.user_id != actor.pk:
        raise WriteDenied(_(NOT_OWN_INTEREST), code="not_own_interest")
    status = Interest.Status.ACCEPTED if accept else Interest.Status.DECLINED
    status_move(
        actor=actor,
        row=interest,
        before=Interest.Status.PENDING,
        after=status,
        refused=_(NOT_PENDING),
        columns={"decided_at": now},
    )
    opening = interest.opening
    notices.notification_send(
        recipients=User.objects.filter(role=Role.ENTERPRISE, enterprise_id=opening.enterprise_id, is_active=True),
        kind=NOTICE_KIND,
        title=NOTICE_ANSWERED.format(
            profile=interest.profile_id, answer="接受了" if accept else "谢绝了", title=opening.title
        ),
        link=reverse("talent:opening", args=[opening.pk]),
        at=now,
    )
    interest.refresh_from_db()
    return interest


def _check_firm_interest(actor: User, interest: Interest) -> None:
    check_firm(actor)
    if interest.opening.enterprise_id != actor.enterprise_id:
        raise WriteDenied(_(NOT_OWN_OPENING), code="not_own_opening")
    if interest.status != Interest.Status.ACCEPTED or interest.profile is None:
        raise WriteDenied(_(NOT_ACCEPTED), code="not_accepted")


@transaction.atomic
def interest_contact(*, actor: User, interest: Interest) -> tuple[str, str]:
    """The name and contact of a person who accepted the firm's interest; the read is audited."""
    _check_firm_interest(actor, interest)
    profile = interest.profile
    assert profile is not None
    audit_record(actor=actor, action=AuditLog.Action.READ, obj=interest, detail=DETAIL_CONTACT)
    return profile.name, profile.contact


@transaction.atomic
def interest_outcome(*, actor: User, interest: Interest, outcome: str, now: dt.datetime) -> Interest:
    """The firm reports an interview or a hire (the platform's outcome figures)."""
    _check_firm_interest(actor, interest)
    if outcome not in Interest.Outcome.values or not outcome:
        raise ValidationError({"outcome": _(OUTCOME_UNKNOWN) % {"value": outcome[:20]}})
    before = interest.outcome
    Interest.objects.filter(pk=interest.pk).update(outcome=outcome, outcome_at=now)
    audit_record(
        actor=actor, action=AuditLog.Action.UPDATE, obj=interest, before={"outcome": before}, after={"outcome": outcome}
    )
    interest.refresh_from_db()
    return interest
