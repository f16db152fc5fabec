"""Uploads that `core.attachments.attachments_check` passed, kept as rows of an app's attachment model
(a `core.models.StoredAttachment` child, or a model with the same columns and a `file` field): the
name shown, the type confirmed from the first bytes, size, digest and uploader, the file stored under
the name shown, and the columns naming what the row belongs to.

Who calls this: the services that accept files (a stage change's evidence in 招商, a meeting's
minutes in 要素, a task report's attachments in the targets)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.core.files.base import File
from django.db.models import Model

from yuanqu.core.attachments import CheckedFile, Upload
from yuanqu.core.models import User

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
