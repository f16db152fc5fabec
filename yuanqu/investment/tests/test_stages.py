"""The stage rules of the pack: which moves are legal, who may make them, their dates, their evidence,
termination, and a project changed by someone else in between."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from yuanqu.core.contract.errors import Conflict
from yuanqu.core.models import AuditLog
from yuanqu.core.permissions import WriteDenied
from yuanqu.investment import services
from yuanqu.investment.models import Evidence, Project, Stage, StageChange
from yuanqu.investment.tests.conftest import DAY, InvestWorld, pdf


def test_it_registers_a_project_at_lead_with_its_first_stage_record(inv: InvestWorld) -> None:
    project = inv.project()
    assert project.stage == Stage.LEAD
    assert project.number == "ZS-2026-00001"
    assert project.investor_key == "光谷科技"
    assert list(StageChange.objects.filter(project=project).values_list("to_stage", flat=True)) == ["lead"]
    assert AuditLog.objects.filter(object_type="investment.Project", action="create").count() == 1


def test_it_moves_a_project_forward_through_the_legal_stages(inv: InvestWorld) -> None:
    project = inv.to_negotiating(inv.project())
    assert project.stage == Stage.NEGOTIATING
    assert project.stage_since == DAY + dt.timedelta(days=20)
    inv.move(project, "district_jiangxia", "signed", DAY + dt.timedelta(days=40), files=[pdf()])
    project.refresh_from_db()
    assert project.stage == Stage.SIGNED
    assert project.signed_on == DAY + dt.timedelta(days=40)
    change = StageChange.objects.get(project=project, to_stage="signed")
    assert [e.original_name for e in Evidence.objects.filter(change=change)] == ["投资协议.pdf"]


def test_it_refuses_a_skipped_stage(inv: InvestWorld) -> None:
    project = inv.project()
    with pytest.raises(ValidationError) as refused:
        inv.move(project, "district_jiangxia", "signed", DAY, files=[pdf()])
    assert refused.value.message_dict["to_stage"] == ["项目当前阶段为“线索”，不能变更为“签约”"]
    project.refresh_from_db()
    assert project.stage == Stage.LEAD


def test_it_refuses_a_move_backwards(inv: InvestWorld) -> None:
    project = inv.to_negotiating(inv.project())
    with pytest.raises(ValidationError) as refused:
        inv.move(project, "district_jiangxia", "contact", DAY + dt.timedelta(days=30))
    assert refused.value.message_dict["to_stage"] == ["项目当前阶段为“在谈”，不能变更为“接洽”"]


def test_signing_needs_the_agreement(inv: InvestWorld) -> None:
    project = inv.to_negotiating(inv.project())
    with pytest.raises(ValidationError) as refused:
        inv.move(project, "district_jiangxia", "signed", DAY + dt.timedelta(days=40))
    assert refused.value.message_dict["files"] == ["从“在谈”变更为“签约”须上传佐证材料：投资协议"]


def test_a_park_operator_may_not_sign_but_may_move_a_lead_on(inv: InvestWorld) -> None:
    project = inv.project()
    inv.move(project, "park_operator", "contact", DAY + dt.timedelta(days=1))
    inv.move(project, "park_operator", "negotiating", DAY + dt.timedelta(days=2))
    with pytest.raises(WriteDenied) as refused:
        inv.move(project, "park_operator", "signed", DAY + dt.timedelta(days=3), files=[pdf()])
    assert str(refused.value) == "您的角色（园区运营）不能把项目从“在谈”变更为“签约”"


def test_a_city_viewer_writes_nothing(inv: InvestWorld) -> None:
    project = inv.project()
    with pytest.raises(WriteDenied) as refused:
        inv.move(project, "city_viewer", "contact", DAY)
    assert str(refused.value) == "您的角色无权登记或修改招商项目"


def test_another_district_cannot_move_the_project(inv: InvestWorld) -> None:
    project = inv.project()
    with pytest.raises(WriteDenied) as refused:
        inv.move(project, "district_caidian", "contact", DAY)
    assert str(refused.value) == "超出您的权限范围：只能在本区或本园区登记招商项目"


def test_a_move_dated_before_the_current_stage_is_refused(inv: InvestWorld) -> None:
    project = inv.project()
    with pytest.raises(ValidationError) as refused:
        inv.move(project, "district_jiangxia", "contact", DAY - dt.timedelta(days=1))
    assert refused.value.message_dict["on"] == ["变更日期不能早于进入当前阶段的日期（2026-03-02）"]


def test_a_move_on_a_stale_version_writes_nothing(inv: InvestWorld) -> None:
    project = inv.project()
    seen = project.version
    inv.move(project, "district_jiangxia", "contact", DAY)
    with pytest.raises(Conflict):
        services.project_advance(
            actor=inv.user("district_jiangxia"), project=project, to_stage="negotiating", on=DAY, version=seen
        )
    assert Project.objects.get(pk=project.pk).stage == Stage.CONTACT
    assert StageChange.objects.filter(project=project).count() == 2


def test_termination_needs_a_reason_and_ends_the_project(inv: InvestWorld) -> None:
    project = inv.project()
    actor = inv.user("district_jiangxia")
    with pytest.raises(ValidationError) as refused:
        services.project_terminate(actor=actor, project=project, on=DAY, reason="  ", version=project.version)
    assert refused.value.message_dict["reason"] == ["终止项目须写明原因"]
    services.project_terminate(actor=actor, project=project, on=DAY, reason="企业转投他省", version=project.version)
    project.refresh_from_db()
    assert (project.stage, project.terminated_reason) == (Stage.TERMINATED, "企业转投他省")
    with pytest.raises(ValidationError) as again:
        inv.move(project, "district_jiangxia", "contact", DAY)
    assert again.value.message_dict["to_stage"] == ["项目已终止，不能再变更"]


def test_a_wrong_source_and_a_bad_credit_code_are_refused_by_field(inv: InvestWorld) -> None:
    with pytest.raises(ValidationError) as refused:
        services.project_create(
            actor=inv.user("district_jiangxia"),
            name="项目",
            investor_name="某公司",
            investor_uscc="91420100MA4K000000",
            district=inv.world.districts["jiangxia"],
            source="lottery",
        )
    assert refused.value.message_dict == {
        "investor_uscc": ["投资方统一社会信用代码“91420100MA4K000000”无效"],
        "source": ["招商方式“lottery”不在政策包的项目来源中"],
    }
    assert not Project.objects.exists()


def test_a_district_cannot_register_in_another_district(inv: InvestWorld) -> None:
    with pytest.raises(WriteDenied):
        inv.project("district_caidian", district="jiangxia", park=None)


def test_the_api_moves_a_project_with_its_evidence_and_refuses_without(inv: InvestWorld) -> None:
    project = inv.to_negotiating(inv.project())
    client = inv.world.client("district_jiangxia")
    url = f"/api/v1/investment/projects/{project.number}/transitions"
    refused = client.post(url, {"to_stage": "signed", "on": "2026-04-20", "version": project.version})
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"loc": ["body", "files"], "msg": "从“在谈”变更为“签约”须上传佐证材料：投资协议"}
    ]
    moved = client.post(url, {"to_stage": "signed", "on": "2026-04-20", "version": project.version, "files": [pdf()]})
    assert moved.status_code == 201
    assert moved.json()["evidence"] == ["投资协议.pdf"]
    stale = client.post(url, {"to_stage": "land", "on": "2026-04-21", "version": project.version, "files": [pdf()]})
    assert stale.status_code == 409
