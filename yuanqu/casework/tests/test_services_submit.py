"""Submission: who may file what, answers to the category's questions, attachments limited in size,
count and type and stored outside the web root, the per-enterprise rate limit, repeat detection,
numbering and visits."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.fixtures import Settings

from yuanqu.casework import clock, services
from yuanqu.casework.attachments import ATTACHMENT_COUNT, MAX_ATTACHMENTS_PER_CASE
from yuanqu.casework.models import Attachment, Case, Notification, Visit
from yuanqu.casework.services import (
    ANSWER_CHOICE,
    ANSWER_REQUIRED,
    CATEGORY_KIND,
    ENTERPRISE_REQUIRED,
    RATE_LIMITED,
    SUBMISSION_LIMIT,
    CasePermissionError,
    CaseTransitionError,
)
from yuanqu.core.attachments import ERR_CONTENT, ERR_TOO_LARGE, ERR_TYPE, MAX_ATTACHMENT_BYTES

from .conftest import PDF, PNG, CaseWorld, at, pdf


def test_it_numbers_cases_per_year(cw: CaseWorld) -> None:
    first = cw.submit(when=at(2025, 12, 31, 23), title="甲")
    second = cw.submit(when=at(2026, 1, 1, 0, 30), title="乙事项完全不同")
    third = cw.submit(when=at(2026, 1, 2), title="丙事项也不同")
    assert [first.number, second.number, third.number] == ["ZMN-2025-000001", "ZMN-2026-000001", "ZMN-2026-000002"]


def test_it_checks_the_answers_to_the_category_questions(cw: CaseWorld) -> None:
    with pytest.raises(CaseTransitionError) as missing:
        cw.submit(when=at(2025, 3, 3), answers={})
    assert missing.value.message_dict == {"answers": [ANSWER_REQUIRED % {"label": "紧急程度"}]}
    with pytest.raises(CaseTransitionError) as wrong:
        cw.submit(when=at(2025, 3, 3), answers={"urgency": "十万火急"})
    assert wrong.value.message_dict == {"answers": [ANSWER_CHOICE % {"label": "紧急程度", "choices": "一般、紧急"}]}
    with pytest.raises(CaseTransitionError):
        cw.submit(when=at(2025, 3, 3), answers={"urgency": "紧急", "amount": "很多"})
    case = cw.submit(when=at(2025, 3, 3), answers={"urgency": "紧急", "amount": "12.5", "ignored": "x"})
    assert case.answers == {"urgency": "紧急", "amount": 12.5}
    assert not Case.objects.exclude(pk=case.pk).exists()


def test_an_enterprise_files_only_requests_for_itself(cw: CaseWorld) -> None:
    with pytest.raises(CasePermissionError):
        cw.submit(when=at(2025, 3, 3), enterprise="E2")
    with pytest.raises(CaseTransitionError) as kind:
        cw.submit(when=at(2025, 3, 3), category=cw.energy)
    assert kind.value.message_dict == {"category": [CATEGORY_KIND]}
    case = cw.submit(when=at(2025, 3, 3), channel="visit")
    assert case.channel == Case.Channel.ONLINE and case.enterprise == cw.world.enterprises["E1"]
    assert case.park == cw.world.parks["PA"] and case.district == cw.world.districts["jiangxia"]


def test_staff_enter_requests_on_behalf_within_their_scope(cw: CaseWorld) -> None:
    with pytest.raises(CaseTransitionError) as missing:
        cw.submit(when=at(2025, 3, 3), persona="park_operator")
    assert missing.value.message_dict == {"enterprise": [ENTERPRISE_REQUIRED]}
    with pytest.raises(CasePermissionError):  # E2 is in park PB, not the operator's PA
        cw.submit(when=at(2025, 3, 3), persona="park_operator", enterprise="E2")
    with pytest.raises(CasePermissionError):
        cw.submit(when=at(2025, 3, 3), persona="district_caidian", enterprise="E1")
    with pytest.raises(CasePermissionError):
        cw.submit(when=at(2025, 3, 3), persona="city_viewer", enterprise="E1")
    by_phone = cw.submit(when=at(2025, 3, 3), persona="park_operator", enterprise="E1", channel="phone")
    assert by_phone.channel == Case.Channel.PHONE and by_phone.submitted_by == cw.user("park_operator")
    visit = services.visit_log(
        actor=cw.user("district_caidian"),
        enterprise=cw.world.enterprises["E3"],
        visited_on=dt.date(2025, 3, 3),
        summary="走访了解用工情况",
    )
    on_visit = cw.submit(
        when=at(2025, 3, 3),
        persona="district_caidian",
        enterprise="E3",
        channel="visit",
        visit=visit,
        title="技术工人招聘难",
    )
    assert on_visit.channel == Case.Channel.VISIT and on_visit.district == cw.world.districts["caidian"]
    assert list(visit.cases.all()) == [on_visit]


def test_a_handler_enters_no_case_and_logs_no_visit(cw: CaseWorld) -> None:
    """A responsible unit's handler handles cases; entering on an enterprise's behalf is for the
    enterprise's park, its district and the city."""
    before = (Case.objects.count(), Visit.objects.count())
    with pytest.raises(CasePermissionError, match="您的角色不能提交或代录诉求"):
        cw.submit(when=at(2025, 3, 3), persona="handler", enterprise="E3", channel="phone")
    with pytest.raises(CasePermissionError, match="您的角色不能提交或代录诉求"):
        cw.submit(when=at(2025, 3, 3), persona="handler", category=cw.energy, answers={}, park=cw.world.parks["PC"])
    with pytest.raises(CasePermissionError, match="您的角色不能录入走访记录"):
        services.visit_log(
            actor=cw.user("handler"), enterprise=cw.world.enterprises["E3"], visited_on=dt.date(2025, 3, 3), summary="x"
        )
    assert (Case.objects.count(), Visit.objects.count()) == before


def test_a_park_operator_raises_a_park_problem(cw: CaseWorld) -> None:
    case = cw.submit(
        when=at(2025, 3, 3), persona="park_operator", category=cw.energy, answers={}, title="园区220千伏变电站容量不足"
    )
    assert case.kind == "park_problem" and case.enterprise is None and case.park == cw.world.parks["PA"]
    assert case.receiving_unit == cw.other_unit
    # The unit that receives it is told; the enterprise never sees a park problem.
    assert Notification.objects.filter(recipient=cw.user("handler_zjj"), case=case).exists()
    assert not Case.objects.visible_to(cw.user("enterprise")).filter(pk=case.pk).exists()


def test_it_limits_online_submissions_per_enterprise(cw: CaseWorld) -> None:
    start = at(2025, 3, 3, 8)
    for n in range(SUBMISSION_LIMIT):
        cw.submit(when=start + dt.timedelta(minutes=n), title=f"第{n}件完全不同的事情{n * 7919}")
    with pytest.raises(CaseTransitionError) as error:
        cw.submit(when=start + dt.timedelta(hours=2), title="又一件")
    assert error.value.messages == [RATE_LIMITED % {"hours": 24, "count": SUBMISSION_LIMIT}]
    # Another enterprise is not affected, nor staff entering a call, and a day later it is open again.
    cw.submit(when=start + dt.timedelta(hours=2), persona="enterprise_e2", title="又一件")
    cw.submit(when=start + dt.timedelta(hours=2), persona="park_operator", enterprise="E1", title="电话反映")
    cw.submit(when=start + dt.timedelta(hours=25), title="次日再提")


def test_it_flags_a_repeat_request_on_the_same_matter(cw: CaseWorld) -> None:
    first = cw.submit(when=at(2025, 3, 3), title="厂区用电增容申请迟迟未批复")
    other = cw.submit(when=at(2025, 3, 4), title="人才公寓申请")
    repeat = cw.submit(when=at(2025, 4, 1), title="厂区用电增容申请仍未批复")
    assert other.repeat_of is None
    assert repeat.repeat_of == first
    assert "疑似重复" in repeat.events.get(action="submit").note
    # Not the same matter for another enterprise, nor half a year later.
    assert cw.submit(when=at(2025, 4, 1), persona="enterprise_e2", title="厂区用电增容申请仍未批复").repeat_of is None
    assert cw.submit(when=at(2025, 10, 1), title="厂区用电增容申请迟迟未批复").repeat_of is None


def test_it_stores_attachments_outside_the_web_root(cw: CaseWorld, settings: Settings) -> None:
    case = cw.submit(when=at(2025, 3, 3), files=[pdf("情况说明.pdf"), SimpleUploadedFile("现场.png", PNG)])
    stored = list(Attachment.objects.filter(case=case).order_by("id"))
    assert [a.original_name for a in stored] == ["情况说明.pdf", "现场.png"]
    assert [a.content_type for a in stored] == ["application/pdf", "image/png"]
    path = Path(stored[0].file.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT) / "casework")
    assert path.read_bytes() == PDF and stored[0].size == len(PDF)
    assert not str(path).startswith(str(settings.STATIC_ROOT))
    with pytest.raises(ValueError):
        stored[0].file.url  # noqa: B018 — no public URL exists


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("脚本.exe", b"MZ\x90\x00"), ERR_TYPE.format(name="脚本.exe")),
        (SimpleUploadedFile("page.html", b"<script>"), ERR_TYPE.format(name="page.html")),
        (
            SimpleUploadedFile("伪装.pdf", b"<html><script>alert(1)</script>"),
            ERR_CONTENT.format(name="伪装.pdf"),
        ),
        (SimpleUploadedFile("图.png", PDF), ERR_CONTENT.format(name="图.png")),
        (
            SimpleUploadedFile("大.pdf", PDF + b"0" * MAX_ATTACHMENT_BYTES),
            ERR_TOO_LARGE.format(name="大.pdf", mb=10),
        ),
    ],
)
def test_it_refuses_attachments_of_the_wrong_type_or_size(cw: CaseWorld, upload: Any, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        cw.submit(when=at(2025, 3, 3), files=[pdf(), upload])
    assert error.value.message_dict == {"files": [message]}
    assert not Case.objects.exists() and not Attachment.objects.exists()


def test_it_limits_the_number_of_attachments_per_case(cw: CaseWorld) -> None:
    case = cw.submit(when=at(2025, 3, 3), files=[pdf(f"{n}.pdf") for n in range(MAX_ATTACHMENTS_PER_CASE)])
    with clock.frozen(at(2025, 3, 3)), pytest.raises(ValidationError) as error:
        services.case_attach(actor=cw.user("enterprise"), case=case, files=[pdf("多.pdf")])
    assert error.value.message_dict == {"files": [ATTACHMENT_COUNT % {"count": MAX_ATTACHMENTS_PER_CASE}]}


def test_a_visit_is_logged_only_in_scope(cw: CaseWorld) -> None:
    with pytest.raises(CasePermissionError):
        services.visit_log(
            actor=cw.user("park_operator"),
            enterprise=cw.world.enterprises["E3"],
            visited_on=dt.date(2025, 3, 3),
            summary="走访",
        )
    with pytest.raises(CasePermissionError):
        services.visit_log(
            actor=cw.user("enterprise"),
            enterprise=cw.world.enterprises["E1"],
            visited_on=dt.date(2025, 3, 3),
            summary="走访",
        )
