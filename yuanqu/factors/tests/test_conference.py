"""The 联席会议: a meeting with the member units that attended, each decision becoming a supervised
task of the 督办 with its lead and co-units (reported on and pressed like any task), a decision past
its deadline and not completed shown overdue, and only the city records them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import World
from yuanqu.core.models import AuditLog
from yuanqu.factors import selectors
from yuanqu.factors.models import Meeting, MeetingMinutes
from yuanqu.factors.services import conference
from yuanqu.registry.models import ResponsibleUnit
from yuanqu.registry.services import policy_pack_apply
from yuanqu.targets.models import SupervisedTask, TaskAssignment
from yuanqu.targets.services import task_complete

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 20)


@pytest.fixture
def units(world: World) -> dict[str, ResponsibleUnit]:
    policy_pack_apply()
    return {unit.code: unit for unit in ResponsibleUnit.objects.all()}


def meeting(world: World, units: dict[str, ResponsibleUnit], persona: str = "city_admin") -> Meeting:
    return conference.meeting_record(
        actor=world.users[persona],
        held_on=DAY,
        title="2026年第一次联席会议",
        convener="分管副市长",
        units=[units["jxj"], units["zjj"], units["czj"]],
        agenda="一、园区用地保障；二、产业名园奖励资金安排",
    )


def test_a_decision_becomes_a_supervised_task_with_its_units(world: World, units: dict[str, ResponsibleUnit]) -> None:
    held = meeting(world, units)
    decision = conference.decision_add(
        actor=world.users["city_admin"],
        meeting=held,
        text="市资建局牵头制定工业用地弹性年期出让实施细则",
        lead=units["zjj"],
        co_units=[units["jxj"], units["czj"]],
        due_on=dt.date(2026, 6, 30),
    )
    task = SupervisedTask.objects.get(pk=decision.task_id)
    assert task.code == f"LXHY-{held.pk}-1"
    assert task.title == "市资建局牵头制定工业用地弹性年期出让实施细则"
    assert task.group_title == "联席会议议定事项"
    # Its own kind, with the decision's deadline on the task itself.
    assert (task.kind, task.due_on, str(task)) == ("decision", dt.date(2026, 6, 30), f"议定事项：{task.title}")
    roles = {(row.unit.code, row.role) for row in TaskAssignment.objects.filter(task=task).select_related("unit")}
    assert roles == {("zjj", "lead"), ("jxj", "co"), ("czj", "co")}
    # The 督办 reads it like any task: the lead unit's handler finds it in its scope.
    assert SupervisedTask.objects.visible_to(world.users["city_viewer"]).filter(pk=task.pk).exists()


def test_a_decision_past_its_deadline_is_overdue_until_completed(
    world: World, units: dict[str, ResponsibleUnit]
) -> None:
    held = meeting(world, units)
    decision = conference.decision_add(
        actor=world.users["city_admin"],
        meeting=held,
        text="各区梳理园区用地缺口",
        lead=units["jxj"],
        due_on=dt.date(2026, 4, 30),
    )
    admin = world.users["city_admin"]
    assert [line.overdue for line in selectors.decisions(admin, held, dt.date(2026, 4, 30))] == [False]
    assert [line.overdue for line in selectors.decisions(admin, held, dt.date(2026, 5, 1))] == [True]
    # The lead unit's first quarterly report puts a task in progress; the city then completes it.
    SupervisedTask.objects.filter(pk=decision.task_id).update(status=SupervisedTask.Status.IN_PROGRESS)
    task_complete(actor=admin, task=SupervisedTask.objects.get(pk=decision.task_id))
    assert [line.overdue for line in selectors.decisions(admin, held, dt.date(2026, 5, 1))] == [False]


def test_a_decision_owes_the_quarterly_reports_from_its_meeting_on(
    world: World, units: dict[str, ResponsibleUnit]
) -> None:
    from yuanqu.targets.selectors import task_lines
    from yuanqu.targets.services import supervised_tasks_sync

    supervised_tasks_sync()
    held = meeting(world, units)  # 2026-03-20
    decision = conference.decision_add(
        actor=world.users["city_admin"],
        meeting=held,
        text="各区梳理园区用地缺口",
        lead=units["jxj"],
        due_on=dt.date(2026, 12, 31),
    )
    assert SupervisedTask.objects.get(pk=decision.task_id).reports_from == DAY
    lines = task_lines(world.users["city_admin"], today=dt.date(2026, 7, 20))
    line = next(line for line in lines if line.task.pk == decision.task_id)
    # 2026 Q1 (the meeting's quarter, due 04-10) and Q2 (due 07-10), none of 2025
    assert [o.period for o in line.overdue] == [dt.date(2026, 1, 1), dt.date(2026, 4, 1)]
    pack_task = next(line for line in lines if line.task.kind == "task")
    assert pack_task.overdue[0].period == dt.date(2025, 1, 1)  # the plan's tasks owe them from its start


def test_it_refuses_a_unit_outside_the_conference(world: World, units: dict[str, ResponsibleUnit]) -> None:
    outsider = ResponsibleUnit.objects.create(code="not-member", name="某协会", kind=ResponsibleUnit.Kind.BUREAU)
    with pytest.raises(ValidationError) as caught:
        conference.meeting_record(
            actor=world.users["city_admin"],
            held_on=DAY,
            title="会议",
            convener="召集人",
            units=[units["jxj"], outsider],
            agenda="议程",
        )
    assert caught.value.message_dict["units"] == [conference.UNIT_NOT_MEMBER % {"unit": "某协会"}]
    assert not Meeting.objects.exists()


def test_it_refuses_a_deadline_before_the_meeting(world: World, units: dict[str, ResponsibleUnit]) -> None:
    held = meeting(world, units)
    with pytest.raises(ValidationError) as caught:
        conference.decision_add(
            actor=world.users["city_admin"], meeting=held, text="事项", lead=units["jxj"], due_on=dt.date(2026, 3, 1)
        )
    assert caught.value.message_dict["due_on"] == [conference.DUE_BEFORE_MEETING % {"day": "2026-03-20"}]
    assert not SupervisedTask.objects.filter(group_code=conference.GROUP_CODE).exists()


@pytest.mark.parametrize("persona", ["district_jiangxia", "city_viewer", "park_operator"])
def test_only_the_city_records_meetings(world: World, units: dict[str, ResponsibleUnit], persona: str) -> None:
    with pytest.raises(PermissionDenied):
        meeting(world, units, persona)


def test_the_meeting_page_and_api_show_the_decisions_as_tasks(world: World, units: dict[str, ResponsibleUnit]) -> None:
    client = world.client("city_admin")
    created = client.post(
        "/api/v1/factors/meetings",
        {
            "held_on": "2026-03-20",
            "title": "第一次联席会议",
            "convener": "分管副市长",
            "units": ["jxj", "zjj"],
            "agenda": "用地",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    meeting_id = created.json()["id"]
    decided = client.post(
        f"/api/v1/factors/meetings/{meeting_id}/decisions",
        {"text": "制定实施细则", "lead": "zjj", "co_units": ["jxj"], "due_on": "2026-04-30"},
        content_type="application/json",
    )
    assert decided.status_code == 201 and decided.json()["task"] == f"LXHY-{meeting_id}-1"
    refused = client.post(
        f"/api/v1/factors/meetings/{meeting_id}/decisions",
        {"text": "事项", "lead": "no-such-unit", "due_on": "2026-04-30"},
        content_type="application/json",
    )
    assert refused.status_code == 422 and "未知的责任单位：no-such-unit" in refused.json()["detail"]
    page = world.client("district_jiangxia").get(f"/factors/meetings/{meeting_id}/").content.decode()
    assert "制定实施细则" in page and f"/targets/tasks/LXHY-{meeting_id}-1/" in page
    assert world.client("enterprise").get(f"/factors/meetings/{meeting_id}/").status_code == 403


def test_the_minutes_are_kept_checked_and_their_download_audited(
    world: World, units: dict[str, ResponsibleUnit], settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    held = meeting(world, units)
    client = world.client("city_admin")
    fake = SimpleUploadedFile("纪要.pdf", b"not a pdf at all", content_type="application/pdf")
    client.post(f"/factors/meetings/{held.pk}/minutes/", {"files": [fake]})
    assert not MeetingMinutes.objects.exists()
    real = SimpleUploadedFile("纪要.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    assert client.post(f"/factors/meetings/{held.pk}/minutes/", {"files": [real]}).status_code == 302
    kept = MeetingMinutes.objects.get()
    download = world.client("district_caidian").get(f"/factors/minutes/{kept.pk}/")
    assert download.status_code == 200 and download.getvalue().startswith(b"%PDF-1.4")
    assert AuditLog.objects.filter(action="download", actor=world.users["district_caidian"]).exists()
    assert (
        world.client("district_caidian").post(f"/factors/meetings/{held.pk}/minutes/", {"files": [real]}).status_code
        == 403
    )


def test_the_register_exports_each_meeting_and_its_decisions_with_their_tasks(
    world: World, units: dict[str, ResponsibleUnit]
) -> None:
    import io

    from python_calamine import CalamineWorkbook

    held = meeting(world, units)
    for text, due in (("制定弹性年期出让实施细则", dt.date(2026, 6, 30)), ("安排名园奖励资金", dt.date(2099, 1, 1))):
        conference.decision_add(
            actor=world.users["city_admin"],
            meeting=held,
            text=text,
            lead=units["zjj"],
            co_units=[units["jxj"], units["czj"]],
            due_on=due,
        )
    page = world.client("district_jiangxia").get("/factors/meetings/").content.decode()
    assert "/factors/meetings/export/" in page
    response = world.client("district_jiangxia").get("/factors/meetings/export/")
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names == ["联席会议", "议定事项"]
    meetings = book.get_sheet_by_name("联席会议").to_python()
    assert meetings[1][1:3] == ["2026年第一次联席会议", "分管副市长"]
    assert meetings[1][5] == 2.0  # decisions
    decisions = book.get_sheet_by_name("议定事项").to_python()
    assert decisions[0][3:] == ["议定事项", "牵头单位", "配合单位", "完成时限", "督办状态", "已超期"]
    lead, co = units["zjj"].name, {units["jxj"].name, units["czj"].name}
    assert [(row[3], row[4], set(str(row[5]).split("、")), row[8]) for row in decisions[1:]] == [
        ("制定弹性年期出让实施细则", lead, co, "是"),  # past its deadline (the clock is today) and open
        ("安排名园奖励资金", lead, co, ""),
    ]
    assert AuditLog.objects.filter(
        action="export", object_type="factors.Meeting", actor=world.users["district_jiangxia"], after={"rows": 3}
    ).exists()
    # The conference's readers only: an enterprise gets no file.
    assert world.client("enterprise").get("/factors/meetings/export/").status_code == 403
