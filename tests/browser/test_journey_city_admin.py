"""The city admin's journey in a real browser: log in → cockpit → a 2027 target → back → a park's
一园一档 → its evaluation diagnosis → the diagnosis report (.docx) and the cockpit's tables (.xlsx).
Every request stays on this host (the `page_for` fixture fails the test otherwise)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from conftest import World
from tests.browser.conftest import ARTIFACTS, PageFor
from yuanqu.dashboard.tests import builders
from yuanqu.jobs.testing import run_queued_tasks

pytestmark = pytest.mark.browser


@pytest.fixture
def admin_world(live_world: World) -> World:
    builders.indicator_values(live_world)
    builders.evaluated(live_world)
    return live_world


def test_it_takes_the_city_admin_from_the_cockpit_to_a_parks_diagnosis_and_its_report(
    admin_world: World, live_server: LiveServer, page_for: PageFor, settings: Settings, tmp_path: Path
) -> None:
    from docx import Document
    from python_calamine import CalamineWorkbook

    settings.JOBS_HEARTBEAT_SECONDS, settings.MEDIA_ROOT = 0, tmp_path

    page = page_for("t-admin")
    page.goto(f"{live_server.url}/cockpit/")
    assert "武汉市工业园区驾驶舱" in page.inner_text("h1")
    page.wait_for_selector("#cockpit-map[data-ready]", state="attached")
    assert page.get_attribute("#cockpit-map", "data-ready") == "3"  # PA, PB, PC; the nine test parks have no boundary
    assert page.locator("#cockpit-map canvas").count() >= 1
    assert page.get_attribute("#trend-monthly", "data-ready") == "9"  # 1-2月 … 1-10月 of 2026

    # A target: its tile links to the target page.
    page.click("[data-target=park_count_modern] a.target-name")
    page.wait_for_url("**/targets/park_count_modern/")
    assert "建成现代产业园数量" in page.inner_text("h1")
    assert "15" in page.inner_text("[data-testid=latest]")
    page.go_back()

    # The cockpit's tables as a workbook.
    with page.expect_download() as download:
        page.click("[data-testid=cockpit-export]")
    book = CalamineWorkbook.from_filelike(io.BytesIO(download.value.path().read_bytes()))
    assert "园区排名" in book.sheet_names

    # A park from the ranking: its 一园一档.
    page.click("[data-testid=top-parks] >> text=江夏现代产业园")
    page.wait_for_url("**/cockpit/parks/PA/")
    assert "一园一档" in page.inner_text("h1")
    assert page.inner_text("[data-testid=interval]") != "—"
    page.wait_for_selector("#profile-lines[data-ready]", state="attached")

    # Its diagnosis (the evaluation's page), then back to download the report.
    page.click("[data-testid=diagnosis-link]")
    page.wait_for_url("**/evaluation/runs/*/parks/PA/")
    assert "江夏现代产业园" in page.inner_text("main")
    page.go_back()
    # The report is made by a background job: the link opens the job's page, which polls until the
    # worker has kept the file, then links it.
    page.click("[data-testid=park-report]")
    page.wait_for_selector("[data-testid=job][data-status=queued]")
    assert run_queued_tasks() == 1
    page.wait_for_selector("[data-testid=job][data-status=succeeded]")
    assert page.inner_text("[data-testid=job-steps]").split() == ["核对数据", "生成文档", "保存文件"]
    with page.expect_download() as download:
        page.click("[data-testid=job-result]")
    assert download.value.suggested_filename == "江夏现代产业园一园一档诊断报告.docx"
    document = Document(io.BytesIO(download.value.path().read_bytes()))
    assert "四、评价结果与诊断" in [p.text for p in document.paragraphs]
    assert len(document.inline_shapes) >= 3


def test_it_shows_the_big_screen_at_1920_by_1080(
    admin_world: World, live_server: LiveServer, page_for: PageFor
) -> None:
    page = page_for("t-admin")
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/cockpit/?screen=1")
    page.wait_for_selector("#cockpit-map[data-ready]", state="attached")
    box = page.locator(".cockpit.screen").bounding_box()
    assert box is not None and box["x"] == 0 and box["y"] == 0 and box["width"] == 1920
    # The whole cockpit fits the screen: no card reaches below 1080 px.
    bottom = page.evaluate(
        "Math.max(...Array.from(document.querySelectorAll('.cockpit-grid > .card'))"
        ".map(c => c.getBoundingClientRect().bottom))"
    )
    assert bottom <= 1080
    page.screenshot(path=str(ARTIFACTS / "test_it_shows_the_big_screen_at_1920_by_1080-screen.png"))
    page.click("[data-testid=leave-screen]")
    assert page.locator(".cockpit.screen").count() == 0
