"""Text for catalogue definitions, so that every page showing a value can say how it is made. Pure:
reads the catalogue dataclasses only. The names below are Chinese (other apps read them as data); the
text built from them is in the active language, Chinese unless the reader switched to English."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

from yuanqu.indicators import catalogue
from yuanqu.indicators.pack import Indicator, Term, source_measures
from yuanqu.registry.park_types import park_type_names
from yuanqu.stats.measures import ANNUAL_EXTRA_MEASURES, ENTERPRISE_MEASURES, PARK_MEASURES

SOURCE_NAMES = {
    "annual": gettext_noop("企业年度数据"),
    "monthly": gettext_noop("规上企业月度报表（1-本月累计）"),
    "enterprises": gettext_noop("企业名录"),
    "land": gettext_noop("地块"),
    "park_annual": gettext_noop("园区年度数据"),
    "parks": gettext_noop("园区名录"),
    "indicator": gettext_noop("园区指标值"),
}
COUNT_NAMES = {
    "enterprises": gettext_noop("企业数"),
    "parcels": gettext_noop("地块数"),
    "parks": gettext_noop("园区数"),
}
LABEL_NAMES = {
    "above_scale": gettext_noop("规上工业企业"),
    "high_tech": gettext_noop("高新技术企业"),
    "srdi": gettext_noop("专精特新"),
    "single_champion": gettext_noop("制造业单项冠军"),
    "gazelle": gettext_noop("瞪羚企业"),
    "unicorn": gettext_noop("独角兽企业"),
    "chain_leader": gettext_noop("链主企业"),
    "listed": gettext_noop("上市企业"),
    "top500": gettext_noop("三类500强"),
    "green_factory": gettext_noop("绿色工厂"),
    "green_supply_chain": gettext_noop("绿色供应链管理企业"),
    "green_product": gettext_noop("绿色设计产品"),
    "digital": gettext_noop("数字化转型"),
}
LEVEL_NAMES = {
    "national": gettext_noop("国家级"),
    "provincial": gettext_noop("省级"),
    "municipal": gettext_noop("市级"),
}
OP_NAMES = {"gt": ">", "ge": "≥", "lt": "<", "le": "≤", "eq": "=", "ne": "≠"}
SCOPE_LEVEL_NAMES = {
    "enterprise": gettext_noop("企业"),
    "park": gettext_noop("园区"),
    "district": gettext_noop("区"),
    "city": gettext_noop("全市"),
}
COVERAGE_NAMES = {
    "parks": gettext_noop("园区口径（仅园区内企业）"),
    "city": gettext_noop("全市口径（含园区外企业）"),
}
_MEASURE_NAMES = {m.code: m.name for m in (*ENTERPRISE_MEASURES, *ANNUAL_EXTRA_MEASURES, *PARK_MEASURES)}
_MEASURE_NAMES.update({"area_mu": "面积", "planned_area_km2": "规划面积", "value": "指标值"})
# The names of yuanqu.stats.measures (kept there in Chinese), for the catalogue of this app.
MEASURE_NAMES_EN = (
    gettext_noop("营业收入"),
    gettext_noop("工业总产值"),
    gettext_noop("工业增加值"),
    gettext_noop("利润总额"),
    gettext_noop("税金总额"),
    gettext_noop("研发费用"),
    gettext_noop("综合能源消费量"),
    gettext_noop("出口交货值"),
    gettext_noop("从业人员期末人数"),
    gettext_noop("用地面积"),
    gettext_noop("研发人员数"),
    gettext_noop("建成区面积"),
    gettext_noop("工业用地面积"),
    gettext_noop("固定资产投资"),
    gettext_noop("工业投资"),
    gettext_noop("新建项目工业投资"),
    gettext_noop("新建项目用地面积"),
    gettext_noop("园区服务人员数"),
    gettext_noop("智慧平台应用子系统数"),
    gettext_noop("生产经营和生活配套设施种类"),
    gettext_noop("可再生能源使用比例"),
    gettext_noop("较大及以上安全生产事故数"),
    gettext_noop("突发环境事件数"),
    gettext_noop("面积"),
    gettext_noop("规划面积"),
    gettext_noop("指标值"),
)


def measure_name(code: str) -> str:
    return gettext(_MEASURE_NAMES.get(code, code))


def _names(codes: tuple[str, ...] | list[str], names: dict[str, str]) -> str:
    return gettext("、").join(gettext(names[code]) if code in names else code for code in codes)


def describe_filter(term: Term) -> list[str]:
    where = term.where
    parts: list[str] = []
    for label in where.labels:
        levels = _names(label.levels, LEVEL_NAMES)
        kind = gettext(LABEL_NAMES[label.kind]) if label.kind in LABEL_NAMES else label.kind
        name = gettext("%(levels)s%(kind)s") % {"levels": levels, "kind": kind} if levels else kind
        if label.new_since is not None:
            parts.append(
                gettext("%(date)s以来新认定为%(name)s") % {"date": f"{label.new_since:%Y-%m-%d}", "name": name}
            )
        else:
            parts.append(gettext("期末为%(name)s") % {"name": name})
    if where.class_set:
        parts.append(
            gettext("行业属于“%(set)s”（%(prefixes)s）")
            % {"set": where.class_set, "prefixes": gettext("、").join(where.industry_prefixes)}
        )
    if where.high_tech is not None:
        parts.append(gettext("属于高技术制造业（2017）") if where.high_tech else gettext("不属于高技术制造业"))
    if where.lead_chains is not None:
        parts.append(
            gettext("行业属于所在园区主导产业链") if where.lead_chains else gettext("行业不属于所在园区主导产业链")
        )
    if where.park_types:
        names = park_type_names()  # the pack's, in the page's language
        types = gettext("、").join(names.get(code, code) for code in where.park_types)
        parts.append(gettext("园区类型为%(types)s") % {"types": types})
    if where.recognised:
        parts.append(gettext("期末已认定"))
    if where.green_levels:
        parts.append(gettext("绿色园区等级为%(levels)s") % {"levels": gettext("、").join(where.green_levels)})
    if where.in_park is not None:
        parts.append(gettext("位于园区内") if where.in_park else gettext("位于园区外"))
    if where.land_uses:
        parts.append(gettext("用地类型为%(uses)s") % {"uses": gettext("、").join(where.land_uses)})
    parts.extend(
        f"{measure_name(condition.field)} {OP_NAMES[condition.op]} {condition.value.normalize():f}"
        for condition in where.values
    )
    return parts


def describe_term(term: Term) -> str:
    source = gettext(SOURCE_NAMES[term.source]) if term.source in SOURCE_NAMES else term.source
    if term.source == "indicator":
        source = gettext("园区的“%(indicator)s”指标值") % {"indicator": term.indicator}
    if term.aggregate == "sum":
        units = source_measures(term.source)
        what = gettext("%(measure)s合计（%(unit)s）") % {
            "measure": measure_name(term.measure or ""),
            "unit": unit_label(units.get(term.measure or "", term.unit)),
        }
    else:
        counted = _counted(term)
        what = gettext(COUNT_NAMES[counted]) if counted in COUNT_NAMES else gettext("记录数")
    conditions = describe_filter(term)
    text = f"{source}·{what}"
    if not conditions:
        return text
    return gettext("%(text)s，条件：%(conditions)s") % {"text": text, "conditions": gettext("；").join(conditions)}


def _counted(term: Term) -> str:
    return {"land": "parcels", "park_annual": "parks", "parks": "parks", "indicator": "parks"}.get(
        term.source, "enterprises"
    )


def unit_label(unit: str) -> str:
    """A unit of the catalogue (万元, 万元/亩, %) in the active language."""
    from yuanqu.indicators.templatetags.indicator_format import unit_label as label

    return label(unit)


def describe(item: Indicator) -> dict[str, object]:
    """Everything a page needs to explain an indicator."""
    name = catalogue.display_name(item)
    return {
        "code": item.code,
        "name": name,
        # The name in the other language, shown as a hint next to the name.
        "other_name": item.name if name != item.name else item.name_en,
        "name_en": item.name_en,
        "unit": item.unit,
        "unit_label": unit_label(item.unit),
        "level": gettext(SCOPE_LEVEL_NAMES[item.level]) if item.level in SCOPE_LEVEL_NAMES else item.level,
        "direction": gettext("越高越好") if item.direction == "higher" else gettext("越低越好"),
        "coverage": gettext(COVERAGE_NAMES[item.coverage]) if item.coverage in COVERAGE_NAMES else item.coverage,
        "formula": item.formula.text if item.formula else gettext("人工填报"),
        "terms": [(term.name, describe_term(term)) for term in item.terms],
        "standard": item.standard,
        "note": item.note or "",
        "reported": item.reported,
    }
