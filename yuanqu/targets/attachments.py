"""Checks for progress-report attachments: size, count and type, the type taken from the extension and
confirmed by the file's first bytes, never from what the browser claims.

The rule is the casework app's (yuanqu/casework/attachments.py); targets may not import casework
(DESIGN.md layering), so the allowed types are repeated here until the check moves to core."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from typing import Protocol

from django.core.exceptions import ValidationError

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS_PER_REPORT = 10

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
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
ERR_COUNT = "每份进展报告最多{count}个附件"


class Upload(Protocol):
    name: str | None
    size: int | None

    def read(self, size: int = ...) -> bytes: ...

    def seek(self, offset: int, whence: int = ...) -> int: ...


def display_name(upload: Upload) -> str:
    return os.path.basename(upload.name or "附件")[:200]


def check(files: Sequence[Upload], *, existing: int = 0) -> list[tuple[str, str]]:
    """Check every file before anything is stored; (content type, sha256) per file, or a
    ValidationError naming the file and the rule."""
    if existing + len(files) > MAX_ATTACHMENTS_PER_REPORT:
        raise ValidationError({"files": ERR_COUNT.format(count=MAX_ATTACHMENTS_PER_REPORT)})
    found = []
    for upload in files:
        name = display_name(upload)
        size = upload.size or 0
        if size > MAX_ATTACHMENT_BYTES:
            raise ValidationError({"files": ERR_TOO_LARGE.format(name=name, mb=MAX_ATTACHMENT_BYTES // 2**20)})
        if size == 0:
            raise ValidationError({"files": ERR_EMPTY.format(name=name)})
        ext = os.path.splitext(name)[1].lower()
        if ext not in ALLOWED_TYPES:
            raise ValidationError({"files": ERR_TYPE.format(name=name)})
        content_type, magics = ALLOWED_TYPES[ext]
        upload.seek(0)
        content = upload.read()
        upload.seek(0)
        if not any(content.startswith(magic) for magic in magics):
            raise ValidationError({"files": ERR_CONTENT.format(name=name)})
        found.append((content_type, hashlib.sha256(content).hexdigest()))
    return found
