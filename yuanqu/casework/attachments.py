"""Attachment checks and storage. Files are limited in size, count and type; the type is taken from
the extension and confirmed by the file's first bytes, never from what the browser claims. Files are
stored under MEDIA_ROOT/casework/ (see models.CaseworkStorage) and only ever streamed by a view that
checks access first."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.casework import clock
from yuanqu.casework.models import Attachment, Case, CaseEvent
from yuanqu.core.attachments import (
    ALLOWED_TYPES,
    ERR_CONTENT,
    ERR_EMPTY,
    ERR_TOO_LARGE,
    ERR_TYPE,
    MAX_ATTACHMENT_BYTES,
    Upload,
)
from yuanqu.core.models import User

MAX_ATTACHMENTS_PER_CASE = 20

ATTACHMENT_TOO_LARGE = ERR_TOO_LARGE
ATTACHMENT_EMPTY = ERR_EMPTY
ATTACHMENT_TYPE = ERR_TYPE
ATTACHMENT_CONTENT = ERR_CONTENT
ATTACHMENT_COUNT = gettext_noop("每件诉求最多%(count)s个附件")


def _display_name(upload: Upload) -> str:
    return os.path.basename(upload.name or "附件")[:200]


def attachment_check(files: Sequence[Upload], *, existing: int = 0) -> list[str]:
    """Check every file before anything is stored; returns the content type of each, or raises
    ValidationError naming the file and the rule."""
    if existing + len(files) > MAX_ATTACHMENTS_PER_CASE:
        raise ValidationError({"files": _(ATTACHMENT_COUNT) % {"count": MAX_ATTACHMENTS_PER_CASE}})
    types = []
    for upload in files:
        name = _display_name(upload)
        size = upload.size or 0
        if size > MAX_ATTACHMENT_BYTES:
            raise ValidationError({"files": ATTACHMENT_TOO_LARGE.format(name=name, mb=MAX_ATTACHMENT_BYTES // 2**20)})
        if size == 0:
            raise ValidationError({"files": ATTACHMENT_EMPTY.format(name=name)})
        ext = os.path.splitext(name)[1].lower()
        if ext not in ALLOWED_TYPES:
            raise ValidationError({"files": ATTACHMENT_TYPE.format(name=name)})
        content_type, magics = ALLOWED_TYPES[ext]
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        if not any(head.startswith(magic) for magic in magics):
            raise ValidationError({"files": ATTACHMENT_CONTENT.format(name=name)})
        types.append(content_type)
    return types


def attachments_store(
    *,
    case: Case,
    event: CaseEvent | None,
    actor: User | None,
    files: Sequence[Upload],
    types: Sequence[str],
    visible_to_enterprise: bool,
) -> list[Attachment]:
    stored = []
    for upload, content_type in zip(files, types, strict=True):
        digest = hashlib.sha256()
        upload.seek(0)
        while chunk := upload.read(65536):
            digest.update(chunk)
        upload.seek(0)
        name = _display_name(upload)
        attachment = Attachment(
            case=case,
            event=event,
            original_name=name,
            content_type=content_type,
            size=upload.size or 0,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
            uploaded_at=clock.now(),
            visible_to_enterprise=visible_to_enterprise,
        )
        attachment.file.save(name, File(upload, name=name), save=False)  # type: ignore[arg-type]
        attachment.save()
        stored.append(attachment)
    return stored
