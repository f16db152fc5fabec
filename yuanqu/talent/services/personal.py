"""Personal data under 个人信息保护法: staff read a profile masked and unmask it only with a reason
(each unmasking audited, without the values); a person withdraws consent and everything about them
goes (profile, consent, account, pending codes; the firms' interest rows stay without the person; the
person's own audit entries lose their client address); a profile idle past the retention limit goes
the same way (`profiles_expire`, run by `yuanqu talent_retention`)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.core.audit import audit_record
from yuanqu.core.models import AuditLog, User
from yuanqu.talent.models import Consent, Profile, Verification
from yuanqu.talent.services.common import check_staff, check_talent, clean_text

REASON_REQUIRED = gettext_noop("查看个人信息明文须填写事由")
DETAIL_UNMASKED = "查看人才档案个人信息明文，事由：{reason}"
DETAIL_WITHDRAWN = "撤回个人信息处理同意，档案与账号已删除"
# Who withdrew, once the account is gone: a description, never the person's login name or address.
ACTOR_WITHDRAWN = "本人撤回同意（账户已删除）"
ACTOR_EXPIRED = "保存期限届满（平台自动删除）"
DETAIL_EXPIRED = "档案超过保存期限（{days}天未登录），档案与账号已删除"


@transaction.atomic
def profile_unmask(*, actor: User, profile: Profile, reason: str) -> tuple[str, str]:
    """The name and contact in clear, for a city administrator who states why."""
    check_staff(actor)
    why = clean_text(reason, field="reason", label="事由", limit=100, required=False)
    if not why:
        raise ValidationError({"reason": _(REASON_REQUIRED)})
    audit_record(actor=actor, action=AuditLog.Action.READ, obj=profile, detail=DETAIL_UNMASKED.format(reason=why))
    return profile.name, profile.contact


def _erase(user: User, *, actor: User | None, actor_name: str, detail: str) -> None:
    """Delete the person: profile (the interest rows keep their firm's side, `profile` set null),
    consents, codes sent to the same contact, the account; their audit entries keep what was done
    but lose the client address. The entry recording the deletion names the profile by number only."""
    profile = Profile.objects.filter(user=user).first()
    profile_id = profile.pk if profile is not None else None
    if profile is not None:
        Verification.objects.filter(contact_digest=profile.contact_digest).delete()
        profile.delete()
    Consent.objects.filter(user=user).delete()
    AuditLog.objects.filter(Q(actor=user) | Q(object_type="core.User", object_id=str(user.pk))).update(ip_address=None)
    user_id = user.pk
    user.delete()
    audit_record(
        actor=actor,
        action=AuditLog.Action.DELETE,
        object_type="talent.Profile",
        object_id=str(profile_id or ""),
        object_repr=f"人才档案 {profile_id}" if profile_id else f"人才用户 {user_id}",
        detail=detail,
        actor_name=actor_name,
        address=False,
    )


@transaction.atomic
def consent_withdraw(*, actor: User) -> None:
    """The person withdraws consent: the profile and the account are deleted at once."""
    check_talent(actor)
    _erase(actor, actor=None, actor_name=ACTOR_WITHDRAWN, detail=DETAIL_WITHDRAWN)


@transaction.atomic
def profiles_expire(*, now: dt.datetime) -> int:
    """Delete every 人才用户 idle past TALENT_RETENTION_DAYS (last sign-in, or registration when never
    signed in again). Returns how many."""
    days = settings.TALENT_RETENTION_DAYS
    cutoff = now - dt.timedelta(days=days)
    from yuanqu.core.roles import Role

    idle = User.objects.filter(role=Role.TALENT).filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    )
    count = 0
    for user in idle.order_by("pk"):
        _erase(user, actor=None, actor_name=ACTOR_EXPIRED, detail=DETAIL_EXPIRED.format(days=days))
        count += 1
    return count


@transaction.atomic
def verifications_expire(*, now: dt.datetime) -> int:
    """Delete the registration codes past their time (each holds an encrypted contact)."""
    deleted, _ = Verification.objects.filter(expires_at__lt=now).delete()
    return deleted
