"""The evaluation pages and exports: start a run from the page as a background job (followed to the
run, or to a clear message when there is no data), the ranking with interval-bar data, the selection
list and its confirmation, two runs compared, the diagnosis with radar data, the index systems, and
the audited .xlsx / .docx exports."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from docx import Document
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings
from python_calamine import CalamineWorkbook

from yuanqu.core.models import AuditLog
from yuanqu.evaluation import services
from yuanqu.evaluation.models import EvaluationRun
from yuanqu.indicators.models import IndicatorValue
from yuanqu.jobs.models import Job
from yuanqu.jobs.testing import run_queued_tasks

from .conftest import YEAR, EvalWorld


def _index_codes(run: EvaluationRun) -> set[str]:
    dimensions = run.index_systems["modern"]["dimensions"]
    return {item["code"] for dimension in dimensions for item in dimension["indicators"]}


@pytest.fixture
def run(ew: EvalWorld) -> EvaluationRun:
    return services.evaluation_run(actor=ew.user("city_admin"), year=YEAR, params={"runs": 100})


def json_script(html: str, element_id: str) -> object:
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    assert match, element_id
    return json.loads(match.group(1))


def test_it_starts_a_run_from_the_page_as_a_job_and_follows_it_to_the_run(
    ew: EvalWorld, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client = ew.world.client("city_admin")
    listing = client.get("/evaluation/")
    assert listing.status_code == 200 and 'data-testid="run-form"' in listing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/evaluation/runs/start/", {"year": "2025", "runs": "80", "seed": "5"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert (job.kind, job.status, job.scope_key, job.title) == (
        "evaluation_run",
        "queued",
        "evaluation:2025",
        "2025年度园区评价",
    )
    assert not EvaluationRun.objects.exists()  # answered before anything was computed
    run_queued_tasks()
    run = EvaluationRun.objects.get()
    job.refresh_from_db()
    assert run.status == "done" and run.seed == 5 and run.params["runs"] == 80
    assert (job.status, job.step, job.done, job.total) == ("succeeded", "保存结果", 1, 1)
    assert (job.result_url, job.result_label, job.message) == (
        f"/evaluation/runs/{run.pk}/",
        f"评价#{run.pk}",
        "评价已完成",
    )
    page = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert f'href="/evaluation/runs/{run.pk}/"' in page and "蒙特卡洛模拟" in page


def test_it_says_on_the_job_page_when_there_is_no_data(
    ew: EvalWorld, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    IndicatorValue.objects.all().delete()
    client = ew.world.client("city_admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/evaluation/runs/start/", {"year": "2025"})
    run_queued_tasks()
    job = Job.objects.get()
    assert job.status == "failed" and job.result_url == f"/evaluation/runs/{EvaluationRun.objects.get().pk}/"
    text = client.get(response["Location"]).content.decode()
    assert "2025年没有园区年度指标值（指标表为空或尚未计算），无法评价" in text


def test_it_refuses_bad_parameters_on_the_page_before_queueing(ew: EvalWorld) -> None:
    response = ew.world.client("city_admin").post("/evaluation/runs/start/", {"year": "2025", "runs": "0"}, follow=True)
    assert "蒙特卡洛运行次数应在 1 到 20000 之间" in response.content.decode()
    assert not Job.objects.exists()


def test_it_hides_the_run_form_from_viewers_and_refuses_their_post(ew: EvalWorld) -> None:
    client = ew.world.client("city_viewer")
    assert 'data-testid="run-form"' not in client.get("/evaluation/").content.decode()
    assert client.post("/evaluation/runs/start/", {"year": "2025"}).status_code == 403
    assert not EvaluationRun.objects.exists() and not Job.objects.exists()


def test_it_shows_the_ranking_with_interval_data(ew: EvalWorld, run: EvaluationRun) -> None:
    page = ew.world.client("city_viewer").get(f"/evaluation/runs/{run.pk}/")
    text = page.content.decode()
    chart = json_script(text, "chart-modern")
    assert isinstance(chart, dict)
    assert chart["parks"][0] == "测试M6园区" and chart["nominal"] == [1, 2, 3, 4, 5, 6] and chart["quota"] == 4
    assert all(low <= mid <= high for low, mid, high in zip(chart["low"], chart["median"], chart["high"], strict=True))
    assert "evaluation/ranking.js" in text and "echarts/echarts.min.js" in text
    assert "<script>" not in text  # CSP: no inline script
    assert "敏感性分析" in text


def test_it_lists_the_selection_and_lets_a_city_admin_confirm_it(ew: EvalWorld, run: EvaluationRun) -> None:
    admin = ew.world.client("city_admin")
    page = admin.get(f"/evaluation/runs/{run.pk}/selection/").content.decode()
    assert 'data-testid="selected-M6"' in page and 'data-testid="selected-PA"' not in page
    assert 'data-testid="confirm-form"' in page
    assert (
        "confirm-form"
        not in ew.world.client("city_viewer").get(f"/evaluation/runs/{run.pk}/selection/").content.decode()
    )
    assert 'name="confirm"' in page  # the list is confirmed only with the box ticked
    done = admin.post(f"/evaluation/runs/{run.pk}/selection/confirm/", {"confirm": "1"}, follow=True).content.decode()
    assert 'data-testid="confirmed"' in done and "确认后不能更改" in done
    again = admin.post(f"/evaluation/runs/{run.pk}/selection/confirm/", {"confirm": "1"}, follow=True).content.decode()
    assert "该评价的产业名园名单已确认，确认后的名单不能更改" in again


def test_it_compares_two_runs(ew: EvalWorld, run: EvaluationRun) -> None:
    ew.boost("M2", 2.0)
    second = services.evaluation_run(actor=ew.user("city_admin"), year=YEAR, params={"runs": 100})
    page = ew.world.client("city_viewer").get(f"/evaluation/runs/compare/?a={run.pk}&b={second.pk}")
    text = page.content.decode()
    row = re.search(r'data-testid="compare-M2">(.*?)</tr>', text, re.S)
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))
    assert cells[2] == "5" and cells[3] == "1" and cells[4] == "+4"


def test_it_shows_a_diagnosis_with_radar_data(ew: EvalWorld, run: EvaluationRun) -> None:
    page = ew.world.client("park_operator").get(f"/evaluation/runs/{run.pk}/parks/PA/")
    text = page.content.decode()
    radar = json_script(text, "radar-data")
    assert isinstance(radar, dict) and len(radar["indicators"]) == 6
    assert "与存储结果一致" in text and 'data-testid="improvements"' in text
    assert "evaluation/radar.js" in text


def test_it_lists_the_index_systems_of_the_pack(ew: EvalWorld) -> None:
    text = ew.world.client("city_viewer").get("/evaluation/index-systems/").content.decode()
    assert "现代产业园综合评价指标体系" in text and "判断矩阵 CR" in text
    # 新建项目单位面积工业投资 is judged on a three-year average since the pack says so (average_years).
    assert "规上工业企业数、新建项目单位面积工业投资（按近3年平均值核验）、亩均税收" in text


def test_it_exports_the_ranking_workbook_audited(ew: EvalWorld, run: EvaluationRun) -> None:
    response = ew.world.client("district_caidian").get(f"/evaluation/runs/{run.pk}/ranking.xlsx")
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    rows = book.get_sheet_by_name("排名").to_python()
    assert rows[0][:4] == ["园区类型", "名次", "园区编码", "园区名称"]
    assert {row[2] for row in rows[1:]} == {"PC", "M3", "M5", "F3", "U3"}  # the district's parks only
    assert len(book.get_sheet_by_name("维度得分").to_python()) > 1
    entry = AuditLog.objects.get(action="export", object_type="evaluation.ParkResult")
    # 5 ranking rows + 29 dimension rows (four parks with six dimensions, one urban park with five)
    assert entry.actor == ew.user("district_caidian") and entry.after == {"rows": 34}


def test_it_exports_a_diagnosis_report_in_chinese_audited(
    ew: EvalWorld,
    run: EvaluationRun,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    settings: Settings,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT, settings.JOBS_HEARTBEAT_SECONDS = tmp_path, 0
    client = ew.world.client("park_operator")
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"/evaluation/runs/{run.pk}/parks/PA/report.docx")
    job = Job.objects.get()
    assert started.status_code == 302 and started["Location"] == f"/jobs/{job.pk}/"
    assert job.kind == "evaluation_diagnosis"
    assert not AuditLog.objects.filter(action="export").exists()  # nothing handed over yet
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result_url == f"/evaluation/diagnosis-files/{job.pk}/"
    response = client.get(job.result_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "江夏现代产业园 2025年度评估诊断报告" in text and "五、提升建议" in text
    assert "七、门槛、必达、一票否决与加减分" in text
    assert len(document.tables) >= 4
    assert document.tables[0].rows[1].cells[0].text == "综合得分"
    assert AuditLog.objects.filter(action="export", object_repr__contains="诊断").count() == 1
    # Another district's user finds neither the job nor the file.
    assert ew.world.client("district_caidian").get(job.result_url).status_code == 404


def test_it_reads_the_ranking_page_in_a_fixed_number_of_queries(
    ew: EvalWorld, run: EvaluationRun, django_assert_max_num_queries: object
) -> None:
    client = ew.world.client("city_viewer")
    client.get(f"/evaluation/runs/{run.pk}/")  # warm the session
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert client.get(f"/evaluation/runs/{run.pk}/").status_code == 200


def test_the_diagnosis_report_is_started_by_a_button_and_a_get_starts_nothing(
    ew: EvalWorld, run: EvaluationRun
) -> None:
    client = ew.world.client("park_operator")
    page = client.get(f"/evaluation/runs/{run.pk}/parks/PA/").content.decode()
    assert f'<form method="post" action="/evaluation/runs/{run.pk}/parks/PA/report.docx"' in page
    start = client.get(f"/evaluation/runs/{run.pk}/parks/PA/report.docx")
    assert start.status_code == 200 and 'data-testid="report-start"' in start.content.decode()
    assert not Job.objects.exists()


def test_the_index_system_page_shows_the_coherence_checks_of_a_years_data(ew: EvalWorld) -> None:
    modern = services.index_coherence(year=YEAR)["modern"]
    assert modern is not None
    codes = [item["code"] for item in modern["indicators"]]
    assert len(modern["correlation"]) == len(codes) and modern["explained"][0] > 0
    text = ew.world.client("city_viewer").get(f"/evaluation/index-systems/?year={YEAR}").content.decode()
    assert 'data-testid="coherence-modern"' in text and f"统计一致性检验（{YEAR}年数据" in text
    assert "Cronbach" in text and "第一主成分解释方差" in text and "解释方差占比" in text
    assert "缩尾后仍偏态时取对数" in text and "（按近3年平均值核验）" in text
    # An unknown year falls back to the latest year with values; a year with none is not offered.
    fallback = ew.world.client("city_viewer").get("/evaluation/index-systems/?year=1999").content.decode()
    assert f'<option value="{YEAR}" selected>' in fallback and '<option value="1999"' not in fallback


def test_the_run_page_shows_the_sobol_indices_and_the_drop_one_table(ew: EvalWorld) -> None:
    run = services.evaluation_run(
        actor=ew.user("city_admin"), year=YEAR, params={"runs": 50, "sobol_samples": 16, "sobol_bootstrap": 10}
    )
    modern = run.summary["types"]["modern"]
    factors = [row["factor"] for row in modern["sobol"]["indices"]]
    assert factors == [
        "weights",
        "weight_set",
        "normalisation",
        "aggregation",
        "imputation",
        "winsorisation",
        "availability",
    ]
    assert modern["sobol"]["runs"] == 16 * 9
    assert {row["code"] for row in modern["drop_one"]} == _index_codes(run)
    text = ew.world.client("city_admin").get(f"/evaluation/runs/{run.pk}/").content.decode()
    assert 'data-testid="sobol-modern"' in text and "总效应指数" in text and "数据可得率门槛" in text
    assert 'data-testid="drop-one-modern"' in text and "逐一剔除指标" in text
    assert f'href="/evaluation/index-systems/?year={YEAR}#coherence"' in text
