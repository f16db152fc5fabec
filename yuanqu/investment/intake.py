"""The 载体 import kind: a park's or a district's vacant land parcels and building floors from its own
spreadsheet, through the intake pipeline (template, header synonyms, cell checks with row, column and
rule, all-or-nothing write in the batch's transaction). Each row adds a 载体 or updates the one with
its code through `services.site_upsert` (scope checked, audited); the same file again changes
nothing. Registered with the intake pipeline in `InvestmentConfig.ready()` through
`intake_kind_register`, since intake sits below this app and imports none of it."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from yuanqu.core.models import User
from yuanqu.core.permissions import WriteDenied
from yuanqu.intake.kinds import CHOICE, DATE, DECIMAL, INTEGER, TEXT, Column, KindSpec, district_column, park_column
from yuanqu.intake.services import CREATED, UNCHANGED, UPDATED, Progress, _write_each, intake_kind_register
from yuanqu.intake.validation import (
    Record,
    Validation,
    _check_write_scope,
    _districts,
    _resolve_district_and_park,
    _visible_parks,
    check_duplicates,
)
from yuanqu.investment import services
from yuanqu.investment.models import Site
from yuanqu.stats.models import ImportBatch

MSG_SITE_OUT_OF_SCOPE = "载体“{code}”已存在且不在您的权限范围内"
MSG_SITE_NEEDS = "{kind}须填写“{field}”"

KIND_CHOICES = tuple((str(code), str(label)) for code, label in Site.Kind.choices)

SITES = KindSpec(
    ImportBatch.Kind.INVESTMENT_SITES,
    "载体",
    (
        Column(
            "code",
            "载体编号",
            TEXT,
            required=True,
            cell_required=True,
            synonyms=("载体代码", "编号", "地块编号", "厂房编号"),
            max_length=40,
            example="JX-ZT-001",
        ),
        Column(
            "name",
            "名称",
            TEXT,
            required=True,
            cell_required=True,
            synonyms=("载体名称",),
            max_length=120,
            example="江夏标准厂房3号楼2层",
        ),
        Column(
            "kind",
            "类别",
            CHOICE,
            required=True,
            cell_required=True,
            choices=KIND_CHOICES,
            choice_synonyms=(("地块", "land"), ("用地", "land"), ("厂房", "floor"), ("楼层", "floor")),
            synonyms=("载体类别", "类型"),
            example="厂房楼层",
        ),
        district_column(cell_required=True),
        park_column(note="园区外的载体留空", example="江夏现代产业园"),
        Column("planned_use", "规划用途", TEXT, synonyms=("用地性质", "用途"), max_length=40, example="一类工业用地"),
        Column(
            "area_mu",
            "土地面积",
            DECIMAL,
            unit="亩",
            synonyms=("用地面积", "地块面积"),
            minimum=Decimal("0.01"),
            max_digits=12,
            note="土地必填",
        ),
        Column("plot_ratio", "容积率", DECIMAL, minimum=Decimal(0), maximum=Decimal("99.99"), max_digits=4),
        Column(
            "floor_area_m2",
            "建筑面积",
            INTEGER,
            unit="平方米",
            synonyms=("面积", "楼层面积"),
            minimum=Decimal(1),
            maximum=Decimal(2147483647),
            note="厂房楼层必填",
            example=3200,
        ),
        Column(
            "floor_load_kn",
            "楼面荷载",
            DECIMAL,
            unit="kN/㎡",
            synonyms=("荷载", "楼面荷载（kN/m²）", "楼面荷载（kN/m2）"),
            minimum=Decimal(0),
            maximum=Decimal("9999.9"),
            places=Decimal("0.1"),
            max_digits=5,
            example=Decimal("8.0"),
        ),
        Column(
            "clear_height_m",
            "层高/净高",
            DECIMAL,
            unit="米",
            synonyms=("层高", "净高"),
            minimum=Decimal(0),
            maximum=Decimal("999.9"),
            places=Decimal("0.1"),
            max_digits=4,
            example=Decimal("6.5"),
        ),
        Column(
            "power_kva",
            "供电容量",
            INTEGER,
            unit="kVA",
            synonyms=("配电容量", "电力容量"),
            minimum=Decimal(0),
            maximum=Decimal(2147483647),
            example=800,
        ),
        Column("price", "租售价格", TEXT, synonyms=("价格", "租金", "出让价格"), max_length=60, example="25元/㎡·月"),
        Column(
            "available_on",
            "可用日期",
            DATE,
            required=True,
            cell_required=True,
            synonyms=("可交付日期", "可入驻日期"),
            example="2026-09-30",
        ),
        Column("owner_name", "权属单位", TEXT, synonyms=("业主", "产权单位"), max_length=100, example="江夏产投集团"),
        Column(
            "confirmed_on",
            "信息确认日期",
            DATE,
            synonyms=("确认日期", "更新日期"),
            note="留空按导入当天",
        ),
    ),
    (
        "每行是一处载体：空置土地（填土地面积，单位亩）或标准厂房、工业上楼的一层（填建筑面积，单位平方米）。",
        "按载体编号新增或更新：同一文件再次导入不会重复登记。区级用户只能登记本区载体，园区运营用户只能登记本园区载体。",
        "楼面荷载、层高/净高、供电容量用于智慧选址：空着的项视为不满足项目的该项要求。",
    ),
    "载体",
)


def check_sites(result: Validation, user: User) -> None:
    check_duplicates(result, lambda r: r.values.get("code"), "载体编号", "code")
    districts, parks = _districts(), _visible_parks(user)
    codes = sorted({r.values["code"] for r in result.records if r.values.get("code")})
    existing = {site.code: site for site in Site.objects.filter(code__in=codes).only("pk", "code", "park_id")}
    visible = set(Site.objects.visible_to(user).filter(code__in=list(existing)).values_list("code", flat=True))
    for record in result.records:
        if "duplicate" in record.refs:
            continue
        site = existing.get(record.values.get("code") or "")
        if site is not None and site.code not in visible:
            result.add(record, "code", MSG_SITE_OUT_OF_SCOPE.format(code=site.code))
            continue
        _resolve_district_and_park(result, user, record, districts, parks, district_required=True)
        _check_write_scope(result, user, record, current_park_id=site.park_id if site is not None else None)
        kind = record.values.get("kind")
        if kind == Site.Kind.LAND and record.values.get("area_mu") is None:
            result.add(record, "area_mu", MSG_SITE_NEEDS.format(kind="土地", field="土地面积（亩）"))
        elif kind == Site.Kind.FLOOR and record.values.get("floor_area_m2") is None:
            result.add(record, "floor_area_m2", MSG_SITE_NEEDS.format(kind="厂房楼层", field="建筑面积（平方米）"))


FIELDS = (
    "name",
    "kind",
    "planned_use",
    "area_mu",
    "plot_ratio",
    "floor_area_m2",
    "floor_load_kn",
    "clear_height_m",
    "power_kva",
    "price",
    "available_on",
    "owner_name",
    "confirmed_on",
)
TEXT_FIELDS = ("planned_use", "price", "owner_name")


def _write(
    actor: User, batch: ImportBatch, records: list[Record], validation: Validation, progress: Progress | None
) -> dict[str, int]:
    mapped = set(validation.mapping.columns) if validation.mapping else set()

    def write_one(record: Record) -> str:
        values: dict[str, object] = {"district_id": record.refs["district"].pk}
        if "park" in mapped:
            values["park_id"] = record.refs["park"].pk if "park" in record.refs else None
        for name in FIELDS:
            if name not in mapped:
                continue
            value = record.values.get(name)
            if value is None and name == "confirmed_on":
                continue  # an empty cell: a new 载体 is confirmed today, a known one keeps its date
            values[name] = "" if value is None and name in TEXT_FIELDS else value
        try:
            answer = services.site_upsert(
                actor=actor, code=record.values["code"], values=values, detail=f"导入批次#{batch.pk}"
            )
        except WriteDenied as denied:
            raise ValidationError(str(denied)) from None
        return {"created": CREATED, "updated": UPDATED}.get(answer, UNCHANGED)

    return _write_each(records, validation, progress, write_one)


def _rows(user: Any) -> Iterator[list[Any]]:
    kinds = dict(Site.Kind.choices)
    for site in Site.objects.visible_to(user).select_related("district", "park").order_by("code"):
        yield [
            site.code,
            site.name,
            str(kinds[site.kind]),
            site.district.name,
            site.park.code if site.park is not None else "",
            site.planned_use,
            float(site.area_mu) if site.area_mu is not None else None,
            float(site.plot_ratio) if site.plot_ratio is not None else None,
            site.floor_area_m2,
            float(site.floor_load_kn) if site.floor_load_kn is not None else None,
            float(site.clear_height_m) if site.clear_height_m is not None else None,
            site.power_kva,
            site.price,
            site.available_on.isoformat(),
            site.owner_name,
            site.confirmed_on.isoformat(),
        ]


def register() -> None:
    """Declare the 载体 kind to the intake pipeline (from ready())."""
    intake_kind_register(spec=SITES, check=check_sites, writer=_write, rows=_rows)
