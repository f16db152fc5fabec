"""The Word reports open with python-docx and hold the Chinese headings, tables and chart images a
reader expects, with the reader's scope; downloads are audited; no CJK font means a clear refusal.
Each report is made by a background job (yuanqu.reports.jobs): `opened` runs the job a report link
started and downloads the file it kept."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from pytest_django.fixtures import Settings

from conftest import World
from yuanqu.core.docx import CELL_PADDING_CM, HALF_WIDTH_CM, column_widths
from yuanqu.dashboard.tests import builders
from yuanqu.jobs.context import job_execute
from yuanqu.jobs.models import Job
from yuanqu.reports import charts
from yuanqu.reports.documents import parse_quarter

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def _jobs(settings: Settings, tmp_path: Path) -> None:
    settings.JOBS_HEARTBEAT_SECONDS = 0
    settings.MEDIA_ROOT = tmp_path / "media"  # the kept reports


def made(response: Any) -> Job:
    """The job a report link started (its page is where the link goes), run to its end."""
    assert response.status_code == 302 and response.url.startswith("/jobs/"), response.content[:300]
    pk = int(response.url.split("/")[2])
    job_execute(pk)
    return Job.objects.get(pk=pk)


def opened(response: Any) -> Any:
    job = made(response)
    assert job.status == "succeeded", job.message
    response = response.client.get(job.result_url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == DOCX
    return Document(io.BytesIO(response.content))


def headings(document: Any) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]


def text_of(document: Any) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def pictures(document: Any) -> int:
    return len(document.inline_shapes)


def test_it_builds_the_city_quarterly_report_with_tables_and_charts(dash: World) -> None:
    document = opened(dash.client("city_admin").post("/reports/city-quarterly.docx", {"quarter": "2026Q3"}))
    assert headings(document) == [
        "武汉市工业园区高质量发展2026年第3季度进展报告",
        "一、总体情况",
        "二、2027年目标进展",
        "三、主要指标运行",
        "四、园区排名",
        "五、啄木鸟诉求办理",
        "六、精准招商",
        "七、数据更新情况",
        "八、能碳",
        "九、说明",
    ]
    text = text_of(document)
    assert "建成现代产业园数量" in text
    assert "2026年1-9月" in text  # ranked at the quarter's last month, not a later one
    assert "江夏现代产业园" in text and "蔡甸特色产业园" in text
    assert pictures(document) >= 3  # target progress and the two monthly trends
    assert len(document.tables) >= 5


def test_it_computes_target_progress_as_of_the_quarters_end(dash: World) -> None:
    q4_2024 = opened(dash.client("city_admin").post("/reports/city-quarterly.docx", {"quarter": "2024Q4"}))
    row = next(r for t in q4_2024.tables for r in t.rows if r.cells[0].text == "建成现代产业园数量")
    assert row.cells[3].text.startswith("10")  # the 2025 value (15) is after the quarter
    q3_2026 = opened(dash.client("city_admin").post("/reports/city-quarterly.docx", {"quarter": "2026Q3"}))
    row = next(r for t in q3_2026.tables for r in t.rows if r.cells[0].text == "建成现代产业园数量")
    assert row.cells[3].text.startswith("15") and row.cells[4].text == "50.0%"


def test_it_limits_the_quarterly_report_to_the_readers_scope(dash: World) -> None:
    text = text_of(opened(dash.client("district_caidian").post("/reports/city-quarterly.docx", {"quarter": "2026Q3"})))
    assert "蔡甸特色产业园" in text
    assert "江夏现代产业园" not in text


def _signed_project(world: World, on: str) -> None:
    import datetime as dt
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from yuanqu.investment import services

    actor, day = world.users["district_jiangxia"], dt.date.fromisoformat(on)
    project = services.project_create(
        actor=actor,
        name="光模块生产基地",
        investor_name="深圳市光谷科技有限公司",
        district=world.districts["jiangxia"],
        park=world.parks["PA"],
        source="capital",
        planned_investment=Decimal("12.50"),
        registered_on=day,
    )
    for stage, files in (("contact", []), ("negotiating", []), ("signed", [b"%PDF-1.4\n%%EOF\n"])):
        project.refresh_from_db()
        services.project_advance(
            actor=actor,
            project=project,
            to_stage=stage,
            on=day,
            version=project.version,
            files=[SimpleUploadedFile("投资协议.pdf", f, content_type="application/pdf") for f in files],
        )


def test_the_quarterly_report_counts_the_years_signed_projects_in_the_readers_scope(dash: World) -> None:
    _signed_project(dash, "2026-03-02")
    document = opened(dash.client("city_admin").post("/reports/city-quarterly.docx", {"quarter": "2026Q3"}))
    text = text_of(document)
    assert "可见范围内登记招商项目 1 个（终止 0 个）；2026年签约 1 个、计划总投资 12.50 亿元" in text
    row = next(r for t in document.tables for r in t.rows if r.cells[0].text == "江夏区")
    assert [c.text for c in row.cells[1:5]] == ["1", "1", "12.50", "0.0%"]
    # The year before has no signing cohort; another district sees no project at all.
    earlier = text_of(opened(dash.client("city_admin").post("/reports/city-quarterly.docx", {"quarter": "2025Q4"})))
    assert "2025年签约 0 个" in earlier
    other = dash.client("district_caidian")
    caidian = text_of(opened(other.post("/reports/city-quarterly.docx", {"quarter": "2026Q3"})))
    assert "可见范围内尚无招商项目。" in caidian


def test_it_builds_the_park_report_with_the_diagnosis(evaluated: builders.Evaluated, dash: World) -> None:
    document = opened(dash.client("district_jiangxia").post("/reports/parks/PA/diagnosis.docx"))
    assert headings(document) == [
        "江夏现代产业园一园一档诊断报告",
        "一、园区概况",
        "二、主导产业链与环节覆盖",
        "三、主要指标与同类型排名",
        "四、评价结果与诊断",
        "五、企业",
        "六、用地与设施",
        "七、啄木鸟诉求办理",
        "八、档案完整度",
        "九、人才供需",
        "十、能碳",
    ]
    text = text_of(document)
    assert "名次90%区间" in text and "维度" in text
    assert "优势：" in text and "短板：" in text
    assert pictures(document) >= 4  # boundary, indicator trends, monthly trends, dimensions


def test_it_says_so_when_a_park_has_no_evaluation_yet(dash: World) -> None:
    text = text_of(opened(dash.client("city_admin").post("/reports/parks/PB/diagnosis.docx")))
    assert "尚无评价结果" in text


def test_it_audits_every_report_download(dash: World) -> None:
    from yuanqu.core.models import AuditLog

    client = dash.client("park_operator")
    opened(client.post("/reports/parks/PA/diagnosis.docx"))
    opened(client.post("/reports/city-quarterly.docx", {"quarter": "2026Q2"}))
    entries = AuditLog.objects.filter(action=AuditLog.Action.EXPORT, actor=dash.users["park_operator"])
    assert sorted(e.object_repr for e in entries) == [
        "武汉市工业园区2026年第2季度进展报告.docx",
        "江夏现代产业园一园一档诊断报告.docx",
    ]


def test_it_answers_404_for_a_park_outside_the_scope(dash: World) -> None:
    assert dash.client("district_caidian").post("/reports/parks/PA/diagnosis.docx").status_code == 404
    assert dash.client("enterprise").post("/reports/parks/PA/diagnosis.docx").status_code == 403


def test_it_refuses_a_malformed_quarter(dash: World) -> None:
    assert dash.client("city_admin").post("/reports/city-quarterly.docx", {"quarter": "2026-3"}).status_code == 404
    assert parse_quarter("2026q4").isoformat() == "2026-10-01"
    with pytest.raises(ValueError):
        parse_quarter("2026Q5")


def test_it_refuses_clearly_when_the_cjk_font_is_missing(dash: World, monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> str:
        raise charts.ChartFontMissing()

    monkeypatch.setattr(charts, "cjk_family", missing)
    job = made(dash.client("city_admin").post("/reports/parks/PA/diagnosis.docx"))
    assert job.status == "failed" and "fonts-noto-cjk" in job.message


def test_it_finds_the_noto_cjk_font_even_when_matplotlibs_cache_predates_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib import font_manager

    charts.cjk_family.cache_clear()
    monkeypatch.setattr(
        font_manager.fontManager, "ttflist", [f for f in font_manager.fontManager.ttflist if "CJK" not in f.name]
    )
    try:
        assert charts.cjk_family().startswith("Noto Sans CJK")
    finally:
        charts.cjk_family.cache_clear()


def test_it_reports_no_font_when_none_is_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib import font_manager

    charts.cjk_family.cache_clear()
    monkeypatch.setattr(
        font_manager.fontManager, "ttflist", [f for f in font_manager.fontManager.ttflist if "CJK" not in f.name]
    )
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [])
    try:
        with pytest.raises(charts.ChartFontMissing, match="fonts-noto-cjk"):
            charts.cjk_family()
    finally:
        charts.cjk_family.cache_clear()


def test_it_draws_charts_as_png() -> None:
    png = charts.year_on_year("规上工业增加值", "万元", ["1-2月", "1-3月"], [10.0, 20.0], [8.0, None])
    assert png.startswith(b"\x89PNG")


def test_it_sizes_table_columns_to_their_text_within_the_page() -> None:
    headers = ["目标", "范围", "进度"]
    rows = [["园区规上工业企业研发投入强度年均增长" * 3, "全市", "58.3%"], ["建成现代产业园数量", "现代产业园", "2.1%"]]
    widths = column_widths(headers, rows, total=16.6)
    assert sum(widths) == pytest.approx(16.6, abs=0.01)
    # The long column wraps; the percentage and the scope keep their natural width.
    assert widths[1] == pytest.approx(10 * HALF_WIDTH_CM + CELL_PADDING_CM, abs=0.01)
    assert widths[2] == pytest.approx(5 * HALF_WIDTH_CM + CELL_PADDING_CM, abs=0.01)
    short = column_widths(["名次", "园区"], [["1", "江夏现代产业园"]], total=16.6)
    assert sum(short) == pytest.approx(16.6) and short[1] > short[0]


def test_it_marks_the_documents_east_asian_language_as_simplified_chinese(dash: World) -> None:
    document = opened(dash.client("city_admin").post("/reports/city-quarterly.docx", {"quarter": "2026Q3"}))
    language = document.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert language is not None and language.get(qn("w:eastAsia")) == "zh-CN"
