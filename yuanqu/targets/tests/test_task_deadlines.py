"""Deadlines on the 督办 board: a task with a deadline (a 联席会议 decision's `due_on`) shows it on the
board, the task page and in the API; one past its deadline and not completed is marked 已超期; the
board and the API sort by deadline on request, tasks without one last."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone
from python_calamine import CalamineWorkbook

from conftest import World
from yuanqu.targets.models import SupervisedTask
from yuanqu.targets.selectors import TaskFilters, task_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def deadlines(tasks: dict[str, Any]) -> dt.date:
    """task_05 is past its deadline, task_02 has one ahead, task_04 was completed after its deadline."""
    today = timezone.localdate()
    SupervisedTask.objects.filter(code="task_05").update(due_on=today - dt.timedelta(days=10))
    SupervisedTask.objects.filter(code="task_02").update(due_on=today + dt.timedelta(days=30))
    SupervisedTask.objects.filter(code="task_04").update(
        due_on=today - dt.timedelta(days=40), status=SupervisedTask.Status.COMPLETED
    )
    return today


def test_a_task_past_its_deadline_and_open_is_marked_and_sorting_puts_deadlines_first(
    deadlines: dt.date, world: World
) -> None:
    lines = task_lines(world.users["city_admin"], TaskFilters(sort="due"))
    assert [line.task.code for line in lines[:3]] == ["task_04", "task_05", "task_02"]
    assert [line.past_due for line in lines[:3]] == [False, True, False]
    assert all(line.task.due_on is None for line in lines[3:])
    plain = task_lines(world.users["city_admin"])
    assert plain[0].task.code == "task_01"  # the plan's order unless asked
    # on the day itself it is not past yet
    assert not next(
        line
        for line in task_lines(world.users["city_admin"], today=deadlines - dt.timedelta(days=10))
        if line.task.code == "task_05"
    ).past_due


def test_the_board_and_the_task_page_show_the_deadline_and_the_mark(deadlines: dt.date, world: World) -> None:
    client = world.client("city_admin")
    page = client.get("/targets/tasks/?sort=due").content.decode()
    late = (deadlines - dt.timedelta(days=10)).isoformat()
    assert page.index('data-task="task_04"') < page.index('data-task="task_05"') < page.index('data-task="task_02"')
    row = page[page.index('data-task="task_05"') :]
    row = row[: row.index("</tr>")]
    assert late in row and 'data-testid="past-due"' in row
    assert page.count('data-testid="past-due"') == 1
    detail = client.get("/targets/tasks/task_05/").content.decode()
    assert "完成时限" in detail and late in detail and 'data-testid="past-due"' in detail
    book = CalamineWorkbook.from_filelike(io.BytesIO(client.get("/targets/tasks/?sort=due&export=xlsx").content))
    sheet = book.get_sheet_by_name("任务").to_python()
    assert sheet[0][5:8] == ["状态", "完成时限", "已超期"]
    assert str(sheet[2][1]).endswith(SupervisedTask.objects.get(code="task_05").title)
    assert sheet[2][7] == "是"


def test_the_api_gives_each_task_its_deadline_and_sorts_by_it(deadlines: dt.date, world: World) -> None:
    client = world.client("city_admin")
    items = client.get("/api/v1/targets/tasks?sort=due").json()["items"]
    assert [(i["code"], i["due_on"], i["past_due"]) for i in items[:3]] == [
        ("task_04", (deadlines - dt.timedelta(days=40)).isoformat(), False),
        ("task_05", (deadlines - dt.timedelta(days=10)).isoformat(), True),
        ("task_02", (deadlines + dt.timedelta(days=30)).isoformat(), False),
    ]
    assert items[3]["due_on"] is None
    assert client.get("/api/v1/targets/tasks?sort=title").status_code == 422
    one = client.get("/api/v1/targets/tasks/task_05").json()
    assert one["past_due"] is True
