"""The park and enterprise lists' exports: up to YUANQU_EXPORT_INLINE_ROWS rows the file comes at
once; beyond, the list page answers with a background job's page, the worker writes the same file
with the starter's scope, and only someone who may see the job downloads it, each download audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from conftest import World
from yuanqu.core.models import AuditLog
from yuanqu.jobs.testing import export_by_job, xlsx_sheets


@pytest.fixture(autouse=True)
def _jobs(settings: Settings, tmp_path: Path) -> None:
    settings.JOBS_HEARTBEAT_SECONDS = 0
    settings.MEDIA_ROOT = str(tmp_path)


def test_a_short_park_list_comes_at_once_and_a_long_one_from_a_job_with_the_same_rows(
    world: World, settings: Settings
) -> None:
    client = world.client("district_jiangxia")
    inline = client.get("/registry/parks/?export=xlsx&district=420115")
    assert inline.status_code == 200 and inline["Content-Type"].startswith("application/vnd.openxml")
    rows = xlsx_sheets(inline.content)["园区"]
    assert rows[0][:3] == ["园区编码", "园区名称", "所属区"]
    assert [row[0] for row in rows[1:]] == ["PA", "PB"]  # the district's parks only
    settings.EXPORT_INLINE_ROWS = 1
    job, download = export_by_job(client, "/registry/parks/?export=xlsx&district=420115")
    assert xlsx_sheets(download.content) == {"园区": rows}
    assert job.arguments == {"export": "registry_parks", "query": {"district": "420115"}, "rows": 2}
    assert (job.title, job.message) == ("导出：园区名录", "已导出2行，可点击下载")
    first, second = AuditLog.objects.filter(action=AuditLog.Action.EXPORT, object_type="registry.Park").order_by("pk")
    assert first.after == {"rows": 2} and first.detail == "district=420115"
    assert second.after == {"rows": 2, "job": job.pk} and second.object_repr.startswith("园区名录-")
    assert second.actor == world.users["district_jiangxia"]


def test_a_long_enterprise_list_is_written_with_the_starters_scope_and_only_they_download_it(
    world: World, settings: Settings
) -> None:
    settings.EXPORT_INLINE_ROWS = 2
    client = world.client("district_jiangxia")
    job, download = export_by_job(client, "/registry/enterprises/?export=xlsx&page=2")
    rows = xlsx_sheets(download.content)["企业"]
    assert rows[0][:2] == ["统一社会信用代码", "企业名称"]
    assert sorted(row[1] for row in rows[1:]) == sorted(
        world.enterprises[key].name for key in ("E1", "E2", "E4")
    )  # 江夏's three enterprises, not 蔡甸's
    assert job.arguments["query"] == {}  # the page number selects nothing
    assert world.client("district_caidian").get(job.result_url).status_code == 404
    assert world.client("enterprise").get(f"/jobs/{job.pk}/").status_code == 404
    log = AuditLog.objects.get(action=AuditLog.Action.EXPORT)
    assert (log.object_type, log.after) == ("registry.Enterprise", {"rows": 3, "job": job.pk})


def test_a_list_at_the_threshold_still_comes_at_once(world: World, settings: Settings) -> None:
    settings.EXPORT_INLINE_ROWS = 3
    response = world.client("district_jiangxia").get("/registry/enterprises/?export=xlsx")
    assert response.status_code == 200 and len(xlsx_sheets(response.content)["企业"]) == 4
