"""督办 writes: tasks from the pack with expanded units, quarterly reports with attachments, the
city's comments, presses and closing; each validated with a clear message and audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import World
from yuanqu.core.models import AuditLog, User
from yuanqu.registry.models import ResponsibleUnit
from yuanqu.targets import services
from yuanqu.targets.models import ReportAttachment, SupervisedTask, TaskAssignment, TaskReport
from yuanqu.targets.selectors import task_lines

TODAY = dt.date(2025, 11, 20)  # 2025 Q1–Q3 reports are due by then (Q3 on 2025-10-10)
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


def task(code: str) -> SupervisedTask:
    return SupervisedTask.objects.get(code=code)


def test_it_loads_18_tasks_and_6_safeguards_with_their_units(tasks: dict[str, Any]) -> None:
    assert SupervisedTask.objects.filter(kind="task").count() == 18
    assert SupervisedTask.objects.filter(kind="safeguard").count() == 6
    first = task("task_01")
    leads = list(first.assignments.filter(role="lead").order_by("sort_order").values_list("unit__code", flat=True))
    assert leads == ["jxj", "zjj", "fgw"]
    co = set(first.assignments.filter(role="co").values_list("unit__code", flat=True))
    assert "gqzf-420115" in co and "gqzf-z01" in co  # every district and development zone
    assert len(co) == 17
    assert first.target_codes == ["industrial_land_total", "park_industrial_land_share"]


def test_it_expands_a_group_of_lead_units_to_its_members(tasks: dict[str, Any]) -> None:
    leads = set(task("safeguard_1").assignments.filter(role="lead").values_list("unit__code", flat=True))
    assert {"jxj", "fgw", "tjj", "jtysj"} <= leads
    assert "lxhy" not in leads


def test_it_syncs_again_without_duplicating(tasks: dict[str, Any]) -> None:
    before = TaskAssignment.objects.count()
    services.supervised_tasks_sync()
    assert TaskAssignment.objects.count() == before
    assert SupervisedTask.objects.count() == 24


def test_a_handler_files_a_quarterly_report_with_an_attachment(tasks: dict[str, Any]) -> None:
    upload = SimpleUploadedFile("进展.pdf", PDF, content_type="application/pdf")
    report = services.task_report_submit(
        actor=tasks["jxj"],
        task=task("task_01"),
        period=dt.date(2025, 8, 15),
        text="已完成布局图初稿",
        percent_done=40,
        files=[upload],
        today=TODAY,
    )
    assert (report.unit.code, report.period, report.percent_done) == ("jxj", dt.date(2025, 7, 1), 40)
    stored = ReportAttachment.objects.get(report=report)
    assert stored.original_name == "进展.pdf" and stored.content_type == "application/pdf"
    assert stored.file.read() == PDF
    assert task("task_01").status == "in_progress"
    entry = AuditLog.objects.get(object_type="targets.TaskReport", action="create")
    assert entry.after == {"text": "已完成布局图初稿", "percent_done": 40}


def test_filing_again_for_the_same_quarter_revises_the_report_and_audits_the_change(tasks: dict[str, Any]) -> None:
    for percent in (40, 55):
        services.task_report_submit(
            actor=tasks["jxj"],
            task=task("task_01"),
            period=dt.date(2025, 7, 1),
            text="进展",
            percent_done=percent,
            today=TODAY,
        )
    assert TaskReport.objects.get().percent_done == 55
    change = AuditLog.objects.get(object_type="targets.TaskReport", action="update")
    assert (change.before, change.after) == ({"percent_done": 40}, {"percent_done": 55})


def test_a_district_user_reports_for_its_district_government(world: World, tasks: dict[str, Any]) -> None:
    report = services.task_report_submit(
        actor=world.users["district_jiangxia"],
        task=task("task_03"),
        period=dt.date(2025, 9, 1),
        text="江夏区进展",
        percent_done=30,
        today=TODAY,
    )
    assert report.unit.code == "gqzf-420115"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"period": dt.date(2026, 1, 1)}, "period", "不能报送尚未开始的季度（2026年第1季度）"),
        ({"period": dt.date(2024, 12, 1)}, "period", "报送期早于政策实施期（2025-01-01起）"),
        ({"text": "  "}, "text", "请填写进展情况"),
        ({"percent_done": 120}, "percent_done", "完成进度应为0到100之间的整数"),
    ],
)
def test_it_refuses_a_bad_report_and_saves_nothing(
    tasks: dict[str, Any], changes: dict[str, Any], field: str, message: str
) -> None:
    fields: dict[str, Any] = {"period": dt.date(2025, 7, 1), "text": "进展", "percent_done": 50}
    fields.update(changes)
    with pytest.raises(ValidationError) as error:
        services.task_report_submit(actor=tasks["jxj"], task=task("task_01"), today=TODAY, **fields)
    assert error.value.message_dict[field] == [message]
    assert not TaskReport.objects.exists()


def test_it_refuses_a_report_from_a_unit_not_responsible_for_the_task(tasks: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied, match=services.ERR_NOT_ASSIGNED):
        services.task_report_submit(
            actor=tasks["rcj"],
            task=task("task_01"),
            period=dt.date(2025, 7, 1),
            text="x",
            percent_done=1,
            today=TODAY,
        )


@pytest.mark.parametrize("persona", ["city_admin", "park_operator", "enterprise", "auditor"])
def test_it_refuses_reports_from_roles_without_a_unit(world: World, tasks: dict[str, Any], persona: str) -> None:
    with pytest.raises(PermissionDenied, match=services.ERR_NO_UNIT):
        services.task_report_submit(
            actor=world.users[persona],
            task=task("task_01"),
            period=dt.date(2025, 7, 1),
            text="x",
            percent_done=1,
            today=TODAY,
        )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("说明.exe", b"MZ\x90\x00", "类型不允许"),
        ("伪装.pdf", b"GIF89a", "内容与其扩展名不符"),
        ("空.pdf", b"", "是空文件"),
    ],
)
def test_it_refuses_a_bad_attachment_and_stores_no_report(
    tasks: dict[str, Any], name: str, content: bytes, message: str
) -> None:
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationError, match=message):
        services.task_report_submit(
            actor=tasks["jxj"],
            task=task("task_01"),
            period=dt.date(2025, 7, 1),
            text="x",
            percent_done=1,
            files=[upload],
            today=TODAY,
        )
    assert not TaskReport.objects.exists() and not ReportAttachment.objects.exists()


def test_the_board_lists_overdue_reports_of_lead_units(tasks: dict[str, Any], world: World) -> None:
    services.task_report_submit(
        actor=tasks["jxj"],
        task=task("task_03"),
        period=dt.date(2025, 1, 1),
        text="一季度",
        percent_done=10,
        today=TODAY,
    )
    line = next(line for line in task_lines(world.users["city_admin"], today=TODAY) if line.task.code == "task_03")
    # task 3 is led by 市经信局 alone: 2025 Q1 filed, Q2 and Q3 overdue; Q4 not due yet
    overdue = [(o.unit.code, o.period) for o in line.overdue]
    assert overdue == [("jxj", dt.date(2025, 4, 1)), ("jxj", dt.date(2025, 7, 1))]
    assert line.latest_percent == 10


def test_the_reporting_time_limit_comes_from_the_pack(
    tasks: dict[str, Any], world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses

    from yuanqu.indicators import catalogue
    from yuanqu.targets.pack import TARGETS

    shipped = catalogue.policy_pack()
    plan = dataclasses.replace(shipped.section(TARGETS), report_due_days=60)
    changed = dataclasses.replace(shipped, sections={**shipped.sections, TARGETS.name: plan})
    # With 60 days after the quarter, Q3 2025 (ended 2025-09-30) is not due on 2025-11-20 yet.
    monkeypatch.setattr(catalogue, "policy_pack", lambda: changed)
    line = next(line for line in task_lines(world.users["city_admin"], today=TODAY) if line.task.code == "task_03")
    assert [(o.period, o.due) for o in line.overdue] == [
        (dt.date(2025, 1, 1), dt.date(2025, 5, 30)),
        (dt.date(2025, 4, 1), dt.date(2025, 8, 29)),
    ]


def test_the_city_presses_a_unit_and_comments_with_audit(world: World, tasks: dict[str, Any]) -> None:
    admin = world.users["city_admin"]
    press = services.task_press(actor=admin, task=task("task_01"), unit=tasks["jxj_unit"], text="请尽快报送")
    comment = services.task_comment_add(actor=admin, task=task("task_01"), text="抓紧推进")
    assert (press.kind, press.unit) == ("press", tasks["jxj_unit"])
    assert comment.kind == "comment"
    assert AuditLog.objects.filter(object_type="targets.TaskComment", action="create").count() == 2
    assert AuditLog.objects.get(detail="催办市经信局").actor == admin


def test_only_the_city_admin_presses_comments_and_closes(world: World, tasks: dict[str, Any]) -> None:
    for persona in ("city_viewer", "district_jiangxia", "handler"):
        with pytest.raises(PermissionDenied, match=services.ERR_CITY_ONLY):
            services.task_press(actor=world.users[persona], task=task("task_01"), unit=tasks["jxj_unit"], text="x")
        with pytest.raises(PermissionDenied, match=services.ERR_CITY_ONLY):
            services.task_complete(actor=world.users[persona], task=task("task_01"))


def test_it_refuses_to_press_a_unit_not_responsible_for_the_task(world: World, tasks: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="不是该任务的责任单位"):
        services.task_press(actor=world.users["city_admin"], task=task("task_01"), unit=tasks["rcj_unit"], text="x")


def test_a_task_is_closed_only_while_in_progress(world: World, tasks: dict[str, Any]) -> None:
    admin = world.users["city_admin"]
    with pytest.raises(ValidationError, match="任务当前状态为“未启动”，不能办结"):
        services.task_complete(actor=admin, task=task("task_02"))
    services.task_report_submit(
        actor=tasks["jxj"],
        task=task("task_02"),
        period=dt.date(2025, 7, 1),
        text="完成",
        percent_done=100,
        today=TODAY,
    )
    closed = services.task_complete(actor=admin, task=task("task_02"))
    assert closed.status == "completed" and closed.completed_at is not None
    line = next(line for line in task_lines(admin, today=TODAY) if line.task.code == "task_02")
    assert line.overdue == []  # a closed task has no reports due
    assert services.task_reopen(actor=admin, task=closed).status == "in_progress"


def test_it_needs_the_units_loaded_first(world: World) -> None:
    # Without the pack's units: the tasks and handlers this module's other tests share name them.
    TaskAssignment.objects.all().delete()
    User.objects.filter(unit__isnull=False).exclude(unit__code="jxj-test").delete()
    ResponsibleUnit.objects.exclude(code="jxj-test").delete()
    with pytest.raises(ValidationError, match="责任单位尚未载入"):
        services.supervised_tasks_sync()


def test_it_refuses_an_eleventh_attachment_on_a_report(tasks: dict[str, Any]) -> None:
    uploads = [SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(11)]
    with pytest.raises(ValidationError) as caught:
        services.task_report_submit(
            actor=tasks["jxj"],
            task=task("task_01"),
            period=dt.date(2025, 7, 1),
            text="x",
            percent_done=1,
            files=uploads,
            today=TODAY,
        )
    assert caught.value.message_dict == {"files": ["每份进展报告最多10个附件"]}
    assert not TaskReport.objects.exists()
