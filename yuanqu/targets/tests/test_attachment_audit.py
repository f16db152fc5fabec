"""A task report's attachment handed to a reader is in the audit log: who fetched which file."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import World
from yuanqu.core.models import AuditLog
from yuanqu.targets import services
from yuanqu.targets.models import ReportAttachment, SupervisedTask


def test_it_audits_an_attachment_download(world: World, tasks: dict[str, Any]) -> None:
    services.task_report_submit(
        actor=world.users["district_jiangxia"],
        task=SupervisedTask.objects.get(code="task_03"),
        period=dt.date(2025, 7, 1),
        text="江夏区的进展",
        percent_done=20,
        files=[SimpleUploadedFile("进展说明.pdf", b"%PDF-1.4 x")],
        today=dt.date(2025, 11, 20),
    )
    attachment = ReportAttachment.objects.get()
    download = world.client("city_viewer").get(f"/targets/attachments/{attachment.pk}/")
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    entry = AuditLog.objects.get(action="download")
    assert entry.actor == world.users["city_viewer"]
    assert entry.object_id == str(attachment.pk) and entry.detail == "下载附件：进展说明.pdf"
    # A refused download is not a download.
    assert world.client("park_operator").get(f"/targets/attachments/{attachment.pk}/").status_code == 404
    assert AuditLog.objects.filter(action="download").count() == 1
