"""A case attachment handed to a reader, on the page or through the API, is in the audit log."""

from __future__ import annotations

from yuanqu.casework import clock, services
from yuanqu.core.models import AuditLog

from .conftest import CaseWorld, at, pdf


def test_it_audits_attachment_downloads_on_the_page_and_the_api(cw: CaseWorld) -> None:
    case = cw.submit(when=at(2025, 3, 3))
    with clock.frozen(at(2025, 3, 4)):
        stored = services.case_attach(actor=cw.user("enterprise"), case=case, files=[pdf("营业执照.pdf")])[0]
    client = cw.world.client("enterprise")
    assert client.get(f"/casework/attachments/{stored.pk}/").status_code == 200
    assert client.get(f"/api/v1/casework/attachments/{stored.pk}").status_code == 200
    entries = AuditLog.objects.filter(action="download")
    assert [(e.actor, e.object_id, e.detail) for e in entries] == [
        (cw.user("enterprise"), str(stored.pk), "下载附件：营业执照.pdf")
    ] * 2
