"""The export of personal data: only the city's talent handlers, with a reason; the file holds names
and contacts in clear; the audit entry holds the reason and the count, never the values."""

from __future__ import annotations

import io

from django.test import Client
from python_calamine import CalamineWorkbook

from yuanqu.core.models import AuditLog
from yuanqu.talent.tests.conftest import TalentWorld


def test_only_talent_handlers_export_personal_data_with_a_reason(tw: TalentWorld) -> None:
    person = tw.register("export@example.com", "陈导出")
    tw.profile(person, name="陈导出", skill_tags=["机器视觉"])
    admin = tw.world.client("city_admin")
    answer = admin.post("/talent/profiles/export/", {"reason": "人才安居政策核验"})
    assert answer.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(answer.content)).get_sheet_by_name("人才档案个人信息").to_python()
    assert rows[0][:3] == ["编号", "姓名", "联系方式"]
    assert [row[1:3] for row in rows[1:]] == [["陈导出", "export@example.com"]]
    entry = AuditLog.objects.get(action=AuditLog.Action.EXPORT, object_type="talent.Profile")
    assert entry.detail == "导出人才档案个人信息，事由：人才安居政策核验"
    assert entry.after == {"rows": 1}
    assert "陈导出" not in str(entry.__dict__) and "export@example.com" not in str(entry.__dict__)

    refused = admin.post("/talent/profiles/export/", {"reason": " "}, follow=True)
    assert "查看个人信息明文须填写事由" in refused.content.decode()
    for persona in ("city_viewer", "district_jiangxia", "park_operator", "enterprise", "auditor", "handler"):
        assert tw.world.client(persona).post("/talent/profiles/export/", {"reason": "核验"}).status_code == 403
    own = Client()
    own.force_login(person)
    assert own.post("/talent/profiles/export/", {"reason": "核验"}).status_code == 403
    assert AuditLog.objects.filter(action=AuditLog.Action.EXPORT).count() == 1
