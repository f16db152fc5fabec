"""Chinese text for catalogue definitions, so that every page showing a value can say how it is made.
Pure: reads the catalogue dataclasses only."""

from __future__ import annotations

from yuanqu.core.policy_pack import Indicator, Term, source_measures
from yuanqu.stats.measures import ANNUAL_EXTRA_MEASURES, ENTERPRISE_MEASURES, PARK_MEASURES

SOURCE_NAMES = {
    "annual": "企业年度数据",
    "monthly": "规上企业月度报表（1-本月累计）",
    "enterprises": "企业名录",
    "land": "地块",
    "park_annual": "园区年度数据",
    "parks": "园区名录",
    "indicator": "园区指标值",
}
COUNT_NAMES = {"enterprises": "企业数", "parcels": "地块数", "parks": "园区数"}
LABEL_NAMES = {
    "above_scale": "规上工业企业",
    "high_tech": "高新技术企业",
    "srdi": "专精特新",
    "single_champion": "制造业单项冠军",
    "gazelle": "瞪羚企业",
    "unicorn": "独角兽企业",
    "chain_leader": "链主企业",
    "listed": "上市企业",
    "top500": "三类500强",
    "green_factory": "绿色工厂",
    "digital": "数字化转型",
}
LEVEL_NAMES = {"national": "国家级", "provincial": "省级", "municipal": "市级"}
PARK_TYPE_NAMES = {"modern": "现代产业园", "featured": "特色产业园", "urban": "都市工业园", "unclassified": "未分类"}
OP_NAMES = {"gt": ">", "ge": "≥", "lt": "<", "le": "≤", "eq": "=", "ne": "≠"}
SCOPE_LEVEL_NAMES = {"enterprise": "企业", "park": "园区", "district": "区", "city": "全市"}
COVERAGE_NAMES = {"parks": "园区口径（仅园区内企业）", "city": "全市口径（含园区外企业）"}
_MEASURE_NAMES = {m.code: m.name for m in (*ENTERPRISE_MEASURES, *ANNUAL_EXTRA_MEASURES, *PARK_MEASURES)}
_MEASURE_NAMES.update({"area_mu": "面积", "planned_area_km2": "规划面积", "value": "指标值"})


def measure_name(code: str) -> str:
    return _MEASURE_NAMES.get(code, code)


def describe_filter(term: Term) -> list[str]:
    where = term.where
    parts: list[str] = []
    for label in where.labels:
        levels = "、".join(LEVEL_NAMES.get(level, level) for level in label.levels)
        name = levels + LABEL_NAMES.get(label.kind, label.kind)
        if label.new_since is not None:
            parts.append(f"{label.new_since:%Y-%m-%d}以来新认定为{name}")
        else:
            parts.append(f"期末为{name}")
    if where.class_set:
        parts.append(f"行业属于“{where.class_set}”（{'、'.join(where.industry_prefixes)}）")
    if where.high_tech is not None:
        parts.append("属于高技术制造业（2017）" if where.high_tech else "不属于高技术制造业")
    if where.lead_chains is not None:
        parts.append("行业属于所在园区主导产业链" if where.lead_chains else "行业不属于所在园区主导产业链")
    if where.park_types:
        parts.append("园区类型为" + "、".join(PARK_TYPE_NAMES.get(code, code) for code in where.park_types))
    if where.recognised:
        parts.append("期末已认定")
    if where.smart_platform is not None:
        parts.append("建有智慧化平台" if where.smart_platform else "未建智慧化平台")
    if where.green_levels:
        parts.append("绿色园区等级为" + "、".join(where.green_levels))
    if where.in_park is not None:
        parts.append("位于园区内" if where.in_park else "位于园区外")
    if where.land_uses:
        parts.append("用地类型为" + "、".join(where.land_uses))
    parts.extend(
        f"{measure_name(condition.field)} {OP_NAMES[condition.op]} {condition.value.normalize():f}"
        for condition in where.values
    )
    return parts


def describe_term(term: Term) -> str:
    source = SOURCE_NAMES.get(term.source, term.source)
    if term.source == "indicator":
        source = f"园区的“{term.indicator}”指标值"
    if term.aggregate == "sum":
        units = source_measures(term.source)
        what = f"{measure_name(term.measure or '')}合计（{units.get(term.measure or '', term.unit)}）"
    else:
        what = COUNT_NAMES.get(_counted(term), "记录数")
    conditions = describe_filter(term)
    text = f"{source}·{what}"
    return f"{text}，条件：{'；'.join(conditions)}" if conditions else text


def _counted(term: Term) -> str:
    return {"land": "parcels", "park_annual": "parks", "parks": "parks", "indicator": "parks"}.get(
        term.source, "enterprises"
    )


def describe(item: Indicator) -> dict[str, object]:
    """Everything a page needs to explain an indicator."""
    return {
        "code": item.code,
        "name": item.name,
        "name_en": item.name_en,
        "unit": item.unit,
        "level": SCOPE_LEVEL_NAMES.get(item.level, item.level),
        "direction": "越高越好" if item.direction == "higher" else "越低越好",
        "coverage": COVERAGE_NAMES.get(item.coverage, item.coverage),
        "formula": item.formula.text if item.formula else "人工填报",
        "terms": [(term.name, describe_term(term)) for term in item.terms],
        "standard": item.standard,
        "note": item.note or "",
        "reported": item.reported,
    }
