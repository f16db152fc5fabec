"""The audit log's one writer. Services call `audit_record` inside their transaction, so a write
and its audit entry commit or roll back together; `audit_download` and `audit_bulk_read` are the
sensitive reads. No secret ever reaches an entry: each model names its secret columns in
`AUDIT_EXCLUDE`, and a name rule catches the rest (`audit_record` applies both to whatever it is
given, whoever built the dictionary). Personal data is kept as given and masked when read
(`mask_personal`, used by the audit log page and the admin)."""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.db import models

from yuanqu.core.models import AuditLog, User

if TYPE_CHECKING:
    from django.http import HttpRequest

# The client address of the request being served, set by middleware; None outside requests.
current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)
# The request being served, for writes that happen below any service (e.g. a password set by a form).
current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)

# Column names that hold a secret in any model, whether or not the model lists them: password hashes,
# token digests, keys. The explicit per-model `AUDIT_EXCLUDE` is the primary list.
_SECRET_NAME = re.compile(r"password|secret|token_hash|api_key|private_key|session_key|otp", re.IGNORECASE)
REDACTED = "［已隐去］"

# Personal data: shown masked to whoever reads the audit log.
_PERSONAL_NAME = re.compile(r"phone|mobile|tel$|contact|email|id_number|id_card|identity|身份证|电话|手机", re.I)


def is_secret_field(name: str) -> bool:
    return bool(_SECRET_NAME.search(name))


def _excluded(model: type[models.Model] | None) -> frozenset[str]:
    return frozenset(getattr(model, "AUDIT_EXCLUDE", ())) if model is not None else frozenset()


def _json_safe(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    return value


def _without_secrets(values: Mapping[str, Any], excluded: frozenset[str]) -> dict[str, Any]:
    return {key: item for key, item in values.items() if key not in excluded and not is_secret_field(key)}


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete field values of a row, JSON-safe, foreign keys as ids, secret columns left out."""
    excluded = _excluded(type(obj))
    wanted = set(fields) if fields is not None else None
    result: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if wanted is not None and field.name not in wanted:
            continue
        if field.name in excluded or field.attname in excluded or is_secret_field(field.name):
            continue
        result[field.attname] = _json_safe(getattr(obj, field.attname))
    return result


# Bookkeeping columns that change on every save and say nothing about the change itself.
UNTRACKED_FIELDS = frozenset({"updated_at"})


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose value differs, from both sides, so the log shows the change itself."""
    keys = [key for key in after if key not in UNTRACKED_FIELDS and before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    detail: str = "",
    actor_name: str = "",
    address: bool = True,
) -> AuditLog:
    """One entry. `actor_name` describes an actor who has no account (left blank: the actor's login
    name, or "system"); `address=False` keeps the client address out (an entry about a person whose
    data is being erased)."""
    excluded = _excluded(type(obj) if obj is not None else None)
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    recording = _reads_recording.get()
    if recording is not None and action == AuditLog.Action.READ:
        recording.append(
            {"object_type": object_type, "object_id": object_id, "object_repr": object_repr, "detail": detail}
        )
    return AuditLog.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=actor_name or (actor.username if actor is not None else "system"),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        before=_json_safe(_without_secrets(before, excluded)) if before is not None else None,
        after=_json_safe(_without_secrets(after, excluded)) if after is not None else None,
        detail=detail[:300],
        ip_address=current_ip.get() if address else None,
    )


# The audited reads of a page being rendered for the page cache (core/pagecache.py), which records
# them again for every reader it serves the page to.
_reads_recording: ContextVar[list[dict[str, str]] | None] = ContextVar("audit_reads_recording", default=None)


@contextmanager
def reads_recorded() -> Iterator[list[dict[str, str]]]:
    """The audited reads (`audit_record(action=READ)`) made inside the block, beside their entries."""
    reads: list[dict[str, str]] = []
    token = _reads_recording.set(reads)
    try:
        yield reads
    finally:
        _reads_recording.reset(token)


def request_actor() -> User | None:
    """The signed-in user of the request being served, if any."""
    request = current_request.get()
    user = getattr(request, "user", None) if request is not None else None
    return user if isinstance(user, User) and user.is_authenticated else None


def audit_download(*, actor: User, obj: models.Model, name: str) -> AuditLog:
    """A file handed to a user (attachments): who fetched which file."""
    return audit_record(actor=actor, action=AuditLog.Action.DOWNLOAD, obj=obj, detail=f"下载附件：{name}")


def audit_bulk_read(*, actor: User, resource: str, rows: int, query: str = "") -> AuditLog:
    """A read that hands over many rows at once (an API list page past the bulk threshold)."""
    return audit_record(
        actor=actor,
        action=AuditLog.Action.READ,
        object_type=resource[:60],
        object_repr=resource,
        after={"rows": rows, "query": query[:200]},
        detail=f"批量读取 {rows} 行",
    )


def _mask_text(value: str) -> str:
    if "@" in value:
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    if len(value) >= 7:
        return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}" if len(value) > 7 else f"{value[:3]}****"
    return f"{value[:1]}**" if value else value


def mask_personal(values: Any) -> Any:
    """The same structure with personal fields (phones, contacts, e-mail, ID numbers) masked."""
    if isinstance(values, dict):
        masked: dict[str, Any] = {}
        for key, item in values.items():
            if is_secret_field(str(key)):
                masked[key] = REDACTED
            elif _PERSONAL_NAME.search(str(key)) and isinstance(item, str | int) and not isinstance(item, bool):
                # A phone number may be stored as a number; a flag (`by_email: true`) is no personal data.
                masked[key] = _mask_text(str(item))
            else:
                masked[key] = mask_personal(item)
        return masked
    if isinstance(values, list):
        return [mask_personal(item) for item in values]
    return values
