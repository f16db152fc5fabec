"""Values the city enters for indicators the platform does not compute, and the indicator pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import World
from yuanqu.core.models import AuditLog
from yuanqu.indicators.models import IndicatorValue
from yuanqu.indicators.pack import LABEL_KINDS, LABEL_LEVELS, LAND_USES
from yuanqu.indicators.services import indicator_value_report, indicators_compute_all
from yuanqu.indicators.tests.factories import add_stats
from yuanqu.registry.models import LabelKind, LabelLevel, LandParcel


def test_the_catalogue_knows_the_registrys_label_kinds_levels_and_land_uses() -> None:
    assert set(LABEL_KINDS) == set(LabelKind.values)
    assert set(LABEL_LEVELS) == set(LabelLevel.values) - {""}
    assert set(LAND_USES) == set(LandParcel.Use.values)


def test_the_city_reports_a_value_that_a_full_recompute_keeps(module_world: World) -> None:
    admin = module_world.users["city_admin"]
    indicator_value_report(actor=admin, indicator="land_city_topup_mu", period=dt.date(2024, 6, 1), value=Decimal(0))
    indicator_value_report(actor=admin, indicator="land_city_topup_mu", period=dt.date(2025, 1, 1), value=Decimal(800))
    stored = IndicatorValue.objects.get(indicator="land_city_topup_mu", period=dt.date(2025, 12, 31))
    assert stored.value == Decimal(800) and stored.reported
    assert AuditLog.objects.filter(object_type="indicators.ReportedValue", action="create").count() == 2
    # a full recompute keeps what was reported
    indicators_compute_all()
    assert IndicatorValue.objects.get(indicator="land_city_topup_mu", period=dt.date(2025, 12, 31)).value == 800


def test_an_indicator_an_app_provides_cannot_be_typed_in(module_world: World) -> None:
    # 产业名园 selected, the awards and the land start-price ratio compute from the factors app's records.
    for code in ("famous_parks_selected", "famous_park_award", "land_start_price_ratio"):
        with pytest.raises(ValidationError, match="由平台计算，不能人工填报"):
            indicator_value_report(
                actor=module_world.users["city_admin"], indicator=code, period=dt.date(2025, 1, 1), value=Decimal(1)
            )


def test_it_refuses_to_overwrite_a_computed_indicator(module_world: World) -> None:
    with pytest.raises(ValidationError, match="由平台计算，不能人工填报"):
        indicator_value_report(
            actor=module_world.users["city_admin"], indicator="revenue", period=dt.date(2025, 1, 1), value=Decimal(1)
        )
    assert not AuditLog.objects.filter(object_type="indicators.ReportedValue").exists()


def test_it_refuses_a_reported_value_from_anyone_but_the_city_admin(module_world: World) -> None:
    with pytest.raises(PermissionDenied, match="只有市级管理员"):
        indicator_value_report(
            actor=module_world.users["city_viewer"],
            indicator="land_city_topup_mu",
            period=dt.date(2025, 1, 1),
            value=Decimal(1),
        )
    assert not IndicatorValue.objects.filter(indicator="land_city_topup_mu").exists()


def test_the_api_takes_a_reported_value(module_world: World) -> None:
    response = module_world.client("city_admin").post(
        "/api/v1/indicators/land_city_topup_mu/reported",
        {"year": 2025, "value": "6"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["value"] == "6.000000"


def test_the_indicator_pages_show_definition_value_and_children(module_world: World) -> None:
    add_stats(module_world)
    indicators_compute_all()
    client = module_world.client("city_viewer")
    catalogue = client.get("/indicators/").content.decode()
    assert "主导产业营业收入占比" in catalogue and "lead / total" in catalogue
    page = client.get("/indicators/lead_industry_share/?period=2024").content.decode()
    assert 'data-testid="indicator-value"' in page and "82.76" in page
    assert "行业属于所在园区主导产业链" in page
    assert "江夏现代产业园" in page  # the park level below the city
    assert module_world.client("auditor").get("/indicators/").status_code == 403


@pytest.mark.parametrize("year", [0, 99999, False, 1948])
def test_the_api_refuses_an_impossible_year_with_422(module_world: World, year: Any) -> None:
    response = module_world.client("city_admin").post(
        "/api/v1/indicators/famous_parks_selected/reported",
        {"year": year, "value": "6"},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["errors"][0]["loc"][-1] == "year"


def test_the_api_refuses_a_non_admin_before_looking_anything_up(module_world: World) -> None:
    # An unknown indicator and a bad scope: the role is refused first (403), nothing else is read.
    response = module_world.client("park_operator").post(
        "/api/v1/indicators/no_such_indicator/reported",
        {"year": 2025, "value": "6", "scope": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403 and response.json()["detail"] == "只有市级管理员可以填报指标值"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        # 30 digits fit the column on PostgreSQL; SQLite would read back 1e24 and fail on the row.
        ("999999999999999999999999.999999", "数值：最多15位数字"),
        ("1000000000", "数值：最多15位数字"),
    ],
)
def test_the_api_refuses_a_value_no_database_keeps_exactly(module_world: World, value: str, message: str) -> None:
    response = module_world.client("city_admin").post(
        "/api/v1/indicators/land_city_topup_mu/reported",
        {"year": 2025, "value": value},
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["loc"][-1] == "value"
    assert not IndicatorValue.objects.filter(indicator="land_city_topup_mu").exists()


def test_the_largest_value_it_takes_reads_back_as_written(module_world: World) -> None:
    response = module_world.client("city_admin").post(
        "/api/v1/indicators/land_city_topup_mu/reported",
        {"year": 2025, "value": "999999999.999999"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["value"] == "999999999.999999"
    assert IndicatorValue.objects.get(indicator="land_city_topup_mu").value == Decimal("999999999.999999")


def test_the_service_refuses_a_value_beyond_exact_digits(module_world: World) -> None:
    with pytest.raises(ValidationError, match=r"数值超出可存储的范围（整数部分最多9位）"):
        indicator_value_report(
            actor=module_world.users["city_admin"],
            indicator="land_city_topup_mu",
            period=dt.date(2025, 1, 1),
            value=Decimal("1e12"),
        )


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"year": "99999", "value": "6"}, "年度不能大于2100"),
        ({"year": "", "value": "6"}, "请填写年度"),
        ({"year": "2025", "value": "abc"}, "数值应为数字"),
        ({"year": "2025", "value": "NaN"}, "数值应为数字"),
        ({"year": "2025", "value": "1e20"}, "数值："),
    ],
)
def test_the_page_refuses_bad_input_by_name_and_changes_nothing(
    module_world: World, post: dict[str, str], message: str
) -> None:
    client = module_world.client("city_admin")
    response = client.post("/indicators/land_city_topup_mu/report/", post)
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(message in m for m in shown), shown
    assert not IndicatorValue.objects.filter(indicator="land_city_topup_mu").exists()


def test_the_page_enters_a_value(module_world: World) -> None:
    client = module_world.client("city_admin")
    response = client.post("/indicators/land_city_topup_mu/report/", {"year": "2025", "value": "12.5"})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["已填报2025年市级统筹保障新增建设用地"]
    assert IndicatorValue.objects.get(indicator="land_city_topup_mu").value == Decimal("12.5")
