"""Each persona sees exactly its scope on the target and task pages, the indicator drill-down and the
API; exports and attachments follow the same rules and exports are audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse

from conftest import World
from yuanqu.core.models import AuditLog
from yuanqu.indicators.services import indicators_compute_all
from yuanqu.indicators.tests.factories import add_stats
from yuanqu.targets import services
from yuanqu.targets.models import ReportAttachment, SupervisedTask

READERS = ["city_admin", "city_viewer", "district_jiangxia", "park_operator", "enterprise", "handler", "sysadmin"]
TODAY = dt.date(2025, 11, 20)


@pytest.fixture
def computed(world: World) -> None:
    add_stats(world)
    indicators_compute_all()


@pytest.mark.parametrize("persona", READERS)
def test_every_reader_sees_the_target_board(world: World, computed: None, persona: str) -> None:
    response = world.client(persona).get("/targets/")
    assert response.status_code == 200
    assert "高新技术企业数" in response.content.decode()


@pytest.mark.parametrize("persona", ["auditor", "anonymous"])
def test_auditors_and_strangers_do_not_see_targets(world: World, persona: str) -> None:
    response = world.client(persona).get("/targets/")
    assert response.status_code in (302, 403)


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("city_admin", 24),
        ("city_viewer", 24),
        ("district_jiangxia", 24),  # 各区人民政府 share every task
        ("handler", 0),  # the world's handler unit is not named by the policy
        ("park_operator", 0),
        ("enterprise", 0),
    ],
)
def test_the_task_board_shows_a_unit_its_own_tasks(
    world: World, tasks: dict[str, Any], persona: str, visible: int
) -> None:
    response = world.client(persona).get("/targets/tasks/")
    assert response.status_code == 200
    assert response.content.decode().count('data-task="') == visible


def test_a_bureau_sees_the_tasks_it_is_responsible_for(world: World, tasks: dict[str, Any]) -> None:
    from django.test import Client

    client = Client()
    client.force_login(tasks["rcj"])
    body = client.get("/targets/tasks/").content.decode()
    assert body.count('data-task="') == 1 and 'data-task="task_17"' in body
    assert client.get("/targets/tasks/task_01/").status_code == 404


def _file(world: World, tasks: dict[str, Any], who: Any, code: str, text: str) -> Any:
    return services.task_report_submit(
        actor=who,
        task=SupervisedTask.objects.get(code=code),
        period=dt.date(2025, 7, 1),
        text=text,
        percent_done=20,
        files=[SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")],
        today=TODAY,
    )


def test_districts_do_not_read_each_others_reports(world: World, tasks: dict[str, Any]) -> None:
    _file(world, tasks, world.users["district_jiangxia"], "task_03", "江夏区的进展")
    _file(world, tasks, tasks["jxj"], "task_03", "市经信局的进展")
    caidian = world.client("district_caidian").get("/targets/tasks/task_03/").content.decode()
    assert "市经信局的进展" in caidian and "江夏区的进展" not in caidian
    admin = world.client("city_admin").get("/targets/tasks/task_03/").content.decode()
    assert "市经信局的进展" in admin and "江夏区的进展" in admin


def test_an_attachment_is_streamed_only_to_those_who_read_its_report(world: World, tasks: dict[str, Any]) -> None:
    report = _file(world, tasks, world.users["district_jiangxia"], "task_03", "江夏区的进展")
    attachment = ReportAttachment.objects.get(report=report)
    url = f"/targets/attachments/{attachment.pk}/"
    own = world.client("district_jiangxia").get(url)
    assert own.status_code == 200 and isinstance(own, FileResponse)
    assert own.getvalue() == b"%PDF-1.4 x"
    assert world.client("city_viewer").get(url).status_code == 200
    for persona in ("district_caidian", "park_operator", "handler"):
        assert world.client(persona).get(url).status_code == 404


def test_the_drill_down_from_a_city_figure_reaches_only_the_users_enterprises(world: World, computed: None) -> None:
    url = "/indicators/revenue/units/?scope=city&period=2024"
    admin = world.client("city_admin").get(url).content.decode()
    assert all(world.enterprises[key].name in admin for key in ("E1", "E2", "E3"))
    jiangxia = world.client("district_jiangxia").get(url).content.decode()
    assert world.enterprises["E1"].name in jiangxia and world.enterprises["E2"].name in jiangxia
    assert world.enterprises["E3"].name not in jiangxia
    park = world.client("park_operator").get(url).content.decode()
    assert world.enterprises["E1"].name in park and world.enterprises["E2"].name not in park


def test_a_district_user_reads_its_own_parks_values_only(world: World, computed: None) -> None:
    assert world.client("district_jiangxia").get("/indicators/revenue/?scope=park:PA").status_code == 200
    assert world.client("district_jiangxia").get("/indicators/revenue/?scope=park:PC").status_code == 404
    assert world.client("district_caidian").get("/indicators/revenue/?scope=park:PC").status_code == 200
    assert world.client("park_operator").get("/indicators/revenue/?scope=park:PB").status_code == 404
    api = world.client("district_jiangxia").get("/api/v1/indicators/revenue/values?scope=park:PC")
    assert api.status_code == 404


def test_exports_are_audited(world: World, computed: None, tasks: dict[str, Any]) -> None:
    urls = (
        "/targets/?export=xlsx",
        "/targets/tasks/?export=xlsx",
        "/indicators/revenue/units/?period=2024&export=xlsx",
    )
    for url in urls:
        response = world.client("city_viewer").get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    exports = AuditLog.objects.filter(action="export", actor=world.users["city_viewer"])
    assert set(exports.values_list("object_type", flat=True)) == {
        "targets.Target",
        "targets.SupervisedTask",
        "indicators.IndicatorValue",
    }
    drill = exports.get(object_type="indicators.IndicatorValue")
    assert drill.after == {"rows": 3}


@pytest.mark.parametrize(
    "persona", ["city_admin", "district_jiangxia", "park_operator", "enterprise", "handler", "rcj"]
)
def test_a_target_page_links_only_to_tasks_the_reader_can_open(
    world: World, tasks: dict[str, Any], persona: str
) -> None:
    import re

    from django.test import Client

    user = tasks["rcj"] if persona == "rcj" else world.users[persona]
    client = Client()
    client.force_login(user)
    codes = sorted({code for task in SupervisedTask.objects.all() for code in task.target_codes})
    linked = 0
    for code in codes:
        page = client.get(f"/targets/{code}/")
        if page.status_code != 200:
            continue
        for task_code in re.findall(r'href="/targets/tasks/([^/"]+)/"', page.content.decode()):
            linked += 1
            assert client.get(f"/targets/tasks/{task_code}/").status_code == 200, (persona, code, task_code)
    if persona in {"city_admin", "district_jiangxia"}:  # they share every task, so they see the links
        assert linked > 0


def test_the_unit_filter_lists_the_units_of_the_tasks_a_user_sees(world: World, tasks: dict[str, Any]) -> None:
    from yuanqu.targets.selectors import units_of_tasks

    everyone = set(units_of_tasks(world.users["city_admin"]).values_list("code", flat=True))
    own = set(units_of_tasks(tasks["rcj"]).values_list("code", flat=True))
    assert {"jxj", "rcj"} <= everyone
    assert "rcj" in own
    assert own < everyone
    assert not units_of_tasks(world.users["park_operator"]).exists()
