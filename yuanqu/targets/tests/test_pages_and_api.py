"""The pages and the API: the board with every target, a target with its trend, projection and
contributors, filing a report and pressing a unit through the pages and the API."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import World
from yuanqu.core.models import AuditLog
from yuanqu.core.pack import load_pack
from yuanqu.indicators.services import indicators_compute_all
from yuanqu.indicators.tests.factories import add_stats
from yuanqu.targets.models import TaskComment, TaskReport
from yuanqu.targets.pack import TARGETS
from yuanqu.targets.tests.test_progress import SHIPPED


@pytest.fixture
def computed(world: World) -> None:
    add_stats(world)
    indicators_compute_all()


def test_the_board_shows_every_target_of_the_policy(world: World, computed: None) -> None:
    body = world.client("city_admin").get("/targets/").content.decode()
    pack = load_pack(SHIPPED).section(TARGETS)
    for target in pack.targets:
        assert target.name in body, target.code
    assert body.count('data-target="') == sum(1 for t in pack.targets if t.kind == "goal")
    assert 'id="board-data"' in body and 'id="board-chart"' in body
    assert "<script>" not in body  # data through json_script only (CSP)


def test_a_target_page_shows_baseline_latest_status_and_projection(world: World, computed: None) -> None:
    response = world.client("city_admin").get("/targets/high_tech_enterprises/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="latest"' in body and "1（2025年）" in body
    chart = json.loads(body.split('id="series-data" type="application/json">')[1].split("</script>")[0])
    # 园区口径: E1 (in PA) from 2024; E4's certificate (outside parks) shows in the city-wide figure beside.
    assert chart["years"] == [["2023-12-31", 0.0], ["2024-12-31", 1.0], ["2025-12-31", 1.0]]
    assert chart["goal"] == 8001  # "超8000家": the level to reach is 8001
    assert 'data-testid="context"' in body and "高新技术企业数（全市口径）" in body
    assert chart["projection"]["at"] == "2027-12-31"
    assert 'data-testid="contributions-district"' in body


def test_the_api_lists_every_target_with_its_progress(world: World, computed: None) -> None:
    page = world.client("city_viewer").get("/api/v1/targets/").json()
    data = page["items"]
    assert len(data) == 25 and page["count"] == 25
    by_code = {item["code"]: item for item in data}
    share = by_code["high_tech_manufacturing_share"]
    assert share["baseline"] == 100.0 and share["latest"] == pytest.approx(96.209913)
    assert share["status"] == "achieved"
    assert by_code["award_cap_modern"]["kind"] == "constraint" and by_code["award_cap_modern"]["status"] is None
    detail = world.client("city_viewer").get("/api/v1/targets/rd_intensity_growth").json()
    # 31,900 ÷ 1,090,000; 42,500 ÷ 1,450,000; 55,700 ÷ 1,780,000
    assert [point["value"] for point in detail["series"]] == pytest.approx([2.926606, 2.931034, 3.129213], rel=1e-5)
    assert detail["goal"] == pytest.approx(2.931034 * 1.1**3, rel=1e-6)


def test_a_unit_files_a_report_through_the_page(world: World, tasks: dict[str, Any]) -> None:
    from django.test import Client

    client = Client()
    client.force_login(tasks["jxj"])
    page = client.get("/targets/tasks/task_14/")
    assert 'data-testid="report-form"' in page.content.decode()
    quarter = timezone.localdate().replace(day=1)
    response = client.post(
        "/targets/tasks/task_14/report/",
        {
            "period": quarter.isoformat(),
            "text": "园区智慧化平台建设方案已印发",
            "percent_done": "35",
            "files": [SimpleUploadedFile("方案.pdf", b"%PDF-1.5 plan")],
        },
    )
    assert response.status_code == 302
    report = TaskReport.objects.get(task__code="task_14")
    assert (report.unit.code, report.percent_done, report.attachments.count()) == ("jxj", 35, 1)


def test_the_city_presses_a_unit_through_the_page_and_the_api(world: World, tasks: dict[str, Any]) -> None:
    admin = world.client("city_admin")
    response = admin.post("/targets/tasks/task_14/press/", {"unit": "sjj", "text": "请报送三季度进展"})
    assert response.status_code == 302
    api = admin.post(
        "/api/v1/targets/tasks/task_14/comments",
        {"kind": "press", "unit": "jxj", "text": "请补充附件"},
        content_type="application/json",
    )
    assert api.status_code == 201 and api.json()["unit"] == "jxj"
    assert TaskComment.objects.filter(kind="press").count() == 2
    assert AuditLog.objects.filter(object_type="targets.TaskComment").count() == 2
    viewer = world.client("city_viewer").post(
        "/api/v1/targets/tasks/task_14/comments", {"kind": "comment", "text": "x"}, content_type="application/json"
    )
    assert viewer.status_code == 403 and viewer.json()["code"] == "city_only"


def test_the_system_administrator_gets_the_city_admins_task_forms(world: World, tasks: dict[str, Any]) -> None:
    """The services let the system administrator act as the city administrator (core.permissions);
    the task page used to hide the city's forms from it, so the page and the API disagreed. The
    role is what counts, not Django's superuser flag (an administrator may hold the role without it)."""
    world.users["sysadmin"].is_superuser = False
    world.users["sysadmin"].save(update_fields=["is_superuser"])
    page = world.client("sysadmin").get("/targets/tasks/task_14/").content.decode()
    assert 'data-testid="press-form"' in page
    assert 'data-testid="press-form"' not in world.client("city_viewer").get("/targets/tasks/task_14/").content.decode()
    response = world.client("sysadmin").post("/targets/tasks/task_14/press/", {"unit": "sjj", "text": "请报送进展"})
    assert response.status_code == 302
    assert TaskComment.objects.filter(kind="press", unit__code="sjj").count() == 1


def test_a_unit_files_a_report_through_the_api(world: World, tasks: dict[str, Any]) -> None:
    response = world.client("district_jiangxia").post(
        "/api/v1/targets/tasks/task_03/reports",
        {"period": "2025-07-01", "text": "江夏区特色园区建设进展", "percent_done": 25},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["unit"] == "gqzf-420115"
    listing = world.client("district_jiangxia").get("/api/v1/targets/tasks/task_03").json()
    assert [report["text"] for report in listing["reports"]] == ["江夏区特色园区建设进展"]
