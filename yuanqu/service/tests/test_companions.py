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
