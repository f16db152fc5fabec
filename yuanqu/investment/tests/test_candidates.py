"""The target-company library: deduplication by credit code and by close names (rapidfuzz), and each
candidate's score against a park's gaps on a fixture with known answers (the Wuhan pack's weights:
node fit 0.4, size 0.2, listing 0.15, distance 0.1, ties 0.15)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from docx import Document

from yuanqu.core.models import AuditLog
from yuanqu.core.uscc import make as make_uscc
from yuanqu.investment import selectors, services
from yuanqu.investment.tests.conftest import InvestWorld
from yuanqu.registry.models import EnterpriseLabel, IndustryClass

USCC = make_uscc("91440300MA5F00002")


def test_a_credit_code_already_in_the_library_is_refused(inv: InvestWorld) -> None:
    actor = inv.user("district_jiangxia")
    services.candidate_create(actor=actor, name="光谷科技股份有限公司", uscc=USCC)
    with pytest.raises(ValidationError) as refused:
        services.candidate_create(actor=actor, name="完全不同的名字有限公司", uscc=USCC)
    assert refused.value.message_dict["uscc"] == [
        f"目标企业库已有统一社会信用代码为“{USCC}”的企业：光谷科技股份有限公司"
    ]


def test_a_close_name_needs_confirmation(inv: InvestWorld) -> None:
    actor = inv.user("district_jiangxia")
    services.candidate_create(actor=actor, name="光谷科技股份有限公司")
    with pytest.raises(ValidationError) as refused:
        services.candidate_create(actor=actor, name="深圳市光谷科技有限公司")
    assert refused.value.message_dict["name"] == [
        "目标企业库已有名称相近的企业：光谷科技股份有限公司；确认不是同一企业后再提交"
    ]
    services.candidate_create(actor=actor, name="深圳市光谷科技有限公司", confirm_similar=True)
    services.candidate_create(actor=actor, name="长江存储控股有限公司")  # not close: no question


def test_scores_against_the_parks_gaps(inv: InvestWorld) -> None:
    world = inv.world
    inv.node.industry_classes.add(IndustryClass.objects.get(pk="C3976"))
    EnterpriseLabel.objects.create(enterprise=world.enterprises["E1"], kind="chain_leader", valid_from="2024-01-01")
    absent = inv.node.chain.nodes.exclude(pk=inv.node.pk).exclude(industry_classes="C3976").first()
    assert absent is not None
    actor = inv.user("city_admin")
    services.candidate_create(
        actor=actor,
        name="合肥大型上市光电有限公司",
        nodes=[inv.node],
        size_band="large",
        listing="a",
        hq_region="合肥市",
        ties=[world.enterprises["E1"].uscc],
    )
    services.candidate_create(
        actor=actor, name="武汉小微配套有限公司", nodes=[absent], size_band="small", hq_region="武汉市"
    )
    path = selectors.park_path(inv.user("park_operator"), world.parks["PA"])
    by_node = {gap.node.id: gap for gap in path.gaps}
    assert by_node[inv.node.pk].node.status == "weak"
    assert by_node[absent.pk].node.status == "absent"
    [weak_pick] = by_node[inv.node.pk].candidates
    # 100 × (0.4×0.7 + 0.2×1 + 0.15×1 + 0.1×0.5 + 0.15×1)
    assert (weak_pick.candidate.name, weak_pick.score.total) == ("合肥大型上市光电有限公司", 83.0)
    assert [p.reason for p in weak_pick.score.parts] == [
        "填补1个缺链环节",
        "规模：large",
        "上市或三类500强",
        "总部：合肥市",
        "已与本地链主企业有业务往来",
    ]
    [absent_pick] = by_node[absent.pk].candidates
    # 100 × (0.4×1 + 0.2×0.3 + 0 + 0.1×1 + 0)
    assert (absent_pick.candidate.name, absent_pick.score.total) == ("武汉小微配套有限公司", 56.0)


def test_the_path_page_api_and_plan(inv: InvestWorld) -> None:
    client = inv.world.client("park_operator")
    assert client.get("/investment/parks/PA/path/").status_code == 200
    assert client.get("/investment/parks/PC/path/").status_code == 404
    body = client.get("/api/v1/investment/parks/PA/path").json()
    assert body["park"] == "PA" and body["chains"] == [inv.node.chain.code]
    plan = client.get("/investment/parks/PA/path/?format=docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(plan.content)).paragraphs)
    assert "江夏现代产业园招商方案" in text
    assert AuditLog.objects.filter(action="export", detail="导出招商方案").count() == 1


def test_enterprises_see_no_library(inv: InvestWorld) -> None:
    assert inv.world.client("enterprise").get("/api/v1/investment/candidates").status_code == 403
