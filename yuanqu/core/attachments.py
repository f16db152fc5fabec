"""The attachment rule shared by every app that accepts files from users (casework, task reports):
which types are allowed, how each type's first bytes look, the size limit, the messages and the check
itself (`attachment_type` for one file, `attachments_check` for a post).
Each app gives its own per-object count limit and stores the files.

`attachments_store` keeps the uploads `attachments_check` passed as rows of an app's attachment model
(name shown, confirmed type, size, digest, uploader, the owner's columns)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db.models import Model

from yuanqu.core.models import User

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

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

ERR_TOO_LARGE = "附件“{name}”超过{mb}MB的大小限制"
ERR_EMPTY = "附件“{name}”是空文件"
ERR_TYPE = "附件“{name}”的类型不允许，仅支持：" + ALLOWED_LABEL
ERR_CONTENT = "附件“{name}”的内容与其扩展名不符"


class Upload(Protocol):
    name: str | None
    size: int | None

    def read(self, size: int = ...) -> bytes: ...

    def seek(self, offset: int, whence: int = ...) -> int: ...


@dataclass(frozen=True)
class CheckedFile:
    name: str  # the name shown and stored: the base name, at most 200 characters
    content_type: str
    sha256: str


def display_name(upload: Upload) -> str:
    """The name a file is stored and shown under: its base name, at most 200 characters."""
    return os.path.basename(upload.name or "附件")[:200]


def attachment_type(upload: Upload, *, field: str = "files") -> str:
    """The content type of one file, taken from its extension and confirmed by its first bytes (never
    from what the browser claims); a ValidationError on `field` naming the file and the rule when it
    is over the size limit, empty, of a type not allowed, or not what its extension says."""
    name = display_name(upload)
    size = upload.size or 0
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({field: ERR_TOO_LARGE.format(name=name, mb=MAX_ATTACHMENT_BYTES // 2**20)})
    if size == 0:
        raise ValidationError({field: ERR_EMPTY.format(name=name)})
    ext = os.path.splitext(name)[1].lower()
    if ext not in ALLOWED_TYPES:
        raise ValidationError({field: ERR_TYPE.format(name=name)})
    content_type, magics = ALLOWED_TYPES[ext]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in magics):
        raise ValidationError({field: ERR_CONTENT.format(name=name)})
    return content_type


def attachments_check(
    files: Sequence[Upload], *, existing: int, most: int, too_many: str, field: str = "files"
) -> list[CheckedFile]:
    """Check every file before anything is stored: at most `most` files on the object (`existing`
    already there; `too_many` is the caller's message), each passing `attachment_type`. Returns one
    CheckedFile per file (with its SHA-256), or raises ValidationError on `field` naming the file and
    the rule."""
    if existing + len(files) > most:
        raise ValidationError({field: too_many})
    found = []
    for upload in files:
        content_type = attachment_type(upload, field=field)
        digest = hashlib.sha256()
        upload.seek(0)
        while chunk := upload.read(65536):
            digest.update(chunk)
        upload.seek(0)
        found.append(CheckedFile(display_name(upload), content_type, digest.hexdigest()))
    return found


A = TypeVar("A", bound=Model)


def attachments_store(
    model: type[A], files: Sequence[Upload], checked: Sequence[CheckedFile], *, actor: User, **owner: Any
) -> list[A]:
    """One saved row of `model` per upload (`checked` in the same order), with `owner`'s columns."""
    rows: list[A] = []
    for upload, found in zip(files, checked, strict=True):
        row = model(
            original_name=found.name,
            content_type=found.content_type,
            size=upload.size or 0,
            sha256=found.sha256,
            uploaded_by=actor,
            **owner,
        )
        row.file.save(found.name, File(upload, name=found.name), save=False)  # type: ignore[attr-defined,arg-type]
        row.save()
        rows.append(row)
    return rows
