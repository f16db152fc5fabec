"""The project library's export past YUANQU_EXPORT_INLINE_ROWS projects: written by a background job
with the starter's scope and the list's stage filter, the same file as the inline one, each download
audited."""

from __future__ import annotations

from pytest_django.fixtures import Settings

from yuanqu.core.models import AuditLog
from yuanqu.investment.tests.conftest import InvestWorld
from yuanqu.jobs.testing import export_by_job, xlsx_sheets


def test_a_long_project_library_is_written_by_a_job_as_the_inline_one(inv: InvestWorld, settings: Settings) -> None:
    settings.JOBS_HEARTBEAT_SECONDS = 0
    inv.project(investor="甲公司", name="江夏项目")
    inv.project(investor="丙公司", name="江夏二期")
    inv.project("district_caidian", investor="乙公司", name="蔡甸项目", district="caidian", park="PC")
    client = inv.world.client("district_jiangxia")
    inline = xlsx_sheets(client.get("/investment/?export=xlsx&stage=lead").content)
    assert sorted(row[1] for row in inline["招商项目"][1:]) == ["江夏二期", "江夏项目"]
    settings.EXPORT_INLINE_ROWS = 1
    job, download = export_by_job(client, "/investment/?export=xlsx&stage=lead")
    assert xlsx_sheets(download.content) == inline
    assert job.arguments == {"export": "investment_projects", "query": {"stage": "lead"}, "rows": 2}
    entry = AuditLog.objects.filter(action="export", object_type="investment.Project").latest("pk")
    assert entry.after == {"rows": 2, "job": job.pk} and entry.actor == inv.user("district_jiangxia")
