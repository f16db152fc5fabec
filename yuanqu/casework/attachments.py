"""Casework's part of the attachment rule: at most MAX_ATTACHMENTS_PER_CASE files per case, and their
storage under MEDIA_ROOT/casework/ (see models.CaseworkStorage), only ever streamed by a view that
checks access first. The check of each file (size, type from the extension confirmed by the first
bytes) is yuanqu/core/attachments.py, shared with the task reports."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.casework import clock, selectors
from yuanqu.casework.models import Attachment, Case, CaseEvent
from yuanqu.core.attachments import Upload, attachment_type, display_name
from yuanqu.core.downloads import file_download
from yuanqu.core.models import User

MAX_ATTACHMENTS_PER_CASE = 20
ATTACHMENT_COUNT = gettext_noop("每件诉求最多%(count)s个附件")
ATTACHMENT_NOT_FOUND = gettext_noop("附件不存在或不在您的权限范围内")


def attachment_download(*, actor: User, attachment_id: int) -> FileResponse:
    """The file of an attachment the actor may see, handed over and audited (the page and the API);
    404 for one they may not, exactly as for one that does not exist."""
    attachment = selectors.attachment_for_download(actor, attachment_id)
    if attachment is None:
        raise Http404(_(ATTACHMENT_NOT_FOUND))
    return file_download(
        actor=actor,
        obj=attachment,
        file=attachment.file,
        name=attachment.original_name,
        content_type=attachment.content_type,
    )


def attachment_check(files: Sequence[Upload], *, existing: int = 0) -> list[str]:
    """Check every file before anything is stored; returns the content type of each, or raises
    ValidationError naming the file and the rule."""
    if existing + len(files) > MAX_ATTACHMENTS_PER_CASE:
        raise ValidationError({"files": _(ATTACHMENT_COUNT) % {"count": MAX_ATTACHMENTS_PER_CASE}})
    return [attachment_type(upload) for upload in files]


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
        name = display_name(upload)
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
