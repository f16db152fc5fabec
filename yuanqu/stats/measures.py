"""The base measures the statistics tables carry, with their Chinese names and units. One list, used
by the models, the import templates, the demo generator and the indicator catalogue."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    unit: str
    # Flow measures accumulate over the year (本月 and 1–本月累计); stock measures are period-end values.
    flow: bool = True


# 规上 monthly and all-firm annual reports (国家统计局 工业统计报表 practice). Money in 万元.
ENTERPRISE_MEASURES: tuple[Measure, ...] = (
    Measure("revenue", "营业收入", "万元"),
    Measure("output", "工业总产值", "万元"),
    Measure("value_added", "工业增加值", "万元"),
    Measure("profit", "利润总额", "万元"),
    Measure("tax", "税金总额", "万元"),
    Measure("rd_expense", "研发费用", "万元"),
    Measure("energy_tce", "综合能源消费量", "吨标准煤"),
    Measure("export_value", "出口交货值", "万元"),
    Measure("employees", "从业人员期末人数", "人", flow=False),
)
FLOW_MEASURES = tuple(m for m in ENTERPRISE_MEASURES if m.flow)
MEASURE_BY_CODE = {m.code: m for m in ENTERPRISE_MEASURES}

# Annual data for all firms adds these to the measures above.
ANNUAL_EXTRA_MEASURES: tuple[Measure, ...] = (
    Measure("land_mu", "用地面积", "亩", flow=False),
    Measure("rd_staff", "研发人员数", "人", flow=False),
)
# The value fields of an annual row (AnnualStat), in the order of the measures.
ANNUAL_VALUE_FIELDS: tuple[str, ...] = tuple(m.code for m in (*ENTERPRISE_MEASURES, *ANNUAL_EXTRA_MEASURES))

# Park-level annual inputs that the targets and the evaluation need.
PARK_MEASURES: tuple[Measure, ...] = (
    Measure("built_area_km2", "建成区面积", "平方公里", flow=False),
    Measure("industrial_land_mu", "工业用地面积", "亩", flow=False),
    Measure("fixed_asset_investment", "固定资产投资", "万元"),
    Measure("industrial_investment", "工业投资", "万元"),
    Measure("new_project_investment", "新建项目工业投资", "万元"),
    Measure("new_project_land_mu", "新建项目用地面积", "亩", flow=False),
    Measure("service_staff", "园区服务人员数", "人", flow=False),
    Measure("smart_subsystems", "智慧平台应用子系统数", "个", flow=False),
    Measure("facility_kinds", "生产经营和生活配套设施种类", "种", flow=False),
    Measure("renewable_share", "可再生能源使用比例", "%", flow=False),
    Measure("safety_accidents", "较大及以上安全生产事故数", "起", flow=False),
    Measure("environmental_accidents", "突发环境事件数", "起", flow=False),
)
