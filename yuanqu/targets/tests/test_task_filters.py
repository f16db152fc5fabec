"""The task board's group and unit filters take only codes that name one of the tasks the reader
may see; any other code (another unit's, or none at all) is no filter and said on the page, as on
the park, enterprise and case lists (`core.listing.named_in`)."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import QueryDict

from conftest import World
from yuanqu.targets.models import SupervisedTask, TaskAssignment
from yuanqu.targets.selectors import TaskFilters

pytestmark = pytest.mark.django_db

SAID = "筛选条件 %s 的值“%s”不是可选的值，已忽略"


def test_a_group_or_unit_that_names_no_task_the_reader_sees_is_ignored_and_said(
    tasks: dict[str, Any], world: World
) -> None:
    admin = world.users["city_admin"]
    group = SupervisedTask.objects.exclude(group_code="").values_list("group_code", flat=True).first()
    assert group
    taken = TaskFilters.from_query(QueryDict(f"group={group}&unit=jxj"), admin)
    assert taken == TaskFilters(group=group, unit="jxj") and taken.ignored == ()
    assert TaskFilters.from_query(QueryDict("group=safeguard"), admin) == TaskFilters(group="safeguard")
    unknown = TaskFilters.from_query(QueryDict("group=G99&unit=no-such-unit"), admin)
    assert unknown == TaskFilters() and unknown.ignored == (SAID % ("group", "G99"), SAID % ("unit", "no-such-unit"))
    # A handler sees the tasks of their own unit: a unit with no task in common is not theirs to filter by.
    handler = tasks["rcj"]
    theirs = set(TaskAssignment.objects.filter(unit=tasks["rcj_unit"]).values_list("task_id", flat=True))
    others = (
        TaskAssignment.objects.exclude(task_id__in=theirs)
        .exclude(unit=tasks["rcj_unit"])
        .values_list("unit__code", flat=True)
    )
    shared = set(TaskAssignment.objects.filter(task_id__in=theirs).values_list("unit__code", flat=True))
    outside = next(code for code in others if code not in shared)
    assert TaskFilters.from_query(QueryDict(f"unit={outside}"), handler).ignored == (SAID % ("unit", outside),)
    # Without a reader (a caller that checks nothing) the codes are taken as given.
    assert TaskFilters.from_query(QueryDict("group=G99")) == TaskFilters(group="G99")


def test_the_board_shows_every_visible_task_and_the_warning_for_an_unknown_unit(
    tasks: dict[str, Any], world: World
) -> None:
    page = world.client("city_admin").get("/targets/tasks/?unit=no-such-unit").content.decode()
    assert SAID % ("unit", "no-such-unit") in page
    assert page.count("data-task=") == SupervisedTask.objects.count()
