"""Checks for progress-report attachments: size, count and type, the type taken from the extension and
confirmed by the file's first bytes, never from what the browser claims.

The rule itself (types, first bytes, size, messages) is yuanqu/core/attachments.py, shared with casework."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence

from django.core.exceptions import ValidationError

from yuanqu.core.attachments import (
    ALLOWED_TYPES,
    ERR_CONTENT,
    ERR_EMPTY,
    ERR_TOO_LARGE,
    ERR_TYPE,
    MAX_ATTACHMENT_BYTES,
    Upload,
)

MAX_ATTACHMENTS_PER_REPORT = 10
ERR_COUNT = "每份进展报告最多{count}个附件"


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
