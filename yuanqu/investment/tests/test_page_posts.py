"""The 精准招商 pages take their posts as every page does (`core.forms.take_post`): a refused new
project shows the form again as typed with the refusal, a refused deletion says why on the page, and
each role is offered only the districts it may register in."""

from __future__ import annotations

from yuanqu.investment import services
from yuanqu.investment.models import PlanItem, Project
from yuanqu.investment.tests.conftest import DAY, InvestWorld


def test_a_refused_new_project_is_shown_again_as_typed(inv: InvestWorld) -> None:
    client = inv.world.client("district_jiangxia")
    html = client.post(
        "/investment/projects/new/",
        {
            "name": "光模块生产基地",
            "investor_name": "星河光电股份有限公司",
            "district": inv.world.districts["jiangxia"].code,
            "source": "不存在的方式",
        },
    ).content.decode()
    assert "招商方式" in html and 'value="光模块生产基地"' in html
    assert not Project.objects.exists()


def test_each_role_is_offered_the_districts_it_may_register_in(inv: InvestWorld) -> None:
    jiangxia, caidian = inv.world.districts["jiangxia"], inv.world.districts["caidian"]
    for persona, offered, hidden in (
        ("district_caidian", caidian, jiangxia),
        ("park_operator", jiangxia, caidian),
    ):
        html = inv.world.client(persona).get("/investment/projects/new/").content.decode()
        assert f'value="{offered.code}"' in html and f'value="{hidden.code}"' not in html
    city = inv.world.client("city_admin").get("/investment/projects/new/").content.decode()
    assert f'value="{jiangxia.code}"' in city and f'value="{caidian.code}"' in city


def test_a_held_plan_item_is_not_deleted_and_the_page_says_why(inv: InvestWorld) -> None:
    actor = inv.user("district_jiangxia")
    item = services.plan_item_create(
        actor=actor, park=inv.world.parks["PA"], kind="visit", title="拜访星河光电总部", planned_on=DAY
    )
    services.plan_item_record(actor=actor, item=item, held_on=DAY, outcome="对方有意向")
    page = inv.world.client("district_jiangxia").post(f"/investment/plan-items/{item.pk}/delete/", follow=True)
    assert "该事项已于2026-03-02完成，不能再修改或删除" in page.content.decode()
    assert PlanItem.objects.filter(pk=item.pk).exists()
