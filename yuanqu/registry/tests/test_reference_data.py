from __future__ import annotations

import pytest

from conftest import World
from yuanqu.registry.models import District, IndustryChain, IndustryClass, ResponsibleUnit
from yuanqu.registry.services import policy_pack_apply, reference_data_load


@pytest.mark.django_db
def test_it_loads_districts_zones_and_classifications() -> None:
    assert District.objects.filter(kind="district").count() == 13
    assert District.objects.filter(kind="development_zone").count() == 4
    assert District.objects.get(code="Z01").name == "东湖新技术开发区"
    assert IndustryClass.objects.filter(level="class").count() == 1381
    assert IndustryClass.objects.exclude(high_tech_group="").count() == 85
    assert IndustryClass.objects.get(code="C2720").high_tech_group_name == "医药制造业"
    assert reference_data_load()["districts"] == 17  # a second load changes nothing


@pytest.mark.django_db
def test_it_applies_the_policy_pack_idempotently() -> None:
    first = policy_pack_apply()
    second = policy_pack_apply()
    assert first == second
    assert IndustryChain.objects.filter(kind="key_chain", illustrative=True).count() == 16
    assert IndustryChain.objects.filter(kind="future_track").count() == 13
    optical = IndustryChain.objects.get(code="optical_communication")
    assert "C3976" in set(optical.nodes.values_list("industry_classes__code", flat=True))
    assert ResponsibleUnit.objects.get(code="jxj").name == "市经信局"
    # 各区人民政府 expands to one unit per district and zone.
    assert ResponsibleUnit.objects.filter(code__startswith="gqzf-").count() == 17
    assert ResponsibleUnit.objects.get(code="gqzf-420115").name == "江夏区人民政府"


def test_it_lists_chains_with_parks_for_a_district_user(world: World) -> None:
    policy_pack_apply()
    world.parks["PA"].lead_chains.add(IndustryChain.objects.get(code="optical_communication"))
    html = world.client("district_jiangxia").get("/registry/chains/").content.decode()
    assert "光通信" in html and "示意" in html
