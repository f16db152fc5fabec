"""Another city's policy pack (tests/fixtures/packs/second_city: 合肥市, its own platform name,
districts and basemap, units, park type names, chains, indicators, targets, tasks, casework
categories and index systems) loads whole and drives the cockpit, the park profile, the district
page, the target board and the casework pages: they show that city's names and indicators, never an
empty cockpit, never a Wuhan name where the pack supplies one, and never a 5xx."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.http import FileResponse
from django.test import Client, override_settings

from conftest import make_user

if TYPE_CHECKING:
    from yuanqu.core.models import User
    from yuanqu.registry.models import District, Enterprise, Park

SECOND_CITY = Path(__file__).resolve().parent / "fixtures" / "packs" / "second_city"
SHIPPED = Path(__file__).resolve().parents[1] / "yuanqu" / "policy_packs" / "wuhan_2025_2027"

# Names the Wuhan pack and the Wuhan-only code paths would show; none may appear on the second city's pages.
WUHAN_WORDS = ("武汉", "现代产业园", "都市工业园", "市经信局", "规上工业营业收入", "江夏", "蔡甸")
YEAR = 2025


PLATFORM = "合肥工业园区数据平台（测试用）"
FOOTER = "合肥市工业和信息化局 · 合肥市工业园区提质增效三年行动方案（2026-2028年）（测试用）"


@dataclass
class City:
    parks: dict[str, Park]
    enterprises: dict[str, Enterprise]
    districts: dict[str, District]
    users: dict[str, User]

    def client(self, persona: str) -> Client:
        client = Client()
        client.force_login(self.users[persona])
        return client


def main(response: Any) -> str:
    """The page's own content (the shared header and footer are checked on their own)."""
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    found = re.search(r"<main[^>]*>(.*)</main>", html, re.S)
    assert found is not None
    return found.group(1)


def no_wuhan(text: str) -> None:
    leaked = [
        (word, text[max(0, text.index(word) - 150) : text.index(word) + 50]) for word in WUHAN_WORDS if word in text
    ]
    assert not leaked, leaked


def chart_data(response: Any) -> dict[str, Any]:
    found = re.search(r'<script id="cockpit-data" type="application/json">(.*?)</script>', response.content.decode())
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


@pytest.fixture
def second_pack() -> Iterator[Path]:
    """The second city's pack installed for the test; the casework rules (cached without a key) are
    read again on the way in and out."""
    from yuanqu.casework.rules import rules_reload

    with override_settings(POLICY_PACK_DIR=SECOND_CITY):
        rules_reload()
        yield SECOND_CITY
    rules_reload()


@pytest.fixture
def city(db: None, second_pack: Path) -> City:
    """Hefei's districts (the pack's districts.csv) instead of Wuhan's, the pack's units, chains and
    categories, three parks of the three types, four enterprises, one persona per role and indicator
    values for 2024–2026."""
    from yuanqu.casework.services import category_sync
    from yuanqu.core.periods import month_end
    from yuanqu.core.roles import Role
    from yuanqu.core.uscc import make as make_uscc
    from yuanqu.dashboard.tests.builders import put, put_month
    from yuanqu.registry.models import District, Enterprise, IndustryChain, Park, ResponsibleUnit
    from yuanqu.registry.services import policy_pack_apply, reference_data_load
    from yuanqu.targets.services import supervised_tasks_sync

    District.objects.all().delete()  # the session's reference data is Wuhan's
    reference_data_load()
    districts = {
        name: District.objects.get(code=code)
        for name, code in (("shushan", "340104"), ("baohe", "340111"), ("hitech", "340171"))
    }
    policy_pack_apply(second_pack)
    category_sync()
    supervised_tasks_sync()

    def park(code: str, name: str, district: District, park_type: str, chain: str) -> Park:
        obj = Park(code=code, name=name, district=district, park_type=park_type, planned_area_km2=Decimal("6.000"))
        obj.full_clean()
        obj.save()
        obj.lead_chains.set(IndustryChain.objects.filter(code=chain))
        return obj

    parks = {
        "HA": park("HA", "蜀山新能源汽车集聚区", districts["shushan"], "modern", "nev"),
        "HB": park("HB", "包河老厂房更新园", districts["baohe"], "urban", "display"),
        "HC": park("HC", "高新区光伏专精特新园", districts["hitech"], "featured", "photovoltaics"),
    }

    def firm(n: int, name: str, park_obj: Park, industry: str) -> Enterprise:
        obj = Enterprise(
            uscc=make_uscc(f"91340100MA2K{n:05d}"),
            name=name,
            industry_id=industry,
            district=park_obj.district,
            park=park_obj,
            park_assignment="manual",
        )
        obj.full_clean()
        obj.save()
        return obj

    enterprises = {
        "F1": firm(1, "合肥甲动力电池有限公司", parks["HA"], "C3841"),
        "F2": firm(2, "合肥乙汽车零部件有限公司", parks["HA"], "C3670"),
        "F3": firm(3, "合肥丙显示科技有限公司", parks["HB"], "C3974"),
        "F4": firm(4, "合肥丁光伏有限公司", parks["HC"], "C3825"),
    }
    users = {
        "city_admin": make_user("hf-admin", Role.CITY_ADMIN),
        "district": make_user("hf-district", Role.DISTRICT, district=districts["shushan"]),
        "park_operator": make_user("hf-park", Role.PARK_OPERATOR, park=parks["HA"]),
        "enterprise": make_user("hf-firm", Role.ENTERPRISE, enterprise=enterprises["F1"]),
        "handler": make_user("hf-handler", Role.HANDLER, unit=ResponsibleUnit.objects.get(code="gxj")),
    }

    output = {"HA": 800_000.0, "HB": 90_000.0, "HC": 250_000.0}
    for code, obj in parks.items():
        for year, factor in ((YEAR - 1, 0.9), (YEAR, 1.0)):
            end = dt.date(year, 12, 31)
            put("output", "park", code, end, output[code] * factor, park=obj)
            put("revenue", "park", code, end, output[code] * 1.1 * factor, park=obj)
            put("tax", "park", code, end, output[code] * 0.04 * factor, park=obj)
            put("output_per_mu", "park", code, end, output[code] / 1000 * factor, park=obj)
        for year, factor in ((2025, 0.8), (2026, 1.0)):
            for month in range(1, 11):
                value = output[code] / 10_000 * factor * month / 12  # 亿元, 1–本月累计
                put_month("above_scale_output", obj, month_end(year, month), round(value, 4))
                put_month("above_scale_tax", obj, month_end(year, month), round(value * 400, 2))
    for year, value in ((2025, 7), (2026, 9)):
        put("park_count_modern", "city", "city", dt.date(year, 12, 31), value)
    return City(parks=parks, enterprises=enterprises, districts=districts, users=users)


def test_it_loads_the_second_pack_whole() -> None:
    from yuanqu.casework.pack import CASEWORK
    from yuanqu.core.pack import load_pack
    from yuanqu.dashboard.pack import DASHBOARD
    from yuanqu.evaluation.pack import load_evaluation_pack
    from yuanqu.indicators.pack import INDICATORS
    from yuanqu.registry.pack import LAYOUT

    pack = load_pack(SECOND_CITY)
    wuhan = {item.code for item in load_pack(SHIPPED).section(INDICATORS).indicators}
    codes = {item.code for item in pack.section(INDICATORS).indicators}
    assert pack.region == "合肥市"
    assert {"revenue", "tax_per_mu", "lead_industry_share"} <= codes & wuhan  # shared
    assert {"above_scale_output", "above_scale_tax", "output_per_mu"} <= codes - wuhan  # its own
    assert {"above_scale_revenue", "producer_services_share"} <= wuhan - codes  # Wuhan's, absent here
    assert [t.name for t in pack.section(LAYOUT).park_types] == ["先进制造业集聚区", "专精特新产业园", "城市更新产业园"]
    assert [u.code for u in pack.section(LAYOUT).units][:2] == ["gxj", "zrzy"]
    assert [c.code for c in pack.section(CASEWORK).categories] == [
        "hf_policy_cash",
        "hf_tech_service",
        "hf_data_access",
        "hf_space_upgrade",
    ]
    evaluation = load_evaluation_pack(SECOND_CITY)
    assert [d.code for d in evaluation.index_system("modern").dimensions] == ["scale", "efficiency", "innovation"]
    assert pack.section(DASHBOARD).default_indicator == "above_scale_output"


def test_it_opens_the_cockpit_on_the_second_citys_own_indicator(city: City) -> None:
    response = city.client("city_admin").get("/cockpit/")
    page = main(response)
    assert "合肥市工业园区运行监测驾驶舱" in page
    assert "规上工业总产值（1-本月累计）排名" in page
    data = chart_data(response)
    assert data["indicator"]["code"] == "above_scale_output"
    assert data["period"] == "2026年1-10月"
    ranked = [(park["code"], park["rank"], park["type_label"]) for park in data["parks"]]
    assert ranked == [("HA", 1, "先进制造业集聚区"), ("HC", 2, "专精特新产业园"), ("HB", 3, "城市更新产业园")]
    assert [trend["code"] for trend in data["monthly"]] == ["above_scale_output", "above_scale_tax"]
    assert all(any(value is not None for value in trend["values"]) for trend in data["monthly"])
    assert [trend["code"] for trend in data["annual"]] == ["output", "tax"]
    assert "蜀山新能源汽车集聚区" in page and "先进制造业集聚区数量" in page
    no_wuhan(page)


def test_it_offers_the_packs_park_types_and_indicators_as_cockpit_filters(city: City) -> None:
    page = main(city.client("city_admin").get("/cockpit/", {"indicator": "output_per_mu", "period": "2025"}))
    assert '<option value="urban">城市更新产业园</option>' in page
    assert "亩均工业产值（万元/亩）" in page
    assert "亩均工业产值排名" in page
    no_wuhan(page)


@pytest.mark.parametrize("persona", ["district", "park_operator"])
def test_it_shows_a_scoped_reader_the_second_citys_cockpit(city: City, persona: str) -> None:
    response = city.client(persona).get("/cockpit/")
    page = main(response)
    assert [park["code"] for park in chart_data(response)["parks"]] == ["HA"]
    no_wuhan(page)


def test_it_exports_the_second_citys_cockpit(city: City) -> None:
    response = city.client("city_admin").get("/cockpit/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_it_lists_the_packs_profile_indicators_on_a_park_file(city: City) -> None:
    page = main(city.client("city_admin").get("/cockpit/parks/HA/"))
    assert "亩均工业产值" in page and "工业总产值" in page
    assert "新能源汽车" in page  # the pack's chain
    assert re.findall(r'data-indicator="([a-z_]+)"', page) == [
        "output",
        "revenue",
        "tax",
        "output_per_mu",
        "tax_per_mu",
        "rd_intensity",
        "high_tech_enterprises",
    ]
    no_wuhan(page)


def test_it_shows_the_packs_columns_on_a_district_page(city: City) -> None:
    response = city.client("city_admin").get("/cockpit/districts/340104/")
    page = main(response)
    assert "蜀山新能源汽车集聚区" in page and "亩均工业产值" in page
    assert chart_data(response)["indicator"]["code"] == "output"
    no_wuhan(page)


def test_it_tracks_the_second_citys_targets_on_the_board(city: City) -> None:
    page = main(city.client("city_admin").get("/targets/"))
    for name in ("先进制造业集聚区数量", "百亿级园区数量", "园区高新技术企业数"):
        assert name in page
    assert "建成现代产业园数量" not in page
    detail = main(city.client("city_admin").get("/targets/park_count_modern/"))
    assert "先进制造业集聚区数量" in detail
    tasks = main(city.client("city_admin").get("/targets/tasks/"))
    assert "打造先进制造业集聚区" in tasks and "建设园区数据平台" in tasks
    assert "市数据资源局" in tasks
    no_wuhan(tasks)


def test_it_takes_requests_in_the_packs_categories(city: City) -> None:
    from yuanqu.casework.models import Category
    from yuanqu.casework.services import case_submit

    form = main(city.client("enterprise").get("/casework/new/"))
    assert "政策兑现" in form and "科技服务" in form
    assert "复杂多部门事项" not in form
    category = Category.objects.get(code="hf_policy_cash")
    assert category.time_limit_days == 7 and category.default_unit is not None
    assert category.default_unit.name == "市工信局"
    case = case_submit(
        actor=city.users["enterprise"],
        category=category,
        title="技改补贴兑现",
        description="2025年技改补贴尚未拨付。",
        answers={"programme": "工业技改补贴"},
    )
    detail = main(city.client("city_admin").get(f"/casework/{case.number}/"))
    assert "技改补贴兑现" in detail and "政策兑现" in detail
    no_wuhan(detail)
    for path in ("/casework/", "/casework/board/", "/casework/stats/", "/casework/categories/"):
        page = main(city.client("city_admin").get(path))
        no_wuhan(page)
    categories = main(city.client("city_admin").get("/casework/categories/"))
    assert "厂房改造" in categories and "市自然资源和规划局" in categories


# Pages outside the dashboard that name park types (or the city): they take the names from the pack.
OTHER_PAGES = ["/targets/", "/indicators/", "/evaluation/index-systems/", "/registry/parks/", "/registry/map/"]


@pytest.mark.parametrize("path", OTHER_PAGES)
def test_other_pages_name_park_types_as_the_pack_does(city: City, path: str) -> None:
    no_wuhan(main(city.client("city_admin").get(path)))


def test_the_registry_names_park_types_and_the_region_as_the_pack_does(city: City) -> None:
    parks = main(city.client("city_admin").get("/registry/parks/"))
    assert '<option value="urban">城市更新产业园</option>' in parks
    assert "先进制造业集聚区" in parks and "专精特新产业园" in parks
    detail = main(city.client("city_admin").get("/registry/parks/HB/"))
    assert "城市更新产业园" in detail
    assert "底图为合肥市各区示意边界" in main(city.client("city_admin").get("/registry/map/"))
    from yuanqu.registry.models import Park

    Park.objects.filter(code="HB").update(
        boundary={
            "type": "Polygon",
            "coordinates": [[[117.28, 31.85], [117.29, 31.85], [117.29, 31.86], [117.28, 31.86], [117.28, 31.85]]],
        }
    )
    features = city.client("city_admin").get("/registry/map/parks.geojson").json()["features"]
    assert [item["properties"]["park_type_label"] for item in features] == ["城市更新产业园"]


def test_english_pages_take_the_packs_english_names(city: City) -> None:
    from django.utils import translation

    client = city.client("city_admin")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    try:
        parks = main(client.get("/registry/parks/"))
        assert "Urban renewal industrial park" in parks and "Advanced manufacturing cluster" in parks
        assert "district boundaries of Hefei" in main(client.get("/registry/map/"))
        heading = main(client.get("/targets/tasks/")).split("</h1>")[0]
        assert re.search(r"3 key tasks and 1 safeguard(?!s)", heading), heading
        board = main(client.get("/targets/"))
        assert "Advanced manufacturing cluster" in board and "Modern Industrial Park" not in board
    finally:
        translation.deactivate()


def test_the_task_page_counts_the_packs_tasks(city: City) -> None:
    page = main(city.client("city_admin").get("/targets/tasks/"))
    assert "3项重点任务、1项保障措施" in page
    assert "18项" not in page


def test_it_lists_the_packs_indicators_and_index_systems(city: City) -> None:
    catalogue = main(city.client("city_admin").get("/indicators/"))
    assert "规上工业总产值（1-本月累计）" in catalogue and "亩均工业产值" in catalogue
    assert "规上工业营业收入" not in catalogue
    systems = main(city.client("city_admin").get("/evaluation/index-systems/"))
    assert "规模实力" in systems and "专业化水平" in systems and "经济密度" in systems


def test_an_evaluation_without_parks_names_the_packs_park_types(db: None, second_pack: Path) -> None:
    from django.utils import translation

    from yuanqu.evaluation.labels import stored
    from yuanqu.evaluation.models import EvaluationRun
    from yuanqu.evaluation.services import evaluation_run

    run = evaluation_run(actor=None, year=YEAR, params={"runs": 50})
    assert run.status == EvaluationRun.Status.FAILED
    assert run.message == "没有可评价的园区：先进制造业集聚区、专精特新产业园、城市更新产业园均无登记园区。"
    with translation.override("en"):
        assert stored(run.message) == (
            "There are no parks to evaluate: no park is registered under any of the types "
            "Advanced manufacturing cluster, Specialised SME park, Urban renewal industrial park."
        )


def test_it_loads_the_packs_own_districts(city: City) -> None:
    from yuanqu.registry.models import District

    assert list(District.objects.order_by("sort_order").values_list("code", "name", "kind")) == [
        ("340104", "蜀山区", "district"),
        ("340111", "包河区", "district"),
        ("340171", "合肥高新区", "development_zone"),
    ]


# Pages of every app, read whole: the title, header and footer name the second city's platform and plan.
WHOLE_PAGES = [
    "/cockpit/",
    "/cockpit/parks/HA/",
    "/targets/",
    "/targets/tasks/",
    "/casework/",
    "/registry/parks/",
    "/registry/map/",
    "/registry/chains/",
    "/indicators/",
    "/evaluation/index-systems/",
]


@pytest.mark.parametrize("path", WHOLE_PAGES)
def test_every_page_names_the_second_citys_platform(city: City, path: str) -> None:
    response = city.client("city_admin").get(path)
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert re.search(rf"<title>[^<]* · {re.escape(PLATFORM)}</title>", html), html[:400]
    assert f">园区 · {PLATFORM}</a>" in html
    assert f'<footer class="footer">{FOOTER}</footer>' in html
    no_wuhan(html)


def test_english_pages_name_the_second_citys_platform_in_english(city: City) -> None:
    from django.utils import translation

    client = city.client("city_admin")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    try:
        html = client.get("/registry/parks/").content.decode()
        assert "<title>Parks · Hefei Industrial Parks Data Platform (test)</title>" in html
        assert ">Yuanqu · Hefei Industrial Parks Data Platform (test)</a>" in html
        assert f'<footer class="footer">{FOOTER}</footer>' in html  # the pack gives no English here
    finally:
        translation.deactivate()


def test_it_draws_the_packs_own_basemap(city: City) -> None:
    response = city.client("city_admin").get("/registry/map/basemap.geojson")
    assert isinstance(response, FileResponse)
    basemap = json.loads(response.getvalue())
    assert [feature["properties"]["name"] for feature in basemap["features"]] == ["蜀山区", "包河区", "合肥高新区"]


def test_it_places_parks_and_enterprises_inside_the_second_city(city: City) -> None:
    from django.core.exceptions import ValidationError

    park = city.parks["HB"]
    park.boundary = {
        "type": "Polygon",
        "coordinates": [[[117.30, 31.80], [117.32, 31.80], [117.32, 31.82], [117.30, 31.82], [117.30, 31.80]]],
    }
    park.full_clean()  # inside 包河区
    # Measured in the 117°E Gauss-Krüger zone, as on the ellipsoid (4.1997 km²); the 114°E zone gives 4.210.
    assert park.boundary_area_km2 == Decimal("4.200")
    park.boundary = {
        "type": "Polygon",
        "coordinates": [[[114.30, 30.35], [114.32, 30.35], [114.32, 30.37], [114.30, 30.37], [114.30, 30.35]]],
    }
    with pytest.raises(ValidationError, match="边界超出合肥市范围"):
        park.full_clean()
    firm = city.enterprises["F3"]
    firm.lon, firm.lat = 117.35, 31.85
    firm.full_clean()
    firm.lon, firm.lat = 114.3, 30.5
    with pytest.raises(ValidationError, match=r"坐标（114\.3, 30\.5）不在合肥市范围内"):
        firm.full_clean()


def test_the_quarterly_report_names_the_second_city_and_its_plan(city: City) -> None:
    import io

    from docx import Document

    from yuanqu.reports.documents import city_quarterly_docx
    from yuanqu.reports.jobs import city_file_name

    assert city_file_name("2026Q3") == "合肥市工业园区2026年第3季度进展报告.docx"
    document = Document(io.BytesIO(city_quarterly_docx(city.users["city_admin"], dt.date(2026, 7, 1))))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "合肥市工业园区高质量发展2026年第3季度进展报告" in text
    assert "依据《合肥市工业园区提质增效三年行动方案（2026-2028年）（测试用）》，对2028年目标进展" in text
    assert "时间进度以2025年末为起点、2028年末为终点" in text
    assert f"本报告由{PLATFORM}按生成人的数据权限自动生成" in text
    no_wuhan(text)
