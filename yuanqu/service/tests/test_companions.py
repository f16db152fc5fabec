"""Project 陪跑: a specialist accompanies a project through its stages with notes, linked to the 招商
project when there is one; a stage never goes back; a park outside the actor's scope is refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from yuanqu.core.models import AuditLog
from yuanqu.core.permissions import WriteDenied
from yuanqu.service import actions, schemas, services
from yuanqu.service.models import CompanionNote, CompanionProject, CompanionStage
from yuanqu.service.services.companions import STAGE_BACK
from yuanqu.service.tests.conftest import ServiceWorld


def test_it_moves_a_project_on_through_its_stages_with_notes_never_back(sv: ServiceWorld) -> None:
    operator = sv.user("park_operator")
    project = actions.companion_open(
        actor=operator, data=schemas.CompanionIn(name="光电产线扩建", park="PA", specialist=sv.specialist.username)
    )
    assert project.stage == CompanionStage.TALKS and project.investment_project is None
    services.companion_note(actor=operator, project=project, stage="talks", text="企业确认扩产意向")
    services.companion_note(actor=operator, project=project, stage="building", text="已开工，协调施工用电")
    with pytest.raises(ValidationError) as back:
        services.companion_note(actor=operator, project=project, stage="landing", text="回到落地")
    assert back.value.messages == [STAGE_BACK % {"current": "建设", "stage": "落地"}]
    assert CompanionProject.objects.get().stage == CompanionStage.BUILDING
    assert list(CompanionNote.objects.values_list("stage", flat=True)) == ["talks", "building"]
    assert AuditLog.objects.filter(detail__startswith="项目陪跑").count() == 3
    client = Client()
    client.force_login(sv.user("district_jiangxia"))
    page = client.get(f"/service/companions/{project.pk}/").content.decode()
    assert "已开工，协调施工用电" in page
    api = client.get("/api/v1/service/companions").json()
    assert api["items"][0]["stage_label"] == "建设" and len(api["items"][0]["notes"]) == 2


def test_it_refuses_another_parks_project_and_hides_it(sv: ServiceWorld) -> None:
    with pytest.raises(WriteDenied):
        services.companion_open(
            actor=sv.user("park_operator"), name="x", park=sv.world.parks["PC"], specialist=sv.user("park_operator")
        )
    project = services.companion_open(
        actor=sv.user("city_admin"), name="生物医药中试", park=sv.world.parks["PC"], specialist=sv.user("city_admin")
    )
    client = Client()
    client.force_login(sv.user("park_operator"))
    assert client.get(f"/service/companions/{project.pk}/").status_code == 404


def test_it_links_a_project_of_the_investment_pipeline_once(sv: ServiceWorld) -> None:
    import datetime as dt
    from decimal import Decimal

    from yuanqu.investment.services import project_create
    from yuanqu.registry.models import ChainNode
    from yuanqu.registry.services import policy_pack_apply

    if not ChainNode.objects.exists():
        policy_pack_apply()
    node = ChainNode.objects.order_by("pk").first()
    assert node is not None
    district = sv.user("district_jiangxia")
    pipeline = project_create(
        actor=district,
        name="光模块生产基地",
        investor_name="深圳市光谷科技有限公司",
        investor_uscc="",
        district=sv.world.districts["jiangxia"],
        park=sv.world.parks["PA"],
        chain_node=node,
        source="capital",
        planned_investment=Decimal("12.50"),
        registered_on=dt.date(2026, 3, 2),
    )
    data = schemas.CompanionIn(
        name="光模块生产基地", park="PA", specialist=district.username, investment_project=pipeline.number
    )
    project = actions.companion_open(actor=district, data=data)
    assert project.investment_project == pipeline
    with pytest.raises(ValidationError) as twice:
        actions.companion_open(actor=district, data=data)
    assert twice.value.messages == [f"招商项目“{pipeline.number}”已有陪跑记录"]
    with pytest.raises(ValidationError) as unknown:
        actions.companion_open(actor=district, data=data.model_copy(update={"investment_project": "ZS-1999-00001"}))
    assert unknown.value.messages == ["您的管理范围内没有招商项目“ZS-1999-00001”"]


def test_it_follows_its_investment_project_forward_and_never_back(sv: ServiceWorld) -> None:
    import datetime as dt
    from decimal import Decimal

    from django.test import Client

    from yuanqu.core.models import AuditLog
    from yuanqu.investment.models import Project, StageChange
    from yuanqu.investment.services import project_advance, project_create
    from yuanqu.registry.models import ChainNode
    from yuanqu.registry.services import policy_pack_apply

    if not ChainNode.objects.exists():
        policy_pack_apply()
    node = ChainNode.objects.order_by("pk").first()
    assert node is not None
    district = sv.user("district_jiangxia")
    pipeline = project_create(
        actor=district,
        name="光模块生产基地",
        investor_name="深圳市光谷科技有限公司",
        investor_uscc="",
        district=sv.world.districts["jiangxia"],
        park=sv.world.parks["PA"],
        chain_node=node,
        source="capital",
        planned_investment=Decimal("12.50"),
        registered_on=dt.date(2026, 3, 2),
    )
    companion = services.companion_open(
        actor=district, name="光模块", park=sv.world.parks["PA"], specialist=district, investment_project=pipeline
    )
    # The specialist is already at 建设 by its own note: moving the pipeline to 接洽/在谈 (洽谈) changes nothing.
    services.companion_note(actor=district, project=companion, stage="building", text="厂房设计中")

    def advance(to_stage: str) -> None:
        project = Project.objects.get(pk=pipeline.pk)
        project_advance(
            actor=district, project=project, to_stage=to_stage, on=dt.date(2026, 3, 3), version=project.version
        )

    advance("contact")
    assert CompanionProject.objects.get(pk=companion.pk).stage == CompanionStage.BUILDING
    assert not AuditLog.objects.filter(detail="项目陪跑：随招商阶段").exists()
    # A record behind its pipeline follows it, with a note by the one who moved the pipeline.
    CompanionProject.objects.filter(pk=companion.pk).update(stage=CompanionStage.TALKS)
    Project.objects.filter(pk=pipeline.pk).update(stage="started")
    client = Client()
    client.force_login(district)
    page = client.get(f"/service/companions/{companion.pk}/").content.decode()
    assert 'data-testid="companion-proposed"' in page and "建设" in page
    # The move's row is the news: the record follows in the same transaction.
    StageChange.objects.create(
        project=pipeline, from_stage="land", to_stage="started", on=dt.date(2026, 3, 3), actor=district
    )
    note = CompanionProject.objects.get(pk=companion.pk).notes.order_by("-pk").first()
    assert note is not None and note.stage == CompanionStage.BUILDING and note.written_by == district
    assert note.text == f"招商项目{pipeline.number}进入“开工”，陪跑阶段随之进入“建设”"
    assert CompanionProject.objects.get(pk=companion.pk).stage == CompanionStage.BUILDING
    assert services.companion_follow(project=companion, actor=district) is None
    assert AuditLog.objects.filter(detail="项目陪跑：随招商阶段").count() == 1


def test_every_stage_of_the_investment_pipeline_has_its_companion_stage() -> None:
    from yuanqu.investment.models import PIPELINE
    from yuanqu.service.models import PIPELINE_TO_COMPANION

    assert set(PIPELINE_TO_COMPANION) == {stage.value for stage in PIPELINE}
