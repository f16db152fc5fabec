"""Writes owned by core: API tokens and platform flags."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from yuanqu.core.audit import audit_record
from yuanqu.core.models import ApiToken, AuditLog, PlatformFlag, User, hash_token

TOKEN_PREFIX = "yq_"  # noqa: S105 - a visible prefix, not a secret


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; the raw value is returned once and never stored."""
    name = name.strip()
    if not name:
        raise ValueError("请填写令牌用途")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name[:60], prefix=raw[:10], token_hash=hash_token(raw))
    token.full_clean()
    token.save()
    audit_record(actor=user, action=AuditLog.Action.TOKEN, obj=token, after={"name": token.name}, detail="创建API令牌")
    return token, raw


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token_id, user=user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=user, action=AuditLog.Action.TOKEN, obj=token, detail="吊销API令牌")
    return token


def api_token_authenticate(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Record use at most once a minute, so that a busy integration does not write on every call.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def platform_flag_set(*, key: str, value: dict[str, Any]) -> None:
    PlatformFlag.objects.update_or_create(key=key, defaults={"value": value})


def platform_flag_clear(*, key: str) -> None:
    PlatformFlag.objects.filter(key=key).delete()
