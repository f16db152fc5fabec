"""The assignment rules applied by themselves after an import: an applied file of firms (a real
spreadsheet through the import service) gives its new firms, and any other firm the rules take that
has no specialist, the specialist of the first rule that takes it; a second run moves and records
nothing; announced inside a web request it is a background job."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from yuanqu.core.models import AuditLog
from yuanqu.core.uscc import make as make_uscc
from yuanqu.intake.tests.conftest import import_file, texts, xlsx
from yuanqu.jobs.models import Job
from yuanqu.registry.models import Enterprise
from yuanqu.service import actions, schemas, services
from yuanqu.service.jobs import ASSIGN
from yuanqu.service.models import SpecialistAssignment
from yuanqu.service.tests.conftest import ServiceWorld
from yuanqu.stats.models import ImportBatch
from yuanqu.stats.signals import _send

DAY = dt.date(2026, 6, 1)
HEADER = ["统一社会信用代码", "企业名称", "行业代码", "所属区", "所在园区", "地址", "经度", "纬度"]
NEW_USCC = make_uscc("91420115MA4KRUL01")


@pytest.fixture(autouse=True)
def _media(settings: LazySettings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _current() -> dict[str, str]:
    return {
        row.enterprise.name: row.specialist.username
        for row in SpecialistAssignment.objects.current().select_related("enterprise", "specialist")
    }


def test_an_import_of_firms_applies_the_rules_by_itself_once(
    sv: ServiceWorld, on_day: Any, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    firms = sv.world.enterprises
    district = sv.user("district_jiangxia")
    with on_day(DAY):
        services.assignment_set(actor=district, enterprise=firms["E2"], specialist=district)
        actions.rule_add(
            actor=district, data=schemas.BulkAssignIn(specialist=sv.district_specialist.username, park="PB")
        )
        actions.rule_add(actor=district, data=schemas.BulkAssignIn(specialist=sv.specialist.username, park="PA"))
        content = xlsx(
            [HEADER, [NEW_USCC, "武汉新规则光电有限公司", "C3976", "江夏区", "", "江夏大道1号", 114.31, 30.36]]
        )
        with django_capture_on_commit_callbacks(execute=True):
            outcome = import_file(sv.world, "district_jiangxia", "enterprises", content)
        assert outcome.status == "applied", texts(outcome)
        assert Enterprise.objects.get(uscc=NEW_USCC).park == sv.world.parks["PA"]
        # The new firm and E1 (park PA, no specialist) go to the PA rule's specialist, by the rule's
        # author; E2 keeps the specialist it had; E3 is outside the author's district, E4 in no park.
        assert _current() == {
            firms["E1"].name: sv.specialist.username,
            "武汉新规则光电有限公司": sv.specialist.username,
            firms["E2"].name: district.username,
        }
        made = SpecialistAssignment.objects.current().get(enterprise__uscc=NEW_USCC)
        assert (made.assigned_by, made.reason, made.started_on) == (district, "按指派规则", DAY)
        run = AuditLog.objects.get(detail="服务专员：导入后按规则指派")
        assert run.actor is None and run.after == {"batch": outcome.batch.pk, "assigned": 2}
        # Idempotent: the next batch finds nobody to assign and records nothing.
        with django_capture_on_commit_callbacks(execute=True):
            _send(ImportBatch.objects.create(kind="labels", status=ImportBatch.Status.APPLIED))
    assert AuditLog.objects.filter(detail="服务专员：导入后按规则指派").count() == 1
    assert AuditLog.objects.filter(detail="服务专员：指派", actor=district).count() == 3


def test_a_rolled_back_or_other_batch_assigns_nobody(sv: ServiceWorld) -> None:
    district = sv.user("district_jiangxia")
    actions.rule_add(actor=district, data=schemas.BulkAssignIn(specialist=sv.specialist.username, park="PA"))
    _send(ImportBatch.objects.create(kind="enterprises", status=ImportBatch.Status.ROLLED_BACK))
    _send(ImportBatch.objects.create(kind="land", status=ImportBatch.Status.APPLIED))
    assert not SpecialistAssignment.objects.exists()
    _send(ImportBatch.objects.create(kind="annual", status=ImportBatch.Status.APPLIED))
    assert _current() == {sv.world.enterprises["E1"].name: sv.specialist.username}


def test_a_rule_whose_author_left_is_skipped(sv: ServiceWorld) -> None:
    district = sv.user("district_jiangxia")
    actions.rule_add(actor=district, data=schemas.BulkAssignIn(specialist=sv.specialist.username, park="PA"))
    district.is_active = False
    district.save(update_fields=["is_active"])
    assert actions.rules_apply_after_import() == []
    assert not SpecialistAssignment.objects.exists()


def test_announced_inside_a_web_request_it_is_a_background_job(sv: ServiceWorld) -> None:
    from yuanqu.jobs.requests import _in_request

    district = sv.user("district_jiangxia")
    actions.rule_add(actor=district, data=schemas.BulkAssignIn(specialist=sv.specialist.username, park="PA"))
    token = _in_request.set(True)
    try:
        _send(ImportBatch.objects.create(kind="enterprises", status=ImportBatch.Status.APPLIED))
    finally:
        _in_request.reset(token)
    assert not SpecialistAssignment.objects.exists()
    assert Job.objects.filter(kind=ASSIGN).count() == 1
