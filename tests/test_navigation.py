"""The menu shows each role what it can use: no 任务督办 where no task can be assigned to the role,
no 数据采集 for roles that never upload, and the 工作台 first for everyone who reads."""

from __future__ import annotations

from django.urls import reverse

from yuanqu.core.roles import Role
from yuanqu.navigation import navigation_for


def _urls(role: Role) -> list[str]:
    return [url for _section, links in navigation_for(role) for _label, url in links]


def test_it_puts_the_workbench_first() -> None:
    for role in Role:
        if role == Role.TALENT:  # a 人才用户 works in 人才直通车 only
            assert _urls(role)[0] == reverse("talent:home")
        elif role != Role.AUDITOR:
            assert _urls(role)[0] == reverse("core:workbench")


def test_it_hides_tasks_and_data_intake_from_enterprises_and_parks() -> None:
    tasks, batches = reverse("targets:tasks"), reverse("intake:batch_list")
    assert tasks not in _urls(Role.ENTERPRISE)
    assert batches not in _urls(Role.ENTERPRISE)
    assert tasks not in _urls(Role.PARK_OPERATOR)
    assert batches in _urls(Role.PARK_OPERATOR)
    assert tasks in _urls(Role.DISTRICT)
    assert tasks in _urls(Role.HANDLER)
