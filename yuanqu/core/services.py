"""Writes owned by core: API tokens and platform flags."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from yuanqu.core.audit import audit_record
from yuanqu.core.models import ApiToken, AuditLog, PlatformFlag, User, hash_token
from yuanqu.core.permissions import may_hold_api_token
from yuanqu.core.roles import Role
from yuanqu.core.writes import save_audited

TOKEN_PREFIX = "yq_"  # noqa: S105 - a visible prefix, not a secret

ERR_TOKEN_NAME = gettext_noop("请填写令牌用途")
ERR_TOKEN_NOT_YOURS = "只能吊销自己的令牌（系统管理员可吊销任何令牌）"  # noqa: S105 - a message, not a secret
ERR_TOKEN_ROLE = "您的角色（{role}）不能创建API令牌"  # noqa: S105 - a message, not a secret


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token valid for YUANQU_API_TOKEN_DAYS; the raw value is returned once and never stored.
    Only a role that may hold one (`core.permissions.may_hold_api_token`)."""
    if not may_hold_api_token(user):
        raise PermissionDenied(gettext(ERR_TOKEN_ROLE).format(role=Role(user.role).label))
    name = name.strip()
    if not name:
        raise ValidationError(gettext(ERR_TOKEN_NAME))
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = timezone.now() + dt.timedelta(days=settings.API_TOKEN_DAYS)
    token = ApiToken(user=user, name=name[:60], prefix=raw[:10], token_hash=hash_token(raw), expires_at=expires_at)
    save_audited(
        actor=user,
        row=token,
        action=AuditLog.Action.TOKEN,
        after={"name": token.name, "prefix": token.prefix, "expires_at": expires_at},
        detail="创建API令牌",
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: User, token_id: int) -> ApiToken:
    """Revoke a token: its owner or a system administrator. Revoking twice changes nothing."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token_id)
    if token.user_id != actor.pk and not (actor.is_active and (actor.is_superuser or actor.role == Role.SYSADMIN)):
        raise PermissionDenied(ERR_TOKEN_NOT_YOURS)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=AuditLog.Action.TOKEN,
            obj=token,
            after={"owner": token.user.username, "prefix": token.prefix},
            detail="吊销API令牌",
        )
    return token


def api_token_authenticate(raw: str) -> User | None:
    """The token's user, or None when the token is unknown, revoked, expired, its user inactive or of a
    role that may hold no token.
    Use is recorded on the token at most once a minute; the first use of each day is audited."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)
        .first()
    )
    if token is None or not may_hold_api_token(token.user):
        return None
    previous = token.last_used_at
    if previous is None or (now - previous).total_seconds() > 60:
        # Only the process whose update wins records the day's first use, so concurrent calls
        # write one audit entry.
        won = ApiToken.objects.filter(pk=token.pk, last_used_at=previous).update(last_used_at=now)
        first_today = previous is None or timezone.localdate(previous) != timezone.localdate(now)
        if won and first_today:
            audit_record(
                actor=token.user,
                action=AuditLog.Action.TOKEN,
                obj=token,
                detail="使用API令牌（当日首次）",
            )
    return token.user


def platform_flag_set(*, key: str, value: dict[str, Any]) -> None:
    PlatformFlag.objects.update_or_create(key=key, defaults={"value": value})
