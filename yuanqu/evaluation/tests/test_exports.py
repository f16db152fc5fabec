"""The evaluation's exports past YUANQU_EXPORT_INLINE_ROWS rows: a run's ranking workbook and a
year's 亩均 grades are written by a background job with the starter's scope, the same file as the
inline one, and each download is audited."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_django.fixtures import Settings

from yuanqu.core.models import AuditLog
from yuanqu.evaluation import services
from yuanqu.evaluation.models import EvaluationRun
from yuanqu.jobs.models import Job
from yuanqu.jobs.testing import export_by_job, run_queued_tasks, xlsx_sheets

from .conftest import YEAR, EvalWorld
from .test_mujun import graded  # noqa: F401 - the fixture


@pytest.fixture(autouse=True)
def _jobs(settings: Settings, tmp_path: Any) -> None:
    settings.JOBS_HEARTBEAT_SECONDS = 0
    settings.MEDIA_ROOT = str(tmp_path)


def test_a_long_ranking_workbook_is_written_by_a_job_as_the_inline_one(ew: EvalWorld, settings: Settings) -> None:
    run = services.evaluation_run(actor=ew.user("city_admin"), year=YEAR, params={"runs": 100})
    client = ew.world.client("district_caidian")
    inline = xlsx_sheets(client.get(f"/evaluation/runs/{run.pk}/ranking.xlsx").content)
    settings.EXPORT_INLINE_ROWS = 33  # 5 ranking rows + 29 dimension rows (each park's dimensions, 运营服务 among them)
    job, download = export_by_job(client, f"/evaluation/runs/{run.pk}/ranking.xlsx")
    assert xlsx_sheets(download.content) == inline
    assert {row[2] for row in inline["排名"][1:]} == {"PC", "M3", "M5", "F3", "U3"}  # the district's parks
    assert job.arguments == {"export": "evaluation_ranking", "query": {"run": str(run.pk), "year": "2025"}, "rows": 34}
    assert download["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    assert job.result["name"].startswith(f"园区评价排名-2025-{run.pk}-")
    entry = AuditLog.objects.filter(action="export", object_type="evaluation.ParkResult").latest("pk")
    assert entry.actor == ew.user("district_caidian") and entry.after == {"rows": 34, "job": job.pk}


def test_a_run_deleted_before_the_worker_starts_fails_the_export_with_a_message(
    ew: EvalWorld, settings: Settings
) -> None:
    from django.test import TestCase

    run = services.evaluation_run(actor=ew.user("city_admin"), year=YEAR, params={"runs": 100})
    settings.EXPORT_INLINE_ROWS = 1
    with TestCase.captureOnCommitCallbacks(execute=True):
        ew.world.client("city_admin").get(f"/evaluation/runs/{run.pk}/ranking.xlsx")
    EvaluationRun.objects.filter(pk=run.pk).delete()
    run_queued_tasks()
    job = Job.objects.get(kind="export")
    assert (job.status, job.message) == ("failed", "要导出的数据已不存在或您已无权查看，请回到原页面重新导出")
    assert not AuditLog.objects.filter(action="export").exists()
    client = ew.world.client("city_admin")
    client.cookies["django_language"] = "en"
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Export: Park evaluation ranking" in page
    assert "The data to export no longer exists or is no longer yours to see; export again from its page" in page


def test_long_mujun_grades_are_written_by_a_job_as_the_inline_ones(
    graded: EvalWorld,  # noqa: F811 - the fixture
    settings: Settings,
) -> None:
    services.enterprise_grades_compute(actor=graded.user("city_admin"), year=2025)
    client = graded.world.client("district_jiangxia")
    inline = xlsx_sheets(client.get("/evaluation/grades/export.xlsx?year=2025").content)
    names = sorted(row[0] for row in inline["亩均效益等级"][1:])
    assert names == ["武汉丁材料有限公司", "武汉乙精密制造有限公司", "武汉甲光电科技有限公司"]  # 江夏's only
    settings.EXPORT_INLINE_ROWS = 2
    job, download = export_by_job(client, "/evaluation/grades/export.xlsx?year=2025")
    assert xlsx_sheets(download.content) == inline
    assert inline["亩均效益等级"][0][:5] == ["企业名称", "统一社会信用代码", "所在园区", "所属区", "等级"]
    assert job.arguments == {"export": "evaluation_grades", "query": {"year": "2025"}, "rows": 3}
    entry = AuditLog.objects.filter(action="export", object_type="evaluation.EnterpriseGrade").latest("pk")
    assert entry.after == {"rows": 3, "job": job.pk} and entry.object_repr.startswith("亩均效益评价-2025-")


def test_a_grades_export_for_no_year_answers_404(ew: EvalWorld) -> None:
    client = ew.world.client("city_admin")
    assert client.get("/evaluation/grades/export.xlsx?year=20x5").status_code == 404
    assert client.get("/evaluation/grades/export.xlsx").status_code == 404
