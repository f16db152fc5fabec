"""Stagnation: a project that stays in a stage longer than the pack allows tells its owner once, and
the district's users when it stays the escalation days more; the command runs the same function."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command

from yuanqu.investment import services
from yuanqu.investment.models import Project
from yuanqu.investment.tests.conftest import DAY, InvestWorld
from yuanqu.notifications.models import Notification


def test_the_owner_is_told_once_after_the_stage_limit(inv: InvestWorld) -> None:
    project = inv.project()  # 线索 allows 90 days in the Wuhan pack
    assert services.projects_stagnation_notify(today=DAY + dt.timedelta(days=90)) == (0, 0)
    assert services.projects_stagnation_notify(today=DAY + dt.timedelta(days=91)) == (1, 0)
    assert services.projects_stagnation_notify(today=DAY + dt.timedelta(days=92)) == (0, 0)
    [notice] = Notification.objects.filter(kind="investment.stagnant")
    assert notice.recipient == inv.user("district_jiangxia")
    assert notice.title == f"招商项目停滞：{project.number} 光模块生产基地"


def test_the_district_is_told_when_it_stays_longer_still(inv: InvestWorld) -> None:
    inv.project("park_operator")
    services.projects_stagnation_notify(today=DAY + dt.timedelta(days=91))
    assert services.projects_stagnation_notify(today=DAY + dt.timedelta(days=120)) == (0, 0)
    assert services.projects_stagnation_notify(today=DAY + dt.timedelta(days=121)) == (0, 1)
    escalated = Notification.objects.filter(kind="investment.stagnant_escalated")
    assert [n.recipient for n in escalated] == [inv.user("district_jiangxia")]


def test_a_stage_move_starts_the_clock_again(inv: InvestWorld) -> None:
    project = inv.project()
    services.projects_stagnation_notify(today=DAY + dt.timedelta(days=91))
    inv.move(project, "district_jiangxia", "contact", DAY + dt.timedelta(days=95))
    assert Project.objects.get(pk=project.pk).stagnation_notified_on is None
    # 接洽 allows 60 days from day 95.
    assert services.projects_stagnation_notify(today=DAY + dt.timedelta(days=155)) == (0, 0)
    assert services.projects_stagnation_notify(today=DAY + dt.timedelta(days=156)) == (1, 0)


def test_the_command_runs_the_sweep_for_a_given_day(inv: InvestWorld) -> None:
    inv.project()
    out = StringIO()
    call_command("investment_stagnation", "--date", (DAY + dt.timedelta(days=91)).isoformat(), stdout=out)
    assert out.getvalue().strip() == "停滞提醒：通知负责人1个项目，上报所在区0个项目"
