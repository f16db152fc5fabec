"""Registry writes: validation with clear Chinese messages, scope checks, audit, park placement."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import World, square
from yuanqu.core.models import AuditLog
from yuanqu.core.uscc import make as make_uscc
from yuanqu.registry import geo
from yuanqu.registry.models import Enterprise, EnterpriseLabel, LabelKind, Park, high_tech_expiry
from yuanqu.registry.services import (
    enterprise_create,
    enterprise_update,
    land_parcel_create,
    park_create,
    park_update,
)


def _firm(world: World, **overrides: Any) -> dict[str, Any]:
    fields = {
        "uscc": make_uscc("91420100MA4K99999"),
        "name": "武汉新测试科技有限公司",
        "industry_id": "C3976",
        "district_id": world.districts["jiangxia"].pk,
    }
    fields.update(overrides)
    return fields


def test_it_creates_an_enterprise_and_audits_it(world: World) -> None:
    admin = world.users["city_admin"]
    firm = enterprise_create(actor=admin, **_firm(world))
    entry = AuditLog.objects.get(action="create", object_type="registry.Enterprise", object_id=str(firm.pk))
    assert entry.after is not None
    assert entry.actor == admin and entry.after["uscc"] == firm.uscc


@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        ({"uscc": "91420100MA4K9999"}, "uscc", "应为18位"),
        ({"uscc": "91420100MA4K9999O"[:17] + "Z"}, "uscc", "不允许的字符"),
        ({"uscc": "91350100M000100Y44"}, "uscc", "校验位错误"),
        ({"industry_id": "C9999"}, "industry", "不在《国民经济行业分类》"),
        ({"industry_id": "C39"}, "industry", "不是小类"),
        ({"lon": 116.4, "lat": 39.9}, "lon", "不在武汉市范围内"),
    ],
)
def test_it_refuses_bad_enterprise_input_and_saves_nothing(
    world: World, override: dict[str, Any], field: str, message: str
) -> None:
    before = (Enterprise.objects.count(), AuditLog.objects.count())
    with pytest.raises(ValidationError) as error:
        enterprise_create(actor=world.users["city_admin"], **_firm(world, **override))
    assert message in " ".join(error.value.message_dict[field])
    assert (Enterprise.objects.count(), AuditLog.objects.count()) == before


def test_it_refuses_a_district_user_writing_in_another_district(world: World) -> None:
    with pytest.raises(PermissionDenied) as error:
        enterprise_create(
            actor=world.users["district_caidian"], **_firm(world, district_id=world.districts["jiangxia"].pk)
        )
    assert "超出您的权限范围" in str(error.value)
    assert not Enterprise.objects.filter(name="武汉新测试科技有限公司").exists()


def test_it_refuses_writes_from_read_only_roles(world: World) -> None:
    for persona in ("city_viewer", "handler", "auditor"):
        with pytest.raises(PermissionDenied, match="无权修改企业"):
            enterprise_create(actor=world.users[persona], **_firm(world))
    # An enterprise user keeps its own address, and registers no enterprise.
    with pytest.raises(PermissionDenied, match=r"不能修改企业的.*统一社会信用代码"):
        enterprise_create(actor=world.users["enterprise"], **_firm(world))


def test_it_places_an_enterprise_in_the_park_its_coordinates_fall_in(world: World) -> None:
    firm = enterprise_create(actor=world.users["city_admin"], **_firm(world, lon=114.31, lat=30.36))
    assert firm.park == world.parks["PA"] and firm.park_assignment == "auto"
    outside = enterprise_create(
        actor=world.users["city_admin"],
        **_firm(world, uscc=make_uscc("91420100MA4K99998"), lon=114.50, lat=30.40),
    )
    assert outside.park is None and outside.park_assignment == "outside"


def test_it_converts_gcj02_input_to_wgs84(world: World) -> None:
    gcj_lon, gcj_lat = geo.wgs84_to_gcj02(114.31, 30.36)
    firm = enterprise_create(
        actor=world.users["city_admin"], coordinate_system="gcj02", **_firm(world, lon=gcj_lon, lat=gcj_lat)
    )
    assert firm.lon is not None and firm.lat is not None
    assert abs(firm.lon - 114.31) < 1e-6 and abs(firm.lat - 30.36) < 1e-6


def test_it_flags_a_point_inside_two_parks(world: World) -> None:
    admin = world.users["city_admin"]
    park_create(
        actor=admin,
        code="PD",
        name="重叠园区",
        district_id=world.districts["jiangxia"].pk,
        park_type="urban",
        planned_area_km2=Decimal("1"),
        boundary=square(114.305, 30.355, 0.01),
    )
    firm = enterprise_create(actor=admin, **_firm(world, lon=114.31, lat=30.36))
    assert firm.park is None and firm.park_assignment == "ambiguous"


def test_it_records_before_and_after_of_an_update(world: World) -> None:
    firm = world.enterprises["E2"]
    enterprise_update(actor=world.users["district_jiangxia"], enterprise=firm, name="武汉乙精密制造股份有限公司")
    entry = AuditLog.objects.filter(action="update", object_id=str(firm.pk)).latest("id")
    assert entry.before == {"name": "武汉乙精密制造有限公司"}
    assert entry.after == {"name": "武汉乙精密制造股份有限公司"}


@pytest.mark.parametrize(
    ("boundary", "message"),
    [
        ({"type": "Point", "coordinates": [114.3, 30.5]}, "应为 Polygon 或 MultiPolygon"),
        (
            {
                "type": "Polygon",
                "coordinates": [[[114.3, 30.5], [114.32, 30.52], [114.32, 30.5], [114.3, 30.52], [114.3, 30.5]]],
            },
            "边界自相交",
        ),
        (
            {"type": "Polygon", "coordinates": [[[116.3, 39.9], [116.32, 39.9], [116.32, 39.92], [116.3, 39.9]]]},
            "超出武汉市范围",
        ),
        ("{not json", "不是合法的 GeoJSON"),
    ],
)
def test_it_refuses_invalid_park_boundaries(world: World, boundary: Any, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        park_update(actor=world.users["city_admin"], park=world.parks["PB"], boundary=boundary)
    assert message in " ".join(error.value.message_dict["boundary"])
    boundary_kept = Park.objects.get(code="PB").boundary
    assert boundary_kept is not None and boundary_kept["type"] == "Polygon"


def test_it_computes_the_boundary_area_in_a_projected_crs(world: World) -> None:
    park = world.parks["PA"]
    # 0.02° × 0.02° at 30.35°N ≈ 1.92 km × 2.22 km.
    assert park.boundary_area_km2 is not None
    assert Decimal("4.1") < park.boundary_area_km2 < Decimal("4.4")


def test_it_counts_labels_valid_on_a_date_in_one_query(world: World) -> None:
    firm = world.enterprises["E2"]
    EnterpriseLabel.objects.create(
        enterprise=firm,
        kind=LabelKind.HIGH_TECH,
        valid_from=dt.date(2021, 1, 1),
        valid_to=high_tech_expiry(dt.date(2021, 1, 1)),
    )
    with CaptureQueriesContext(connection) as queries:
        count = Enterprise.objects.with_label(LabelKind.HIGH_TECH, on=dt.date(2026, 6, 30)).count()
    assert len(queries) == 1
    assert count == 1  # E1's certificate (2024–2027) is valid; E2's expired on 2023-12-31
    assert Enterprise.objects.with_label(LabelKind.HIGH_TECH, on=dt.date(2023, 6, 30)).count() == 1


def test_it_gives_high_tech_certificates_three_years() -> None:
    assert high_tech_expiry(dt.date(2024, 5, 1)) == dt.date(2027, 4, 30)
    assert high_tech_expiry(dt.date(2024, 2, 29)) == dt.date(2027, 2, 27)


@pytest.mark.parametrize(
    "service", [park_create, park_update, enterprise_create, enterprise_update, land_parcel_create]
)
def test_each_write_service_takes_named_keyword_only_parameters(service: Any) -> None:
    """Every parameter is a named keyword; the fields that registering and changing both take are
    named once, in a TypedDict the `**` parameter unpacks (typed per key), never `**fields: Any`."""
    import inspect
    import typing

    parameters = inspect.signature(service).parameters.values()
    kinds = {parameter.kind for parameter in parameters}
    assert kinds <= {inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.VAR_KEYWORD}
    hints = typing.get_type_hints(service, include_extras=True)
    for parameter in parameters:
        if parameter.kind == inspect.Parameter.VAR_KEYWORD:
            hint = hints[parameter.name]
            assert typing.get_origin(hint) is typing.Unpack
            assert typing.is_typeddict(typing.get_args(hint)[0])


def test_an_update_clears_a_field_given_as_none_and_leaves_the_others(world: World) -> None:
    park = world.parks["PA"]
    Park.objects.filter(pk=park.pk).update(recognised_on=dt.date(2020, 5, 1), operator_name="江夏产投")
    park_update(actor=world.users["city_admin"], park=park, recognised_on=None)
    park.refresh_from_db()
    assert (park.recognised_on, park.operator_name) == (None, "江夏产投")
