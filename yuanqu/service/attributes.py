"""The enterprise attributes a rule of the service pack may name (policy eligibility, visit tiers),
with their Chinese names, kinds, units and allowed values. The labels' codes are the registry's
label kinds; chains and park types come from the pack's layout.

`snapshots.py` builds each firm's values of these attributes from registry and stats.

Who calls this: `service/pack.py` (to check rules at load) and `service/snapshots.py`."""

from __future__ import annotations

from yuanqu.core.rules import Attribute, AttributeKind
from yuanqu.registry.models import LabelKind
from yuanqu.registry.pack import Layout

LABELS = "labels"
INDUSTRY = "industry"
INDUSTRY_DIVISION = "industry_division"
CHAINS = "chains"
PARK_TYPE = "park_type"
DISTRICT = "district"
IN_PARK = "in_park"
REVENUE = "revenue"
REVENUE_GROWTH = "revenue_growth"
RD_EXPENSE = "rd_expense"
RD_INTENSITY = "rd_intensity"
EMPLOYEES = "employees"
TAX = "tax"
MUJUN_GRADE = "mujun_grade"
AGE_YEARS = "age_years"


def attribute_catalogue(layout: Layout | None) -> dict[str, Attribute]:
    chains = {chain.code: chain.name for chain in layout.chains} if layout is not None else {}
    park_types = {kind.code: kind.name for kind in layout.park_types} if layout is not None else {}
    items = [
        Attribute(LABELS, "称号", AttributeKind.LABELS, choices={str(k.value): str(k.label) for k in LabelKind}),
        Attribute(INDUSTRY, "行业小类", AttributeKind.TEXT),
        Attribute(INDUSTRY_DIVISION, "行业大类", AttributeKind.TEXT),
        Attribute(CHAINS, "所属产业链", AttributeKind.TEXTS, choices=chains),
        Attribute(PARK_TYPE, "园区类型", AttributeKind.TEXT, choices=park_types),
        Attribute(DISTRICT, "所在区（行政区划代码）", AttributeKind.TEXT),
        Attribute(IN_PARK, "是否在园区内", AttributeKind.BOOLEAN),
        Attribute(REVENUE, "上年营业收入", AttributeKind.NUMBER, unit="万元"),
        Attribute(REVENUE_GROWTH, "上年营业收入增速", AttributeKind.NUMBER, percent=True),
        Attribute(RD_EXPENSE, "上年研发费用", AttributeKind.NUMBER, unit="万元"),
        Attribute(RD_INTENSITY, "上年研发投入强度", AttributeKind.NUMBER, percent=True),
        Attribute(EMPLOYEES, "从业人员", AttributeKind.NUMBER, unit="人"),
        Attribute(TAX, "上年税金", AttributeKind.NUMBER, unit="万元"),
        Attribute(MUJUN_GRADE, "亩均评价等级", AttributeKind.TEXT, choices={g: f"{g}类" for g in "ABCD"}),
        Attribute(AGE_YEARS, "成立年限", AttributeKind.NUMBER, unit="年"),
    ]
    return {item.code: item for item in items}
