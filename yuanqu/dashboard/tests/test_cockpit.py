"""The cockpit: targets, ranking and map data, trends, casework rates and data freshness, each
within the reader's scope and the filters."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import World
from yuanqu.dashboard import selectors
from yuanqu.dashboard.tests import builders
from yuanqu.stats.models import ImportBatch

URL = "/cockpit/"


def chart_data(response: Any) -> dict[str, Any]:
    text = response.content.decode()
    start = text.index('<script id="cockpit-data" type="application/json">') + len(
        '<script id="cockpit-data" type="application/json">'
    )
    data: dict[str, Any] = json.loads(text[start : text.index("</script>", start)])
    return data


def test_it_ranks_parks_on_the_chosen_indicator(dash: World) -> None:
    response = dash.client("city_admin").get(URL, {"indicator": "revenue", "period": "2025"})
    data = chart_data(response)
    ranked = [(p["code"], p["rank"], p["value"]) for p in data["parks"]]
    assert ranked == [("PA", 1, 500000.0), ("PC", 2, 300000.0), ("PB", 3, 120000.0)]
    assert data["indicator"]["code"] == "revenue"
    assert data["period"] == "2025年"


def test_it_ranks_lower_is_better_indicators_ascending() -> None:
    values = [selectors.ParkValue(c, c, "", "modern", v) for c, v in (("A", 3.0), ("B", 1.0), ("C", None), ("D", 1.0))]
    ranked = selectors.ranked(values, "lower")
    assert [(p.code, p.rank) for p in ranked] == [("B", 1), ("D", 1), ("A", 3), ("C", None)]


def test_it_opens_on_the_latest_month_of_the_default_indicator(dash: World) -> None:
    response = dash.client("city_admin").get(URL)
    data = chart_data(response)
    assert data["indicator"]["code"] == "above_scale_revenue"
    assert data["period"] == "2026年1-10月"
    assert [p["value"] for p in data["parks"]] == [100000.0, 60000.0, 20000.0]


def test_it_says_plainly_that_growth_is_at_current_prices_until_indices_are_loaded(dash: World, html: Any) -> None:
    from yuanqu.indicators.comparable import DEFINITION_COMPARABLE, DEFINITION_CURRENT, NOTE_NO_INDEX

    page = html(dash.client("city_admin").get(URL))
    assert "同比（现价）" in page and "可比价增速（同口径）" in page
    assert NOTE_NO_INDEX in page
    assert DEFINITION_CURRENT in page and DEFINITION_COMPARABLE in page


def test_it_shows_comparable_price_growth_beside_the_current_price_one(dash: World, html: Any) -> None:
    """By hand: E1 (C3976, division C39, in PA) reports 1–10月 value added 2,000 in 2025 and 2,310 in
    2026; the C39 index for 1–10月 2026 is 105.00, so 2,310 × 100 / 105 = 2,200 at 2025 prices and the
    comparable growth is 2,200 / 2,000 − 1 = 10.0 % (15.5 % at current prices, same firm)."""
    from decimal import Decimal

    from yuanqu.registry.models import EnterpriseLabel, LabelKind
    from yuanqu.stats.models import MonthlyStat, PriceIndex

    e1 = dash.enterprises["E1"]
    EnterpriseLabel.objects.create(enterprise=e1, kind=LabelKind.ABOVE_SCALE, valid_from=dt.date(2020, 1, 1))
    monthly = ImportBatch.objects.create(kind=ImportBatch.Kind.MONTHLY, status=ImportBatch.Status.APPLIED)
    for year, value in ((2025, 2000), (2026, 2310)):
        MonthlyStat.objects.create(
            enterprise=e1, period=dt.date(year, 10, 1), value_added_ytd=Decimal(value), batch=monthly
        )
    prices = ImportBatch.objects.create(kind=ImportBatch.Kind.PRICE_INDEX, status=ImportBatch.Status.APPLIED)
    PriceIndex.objects.create(division_id="C39", period=dt.date(2026, 10, 1), ytd_index=Decimal(105), batch=prices)
    response = dash.client("city_admin").get(URL)
    cockpit = response.context["c"]
    assert cockpit.comparable.comparable_growth == pytest.approx(0.10)
    assert cockpit.comparable.current_growth == pytest.approx(0.155)
    page = html(response)
    assert 'data-testid="comparable-above_scale_value_added">10.0%' in page
    assert "价格指数尚未导入" not in page


def test_it_shows_a_district_user_only_its_parks(dash: World, html: Any) -> None:
    response = dash.client("district_jiangxia").get(URL, {"indicator": "revenue", "period": "2025"})
    data = chart_data(response)
    assert sorted(p["code"] for p in data["parks"]) == ["PA", "PB"]
    page = html(response)
    assert "蔡甸特色产业园" not in page
    assert "江夏现代产业园" in page


def test_it_shows_another_districts_parks_to_no_one_and_says_the_filter_was_ignored(dash: World) -> None:
    response = dash.client("district_caidian").get(URL, {"district": "420115", "indicator": "revenue"})
    assert [park["code"] for park in chart_data(response)["parks"]] == ["PC"]
    assert "筛选条件 district 的值“420115”不是可选的值，已忽略" in response.content.decode()


def test_it_filters_by_district_and_park_type(dash: World) -> None:
    client = dash.client("city_admin")
    by_district = chart_data(client.get(URL, {"district": "420114", "indicator": "revenue"}))
    assert [p["code"] for p in by_district["parks"]] == ["PC"]
    by_type = chart_data(client.get(URL, {"type": "urban", "indicator": "revenue"}))
    assert [p["code"] for p in by_type["parks"]] == ["PB"]


def test_it_filters_by_lead_chain(dash: World) -> None:
    from yuanqu.registry.models import IndustryChain

    chain = IndustryChain.objects.create(code="t-optics", name="光电子信息", kind=IndustryChain.Kind.KEY_CHAIN)
    dash.parks["PA"].lead_chains.add(chain)
    data = chart_data(dash.client("city_admin").get(URL, {"chain": "t-optics", "indicator": "revenue"}))
    assert [p["code"] for p in data["parks"]] == ["PA"]


def test_it_sums_monthly_trends_with_year_on_year_growth(dash: World) -> None:
    data = chart_data(dash.client("city_admin").get(URL, {"period": "2026-10"}))
    revenue = next(t for t in data["monthly"] if t["code"] == "above_scale_revenue")
    assert revenue["labels"][-1] == "1-10月"
    assert revenue["values"][-1] == 180000.0  # PA + PB + PC
    assert revenue["previous"][-1] == 144000.0  # 80 % a year before
    assert revenue["growth"][-1] == 25.0


def test_it_stops_the_monthly_trend_at_the_chosen_month(dash: World) -> None:
    data = chart_data(dash.client("city_admin").get(URL, {"period": "2026-05"}))
    revenue = next(t for t in data["monthly"] if t["code"] == "above_scale_revenue")
    assert revenue["labels"] == ["1-2月", "1-3月", "1-4月", "1-5月"]


def test_it_sums_trends_only_over_the_district_users_parks(dash: World) -> None:
    data = chart_data(dash.client("district_jiangxia").get(URL, {"period": "2026-10"}))
    revenue = next(t for t in data["monthly"] if t["code"] == "above_scale_revenue")
    assert revenue["values"][-1] == 120000.0  # PA + PB, not PC


def test_it_shows_target_progress_with_status(dash: World, html: Any) -> None:
    cockpit = selectors.cockpit(dash.users["city_admin"], selectors.CockpitFilters())
    tile = next(t for t in cockpit.tiles if t.code == "park_count_modern")
    assert tile.latest_value == 15.0
    assert tile.progress == pytest.approx(0.5)  # (15 − 10) ÷ (20 − 10)
    assert tile.status_code in {"on_track", "lagging", "seriously_lagging"}
    page = html(dash.client("city_admin").get(URL))
    assert 'href="/targets/park_count_modern/"' in page


def test_it_shows_casework_rates_and_the_overdue_count(dash: World, html: Any) -> None:
    builders.case_for(dash)
    cockpit = selectors.cockpit(dash.users["city_admin"], selectors.CockpitFilters())
    assert cockpit.cases.total.submitted == 1
    assert cockpit.cases.total.open_overdue == 0
    assert [name for name, _ in cockpit.cases.rates] == ["响应率", "按期办结率", "解决率", "满意率"]
    caidian = selectors.cockpit(dash.users["district_caidian"], selectors.CockpitFilters())
    assert caidian.cases.total.submitted == 0
    assert 'data-testid="overdue"' in html(dash.client("city_admin").get(URL))


def test_it_narrows_casework_to_the_parks_of_the_type_and_chain_filters(dash: World) -> None:
    from yuanqu.registry.models import IndustryChain

    builders.case_for(dash)  # E1's request, in PA (现代产业园)
    admin = dash.users["city_admin"]
    chain = IndustryChain.objects.create(code="t_chain", name="测试链", kind="key_chain")

    def submitted(**filters: str) -> int:
        return selectors.cockpit(admin, selectors.CockpitFilters(**filters)).cases.total.submitted

    assert submitted(park_type="modern") == 1
    assert submitted(park_type="urban") == 0
    assert submitted(chain="t_chain") == 0
    dash.parks["PA"].lead_chains.add(chain)
    assert submitted(chain="t_chain") == 1
    assert submitted(park_type="modern", district=dash.districts["jiangxia"].code) == 1
    assert submitted(park_type="modern", district=dash.districts["caidian"].code) == 0


def test_it_reports_the_last_import_and_latest_data_per_district(dash: World) -> None:
    from django.utils import timezone

    from yuanqu.indicators.models import IndicatorCell

    jiangxia = dash.districts["jiangxia"]
    IndicatorCell.objects.create(
        source="monthly",
        frequency="month",
        period=dt.date(2026, 10, 31),
        cell=f"d{jiangxia.pk}",
        district=jiangxia,
        computed_at=timezone.now(),
    )
    ImportBatch.objects.create(
        kind=ImportBatch.Kind.MONTHLY,
        status=ImportBatch.Status.APPLIED,
        district=jiangxia,
        uploaded_by=dash.users["district_jiangxia"],
    )
    ImportBatch.objects.create(kind=ImportBatch.Kind.LAND, status=ImportBatch.Status.REJECTED, district=jiangxia)
    rows = {
        row.district: row
        for row in selectors.freshness(
            dash.users["city_admin"], [jiangxia, dash.districts["caidian"]], dt.date(2026, 11, 26)
        )
    }
    assert rows["江夏区"].monthly_until == dt.date(2026, 10, 31)
    assert rows["江夏区"].last_import_kind == "企业月度统计（规上）"
    assert rows["江夏区"].late is False
    assert rows["蔡甸区"].monthly_until is None and rows["蔡甸区"].late is True
    assert rows["蔡甸区"].last_import is None
    # A district user sees its own district's row and its own imports only.
    own = selectors.cockpit(dash.users["district_jiangxia"], selectors.CockpitFilters())
    assert [row.district for row in own.freshness] == ["江夏区"]


@pytest.mark.parametrize("persona", ["enterprise", "handler", "auditor"])
def test_it_refuses_roles_without_a_cockpit(dash: World, persona: str) -> None:
    assert dash.client(persona).get(URL).status_code == 403


def test_it_sends_anonymous_visitors_to_log_in(dash: World) -> None:
    response = dash.client("anonymous").get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_renders_the_big_screen_mode_with_its_stylesheet(dash: World, html: Any) -> None:
    page = html(dash.client("city_admin").get(URL, {"screen": "1"}))
    assert "dashboard/screen.css" in page
    assert 'class="cockpit screen"' in page
    assert "退出大屏" in page
    assert "dashboard/screen.css" not in html(dash.client("city_admin").get(URL))


def test_it_loads_nothing_from_another_host_and_no_inline_script(dash: World, html: Any) -> None:
    page = html(dash.client("city_admin").get(URL))
    assert "http://" not in page.replace("http://testserver", "") and "https://" not in page
    for chunk in page.split("<script")[1:]:
        head = chunk.split(">", 1)[0]
        assert "src=" in head or 'type="application/json"' in head


def test_it_pins_the_cockpit_query_count(dash: World) -> None:
    client = dash.client("city_admin")
    client.get(URL)  # warm caches that are filled once per process
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    # session, user, 2 filter lists, parks, periods, report rates, values, 2 trend sums, targets,
    # 2 casework, freshness (cells, batches), demo flag: 16 (the session is not saved: it is not due for
    # renewal, core/sessions.py), and the header's count of unread notifications: 17. The holiday
    # years of the admin's warning are read once a session (the first request above), no longer on
    # every page. The panels below the grid add 12: 精准招商 1 (the
    # projects in scope; with projects, at most 3 whatever their number), 能碳 1 (the latest year; no
    # carbon account here, so nothing more), 人才 5 (open openings, outcome rows, first hires, 紧缺人才,
    # 人才引进 per policy) and 要素保障 5 (land by method, start-price compliance, the 弹性供地 share, the
    # funds by kind and
    # the ledger paid). The same-firm growth of 规上工业增加值 at comparable prices adds 2 (the firms
    # with last year's values, the month's price indices). The session is read, not saved: it is not
    # due for renewal (core/sessions.py).
    assert len(queries.captured_queries) == 31, [q["sql"][:80] for q in queries.captured_queries]


def test_it_keeps_the_query_count_flat_as_parks_grow(dash: World) -> None:
    from decimal import Decimal

    from yuanqu.registry.models import Park

    client = dash.client("city_admin")
    client.get(URL)
    with CaptureQueriesContext(connection) as before:
        client.get(URL)
    for number in range(20):
        Park.objects.create(
            code=f"X{number:02d}",
            name=f"新增园区{number}",
            district=dash.districts["jiangxia"],
            park_type="modern",
            planned_area_km2=Decimal("1.000"),
        )
    with CaptureQueriesContext(connection) as after:
        client.get(URL)
    assert len(after.captured_queries) == len(before.captured_queries)


def test_it_exports_the_cockpit_tables_and_audits_the_export(dash: World) -> None:
    from python_calamine import CalamineWorkbook

    from yuanqu.core.models import AuditLog

    response = dash.client("district_jiangxia").get("/cockpit/export.xlsx", {"indicator": "revenue", "period": "2025"})
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names == ["目标进度", "园区排名", "月度趋势", "年度趋势", "诉求办理", "数据更新"]
    ranking = book.get_sheet_by_name("园区排名").to_python()
    assert [row[2] for row in ranking[1:]] == ["江夏现代产业园", "江夏都市工业园"]
    entry = AuditLog.objects.get(action=AuditLog.Action.EXPORT, object_type="dashboard.Cockpit")
    assert entry.actor == dash.users["district_jiangxia"]
    data_rows = sum(len(book.get_sheet_by_name(name).to_python()) - 1 for name in book.sheet_names)
    assert entry.after == {"rows": data_rows}


def test_its_tiles_are_the_target_boards_goals(dash: World) -> None:
    from yuanqu.targets.selectors import target_rows

    for persona in ("city_admin", "district_jiangxia"):
        user = dash.users[persona]
        board = [row for row in target_rows(user) if row.is_goal]
        tiles = selectors.target_tiles(target_rows(user))
        assert [tile.code for tile in tiles] == [row.target.code for row in board]
        for tile, row in zip(tiles, board, strict=True):
            progress = row.progress
            assert tile.progress == (progress.progress if progress else None), tile.code
            assert tile.status_code == (progress.status.code if progress and progress.status else "none")


def test_it_names_the_scope_shown_in_the_heading(dash: World) -> None:
    def heading(persona: str, **query: str) -> str:
        page = dash.client(persona).get(URL, query).content.decode()
        start = page.index('data-testid="cockpit-scope">') + len('data-testid="cockpit-scope">')
        return page[start : page.index("<", start)]

    assert heading("city_admin").startswith("全市 · ")
    assert heading("district_jiangxia").startswith("江夏区 · ")
    assert heading("city_admin", district="420114", type="featured").startswith("蔡甸区、特色产业园 · ")


def test_the_big_screen_charts_cases_by_district_and_the_mujun_grades(dash: World) -> None:
    """诉求统计 and 亩均效益 are charts on the 大屏: their data comes with the page, within the
    reader's scope; the page without ?screen=1 carries neither (it has their own pages)."""
    from yuanqu.casework.services import case_accept
    from yuanqu.evaluation.models import EnterpriseGrade
    from yuanqu.evaluation.selectors import grade_codes

    case = builders.case_for(dash)
    case_accept(actor=dash.users["handler"], case=case, version=case.version)
    for index, firm in enumerate(dash.enterprises.values()):
        EnterpriseGrade.objects.create(
            enterprise=firm,
            year=2025,
            park=firm.park,
            district=firm.district,
            grade="A" if index < 2 else "B",
            rated_count=4,
            pack_hash="x",
            computed_at=dt.datetime.now(dt.UTC),
        )
    screen = chart_data(dash.client("city_admin").get(URL, {"screen": "1"}))["screen"]
    assert screen["cases"] == [{"name": "江夏区", "finished": 0, "open": 1, "overdue": 0}]
    grades = {row["code"]: row["count"] for row in screen["mujun"]["grades"]}
    assert screen["mujun"]["year"] == 2025 and list(grades) == grade_codes()
    # E4 is outside every park: the chart counts the firms of the filtered parks.
    in_parks = [firm for firm in dash.enterprises.values() if firm.park_id is not None]
    assert sum(grades.values()) == len(in_parks)
    page = dash.client("city_admin").get(URL, {"screen": "1"}).content.decode()
    assert 'data-testid="screen-mujun"' in page and 'data-testid="screen-cases-chart"' in page
    assert "screen" not in chart_data(dash.client("city_admin").get(URL))
    # A district reads its own district's grades only.
    district = chart_data(dash.client("district_caidian").get(URL, {"screen": "1"}))["screen"]
    assert sum(row["count"] for row in district["mujun"]["grades"]) == 1
