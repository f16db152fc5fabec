"""Attachment checks and storage. Files are limited in size, count and type; the type is taken from
the extension and confirmed by the file's first bytes, never from what the browser claims. Files are
stored under MEDIA_ROOT/casework/ (see models.CaseworkStorage) and only ever streamed by a view that
checks access first."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from typing import Protocol

from django.core.exceptions import ValidationError
from django.core.files.base import File

from yuanqu.casework import clock
from yuanqu.casework.models import Attachment, Case, CaseEvent
from yuanqu.core.models import User

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS_PER_CASE = 20

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
# extension → (content type served, accepted leading bytes)
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".doc": ("application/msword", (_OLE,)),
    ".xls": ("application/vnd.ms-excel", (_OLE,)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (_ZIP,)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_ZIP,)),
    ".ofd": ("application/ofd", (_ZIP,)),
}
ALLOWED_LABEL = "PDF、JPG、PNG、Word（doc/docx）、Excel（xls/xlsx）、OFD"

ATTACHMENT_TOO_LARGE = "附件“{name}”超过{mb}MB的大小限制"
ATTACHMENT_EMPTY = "附件“{name}”是空文件"
ATTACHMENT_TYPE = "附件“{name}”的类型不允许，仅支持：" + ALLOWED_LABEL
ATTACHMENT_CONTENT = "附件“{name}”的内容与其扩展名不符"
ATTACHMENT_COUNT = "每件诉求最多{count}个附件"


class Upload(Protocol):
    name: str | None
    size: int | None

    def read(self, size: int = ...) -> bytes: ...

    def seek(self, offset: int, whence: int = ...) -> int: ...


def _display_name(upload: Upload) -> str:
    return os.path.basename(upload.name or "附件")[:200]


def attachment_check(files: Sequence[Upload], *, existing: int = 0) -> list[str]:
    """Check every file before anything is stored; returns the content type of each, or raises
    ValidationError naming the file and the rule."""
    if existing + len(files) > MAX_ATTACHMENTS_PER_CASE:
        raise ValidationError({"files": ATTACHMENT_COUNT.format(count=MAX_ATTACHMENTS_PER_CASE)})
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
    *, case: Case, event: CaseEvent | None, actor: User | None, files: Sequence[Upload], types: Sequence[str],
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
            case=case, event=event, original_name=name, content_type=content_type, size=upload.size or 0,
            sha256=digest.hexdigest(), uploaded_by=actor, uploaded_at=clock.now(),
            visible_to_enterprise=visible_to_enterprise,
        )
        attachment.file.save(name, File(upload, name=name), save=False)  # type: ignore[arg-type]
        attachment.save()
        stored.append(attachment)
    return stored
