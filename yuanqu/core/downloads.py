"""A stored file handed to a user, the one way every page and API endpoint does it (case
attachments, task report attachments, 招商 evidence): the download goes into the audit log, and the
browser is told to save the file under its original name, to keep no shared copy, and to trust the
content type the upload check settled (core.attachments).

Who calls this: the views and API endpoints that serve a file after their own scope check."""

from __future__ import annotations

from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse

from yuanqu.core.audit import audit_download
from yuanqu.core.models import User


def file_download(*, actor: User, obj: models.Model, file: FieldFile, name: str, content_type: str) -> FileResponse:
    audit_download(actor=actor, obj=obj, name=name)
    response = FileResponse(file.open("rb"), as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
