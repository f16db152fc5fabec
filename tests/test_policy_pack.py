"""The shipped Wuhan policy pack loads whole and right; a broken pack is refused with file, line and a
Chinese message for every problem. Every section of the pack (registry, indicators, targets,
casework, evaluation) is read through the one reader in `yuanqu.core.pack`."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from yuanqu.casework.pack import CASEWORK
from yuanqu.core.pack import PackProblem, PolicyPackError, check_pack, load_industry_classes, load_pack, pack_hash
from yuanqu.indicators.pack import ERR_SMART_PLATFORM_FLAG, INDICATORS, Dimension, Formula, FormulaError, parse_unit
from yuanqu.registry.pack import LAYOUT
from yuanqu.targets.pack import TARGETS

SHIPPED = Path(__file__).resolve().parents[1] / "yuanqu" / "policy_packs" / "wuhan_2025_2027"

# Every 责任单位 named in the policy text (tasks 1–18 and safeguards (一)–(六)), in order of appearance.
POLICY_UNIT_NAMES = (
    "市经信局",
    "市资建局",
    "市发改委",
    "各区人民政府",
    "市住更局",
    "市投促局",
    "市委组织部",
    "市委编办",
    "市人社局",
    "市国资委",
    "市商务局",
    "市交通运输局",
    "市数据局",
    "市生态环境局",
    "市市场监管局",
    "市科创局",
    "市人才局",
    "市财政局",
    "市委金融办",
    "联席会议成员单位",
    "市统计局",
)

# DOMAIN.md §1: (indicator, comparison, value, scope) of every quantitative 2027 target.
DOMAIN_TARGETS = {
    ("park_count_modern", "ge", 20, "city"),
    ("park_count_featured", "ge", 30, "city"),
    ("park_count_urban", "ge", 50, "city"),
    ("parks_revenue_ge_1000yi", "gt", 5, "city"),
    ("parks_revenue_ge_100yi", "gt", 20, "city"),
    ("lead_industry_share", "gt", 80, "modern"),
    ("lead_industry_share", "gt", 90, "featured"),
    ("lead_industry_share", "gt", 75, "urban"),
    ("new_above_scale_enterprises", "ge", 1000, "city"),
    ("rd_intensity", "growth_ge", 10, "city"),
    ("producer_services_share", "growth_ge", 10, "city"),
    ("high_tech_manufacturing_va_share", "ge", 25, "city"),
    ("high_tech_enterprises", "gt", 8000, "city"),
    ("specialized_sme_provincial_plus", "gt", 1800, "city"),
    ("industrial_land_area", "ge", 380, "city"),
    ("park_industrial_land_share", "ge", 90, "city"),
    ("smart_platform_coverage", "ge", 90, "city"),
    ("digital_transformation_share", "ge", 85, "city"),
    ("national_green_factories_new", "ge", 100, "city"),
    ("green_industrial_parks", "ge", 2, "city"),
    ("famous_parks_selected", "ge", 20, "city"),
    ("famous_park_award", "le", 5000, "modern"),
    ("famous_park_award", "le", 2000, "featured"),
    ("famous_park_award", "le", 800, "urban"),
    ("land_start_price_ratio", "ge", 70, "city"),
}

FUTURE_TRACKS = (
    "未来显示",
    "人形机器人",
    "元宇宙",
    "未来网络",
    "量子科技",
    "通用人工智能",
    "先进半导体",
    "未来新材料",
    "电磁能",
    "新型储能",
    "深地深海深空",
    "生物制造",
    "脑机接口",
)


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(SHIPPED, target)
    return target


def edit(pack_dir: Path, file: str, old: str, new: str) -> None:
    """Replace one exact, unique snippet of a pack file."""
    path = pack_dir / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {file}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(pack_dir: Path, file: str, snippet: str | tuple[str, int]) -> int:
    """1-based line of the first line containing `snippet`, or of the n-th for (snippet, n)."""
    snippet, occurrence = snippet if isinstance(snippet, tuple) else (snippet, 1)
    lines = (pack_dir / file).read_text(encoding="utf-8").splitlines()
    hits = [number for number, line in enumerate(lines, start=1) if snippet in line]
    return hits[occurrence - 1]


# ── the shipped pack ───────────────────────────────────────────────────────────────────────


def test_it_finds_no_problem_in_the_shipped_pack() -> None:
    assert check_pack(SHIPPED) == []


def test_it_loads_the_policy_header() -> None:
    pack = load_pack(SHIPPED)
    assert pack.code == "wuhan_2025_2027"
    assert pack.name == "加快推进武汉工业园区高质量发展的实施方案（2025-2027年）"
    assert pack.status == "征求意见稿"
    assert pack.version == "2025.1-draft"
    assert pack.baseline_year == 2024
    assert pack.period_end == date(2027, 12, 31)
    assert pack.region_code == "420100"
    assert pack.head.platform == "武汉工业园区产业大数据平台"
    assert pack.head.issuer == "武汉市经济和信息化局"
    assert (pack.head.basemap, pack.head.districts) == ("districts.geojson", "districts.csv")
    assert any("illustrative" in note for note in pack.notes)


def test_it_loads_every_responsible_unit_of_the_policy() -> None:
    pack = load_pack(SHIPPED)
    names = {unit.name for unit in pack.section(LAYOUT).units}
    assert set(POLICY_UNIT_NAMES) <= names
    assert pack.section(LAYOUT).unit("jxj").name == "市经信局"
    districts = pack.section(LAYOUT).unit("gqzf")
    assert districts.kind == "district_government"
    assert districts.expands_to == ("district", "development_zone")
    assert pack.section(LAYOUT).unit("kfqgwh").kind == "zone_committee"
    conference = pack.section(LAYOUT).unit("lxhy")
    assert conference.kind == "group"
    # 保障措施（一）: 市发改、资建、科创、投促、财政、住更、人社、生态环境、数据、统计、交通运输
    assert [pack.section(LAYOUT).unit(code).name for code in conference.members] == [
        "市发改委",
        "市资建局",
        "市科创局",
        "市投促局",
        "市财政局",
        "市住更局",
        "市人社局",
        "市生态环境局",
        "市数据局",
        "市统计局",
        "市交通运输局",
    ]


def test_it_loads_the_three_park_types() -> None:
    pack = load_pack(SHIPPED)
    summary = [
        (t.code, t.name, t.target_count, t.lead_share_comparison, t.lead_share_target, t.award_cap_wan_yuan)
        for t in pack.section(LAYOUT).park_types
    ]
    assert summary == [
        ("modern", "现代产业园", 20, "gt", 80.0, 5000),
        ("featured", "特色产业园", 30, "gt", 90.0, 2000),
        ("urban", "都市工业园", 50, "gt", 75.0, 800),
    ]
    modern = pack.section(LAYOUT).park_type("modern")
    assert "国家级开发区" in modern.built_on
    assert {c.code for c in modern.entry_conditions} == {
        "lead_share",
        "planned_area",
        "clear_entities",
        "eia_done",
    }
    assert all(c.reference for c in modern.entry_conditions)


def test_it_loads_16_illustrative_chains_and_13_future_tracks_mapped_to_real_classes() -> None:
    pack = load_pack(SHIPPED)
    assert len(pack.section(LAYOUT).key_chains) == 16
    assert all(chain.illustrative for chain in pack.section(LAYOUT).key_chains)
    assert tuple(chain.name for chain in pack.section(LAYOUT).future_tracks) == FUTURE_TRACKS
    known = load_industry_classes()
    for chain in pack.section(LAYOUT).chains:
        assert 3 <= len(chain.nodes) <= 6, chain.code
        assert {node.stage for node in chain.nodes} <= {"upstream", "midstream", "downstream"}
        assert chain.industry_classes <= known, chain.code
    optical = pack.section(LAYOUT).chain("optical_communication")
    assert {"C3832", "C3833", "C3976"} <= optical.industry_classes


def test_it_loads_the_five_advantage_industries() -> None:
    pack = load_pack(SHIPPED)
    assert [(a.name, a.target_scale_yi_yuan, a.target_year) for a in pack.section(LAYOUT).advantage_industries] == [
        ("光电子信息", 8500.0, 2027),
        ("大健康", 6600.0, 2027),
        ("汽车制造及服务", 4250.0, 2027),
        ("高端装备", 2500.0, 2027),
        ("北斗", 800.0, 2027),
    ]


def test_it_loads_18_tasks_in_five_groups_and_six_safeguards() -> None:
    pack = load_pack(SHIPPED)
    assert [t.number for t in pack.section(TARGETS).tasks] == list(range(1, 19))
    assert [s.number for s in pack.section(TARGETS).safeguards] == list(range(1, 7))
    assert [g.title for g in pack.section(TARGETS).task_groups] == [
        "优布局明定位，构建梯次体系",
        "筑生态壮产业，夯实发展根基",
        "建平台精管理，提升运营质效",
        "强功能提品质，增强保障能力",
        "聚资源促转化，激发创新活力",
    ]
    assert [sum(t.group == g.code for t in pack.section(TARGETS).tasks) for g in pack.section(TARGETS).task_groups] == [
        4,
        3,
        4,
        4,
        3,
    ]
    assert pack.section(TARGETS).task("task_01").title == "强化规划统筹"
    assert pack.section(TARGETS).task("task_01").lead_units == ("jxj", "zjj", "fgw")
    assert pack.section(TARGETS).task("task_08").lead_units == ("zzb", "bb", "rsj", "gzw")
    assert pack.section(TARGETS).task("task_13").lead_units == ("swj", "jxj", "zgj", "jtysj")
    assert pack.section(TARGETS).task("task_17").lead_units == ("rcj", "rsj", "jxj")
    assert pack.section(TARGETS).task("safeguard_1").lead_units == ("jxj", "lxhy")
    assert pack.section(TARGETS).task("safeguard_4").targets == (
        "award_cap_modern",
        "award_cap_featured",
        "award_cap_urban",
    )
    assert all(t.co_units == ("gqzf",) for t in (*pack.section(TARGETS).tasks, *pack.section(TARGETS).safeguards))
    assert pack.section(TARGETS).report_due_days == 10


def test_it_loads_every_target_of_the_policy() -> None:
    pack = load_pack(SHIPPED)
    loaded = {(t.indicator, t.comparison, t.value, t.scope) for t in pack.section(TARGETS).targets}
    assert loaded == DOMAIN_TARGETS
    assert all(t.baseline_year == 2024 and t.deadline == date(2027, 12, 31) for t in pack.section(TARGETS).targets)
    assert all(t.units and t.source for t in pack.section(TARGETS).targets)
    assert {t.code for t in pack.section(TARGETS).targets if t.kind == "constraint"} == {
        "award_cap_modern",
        "award_cap_featured",
        "award_cap_urban",
        "land_start_price_ratio",
    }


@pytest.mark.parametrize(
    ("met", "ratio", "status"),
    [
        (True, 0.1, "已达标"),
        (False, 0.95, "按进度"),
        (False, 0.9, "按进度"),
        (False, None, "按进度"),
        (False, 0.7, "滞后"),
        (False, 0.6, "滞后"),
        (False, 0.59, "严重滞后"),
        (False, -0.2, "严重滞后"),
    ],
)
def test_it_classifies_target_status_by_the_pack_rules(met: bool, ratio: float | None, status: str) -> None:
    assert load_pack(SHIPPED).section(TARGETS).status_rules.classify(met=met, ratio=ratio).name == status


def test_it_loads_the_casework_rules() -> None:
    casework = load_pack(SHIPPED).section(CASEWORK)
    limits = {c.name: c.time_limit_days for c in casework.categories}
    assert {k: limits[k] for k in ("咨询", "求助", "建议", "投诉", "举报", "复杂多部门事项")} == {
        "咨询": 2,
        "求助": 10,
        "建议": 10,
        "投诉": 15,
        "举报": 15,
        "复杂多部门事项": 25,
    }
    park_problems = {c.name: c.default_unit for c in casework.categories if c.kind == "park_problem"}
    assert {"能源供应", "人力资源", "规划调整", "审批验收", "融资", "用地"} <= set(park_problems)
    assert park_problems["人力资源"] == "rsj"
    assert [level.name for level in casework.satisfaction_levels] == [
        "非常满意",
        "满意",
        "基本满意",
        "不满意",
        "非常不满意",
    ]
    assert casework.follow_up.levels == ("dissatisfied", "very_dissatisfied")
    assert casework.follow_up.time_limit_days == 5
    land = next(c for c in casework.categories if c.code == "land")
    supply = next(q for q in land.questions if q.code == "supply_method")
    assert supply.type == "choice" and "先租后让" in supply.choices


def test_it_hashes_the_pack_reproducibly(pack_dir: Path) -> None:
    assert pack_hash(pack_dir) == pack_hash(SHIPPED) == load_pack(SHIPPED).content_hash
    edit(pack_dir, "pack.yaml", "version: 2025.1-draft", "version: 2025.2-draft")
    assert pack_hash(pack_dir) != pack_hash(SHIPPED)


def test_it_loads_an_english_name_for_every_target_task_and_category() -> None:
    pack = load_pack(SHIPPED)
    assert pack.section(TARGETS).target("park_count_modern").name_en == "Modern industrial parks established"
    assert pack.section(TARGETS).task("task_02").title_en == "Build modern industrial parks"
    assert pack.section(TARGETS).task_groups[0].title_en.startswith("Optimise the layout")
    named = [
        *(t.name_en for t in pack.section(TARGETS).targets),
        *(g.title_en for g in pack.section(TARGETS).task_groups),
        *(t.title_en for t in (*pack.section(TARGETS).tasks, *pack.section(TARGETS).safeguards)),
        *(c.name_en for c in pack.section(CASEWORK).categories),
    ]
    assert len(named) == 25 + 5 + 24 + len(pack.section(CASEWORK).categories)
    assert all(name and not any("\u3400" <= char <= "\u9fff" for char in name) for name in named), named


# ── broken packs ───────────────────────────────────────────────────────────────────────────

# (file, old, new, snippet marking the line of the problem, expected message). The YAML parser's own
# wording differs between libyaml and pure PyYAML, so that case checks only the Chinese prefix.
BROKEN = {
    "yaml_syntax": (
        "tasks.yaml",
        "    title: 强化规划统筹\n",
        "    title: [强化规划统筹\n",
        "    summary: 划定工业区块",
        "YAML 语法错误：",
    ),
    "missing_key": (
        "tasks.yaml",
        "    summary: 通过新建或连片改造民营、街镇和村级园区，"
        "围绕重点产业链和未来产业赛道打造“一园一产业”的专业化园区和主题园区。\n",
        "",
        "  - code: task_03",
        "重点任务“task_03”：缺少必填项“summary”",
    ),
    "unknown_key": (
        "tasks.yaml",
        "    title: 建设现代产业园\n",
        "    title: 建设现代产业园\n    owner: jxj\n",
        "    owner: jxj",
        "重点任务“task_02”：未知的项“owner”",
    ),
    "duplicate_yaml_key": (
        "park_types.yaml",
        "    name: 特色产业园\n",
        "    name: 特色产业园\n    name: 特色园\n",
        "    name: 特色园",
        "重复的键“name”（第39行已出现）",
    ),
    "duplicate_code": (
        "targets.yaml",
        "  - code: park_count_featured\n",
        "  - code: park_count_modern\n",
        ("  - code: park_count_modern", 2),
        "目标代码“park_count_modern”重复（第35行已定义）",
    ),
    "unknown_unit": (
        "tasks.yaml",
        "    lead_units: [jxj, zjj, fgw]\n",
        "    lead_units: [jxj, zjj, fgwx]\n",
        "    lead_units: [jxj, zjj, fgwx]",
        "未知的责任单位代码“fgwx”",
    ),
    "unknown_target_in_task": (
        "tasks.yaml",
        "    targets: [famous_parks_selected]\n",
        "    targets: [famous_parks]\n",
        "    targets: [famous_parks]",
        "未知的目标代码“famous_parks”",
    ),
    "unknown_chain": (
        "chains.yaml",
        "    chains: [beidou]\n",
        "    chains: [beidou_x]\n",
        "    chains: [beidou_x]",
        "未知的产业链代码“beidou_x”",
    ),
    "unknown_park_type": (
        "targets.yaml",
        "    scope: featured\n    baseline_year: 2024\n    deadline: 2027-12-31\n    units: [jxj, gqzf]\n"
        "    assess_by: lead_share_parks_above_featured\n",
        "    scope: specialty\n    baseline_year: 2024\n    deadline: 2027-12-31\n    units: [jxj, gqzf]\n"
        "    assess_by: lead_share_parks_above_featured\n",
        "    scope: specialty",
        "目标“lead_share_featured”：“scope”的范围“specialty”无效，应为 city 或园区类型代码：featured、modern、urban",
    ),
    "unknown_industry_class": (
        "chains.yaml",
        "        industry_classes: [C3832]\n",
        "        industry_classes: [C3838]\n",
        "        industry_classes: [C3838]",
        "产业链“optical_communication”的节点“fiber”：“C3838”不是 GB/T 4754-2017 的小类代码",
    ),
    "industry_group_not_class": (
        "chains.yaml",
        "        industry_classes: [C3832]\n",
        "        industry_classes: [C383]\n",
        "        industry_classes: [C383]",
        "产业链“optical_communication”的节点“fiber”：行业代码“C383”格式无效，应为门类字母加4位数字（如 C3976）",
    ),
    "class_twice_in_a_chain": (
        "chains.yaml",
        "        industry_classes: [C3832]\n",
        "        industry_classes: [C3833]\n",
        "        industry_classes: [C3833, C3831]",
        "产业链“optical_communication”的节点“cable”：行业小类“C3833”在本产业链中重复（第25行已归入其他节点）",
    ),
    "unknown_stage": (
        "chains.yaml",
        "        name: 光纤与光纤预制棒\n        stage: upstream\n",
        "        name: 光纤与光纤预制棒\n        stage: upper\n",
        "        stage: upper",
        "产业链“optical_communication”的节点“fiber”：“stage”的环节“upper”无效，应为：upstream、midstream、downstream",
    ),
    "text_instead_of_integer": (
        "casework.yaml",
        "    time_limit_days: 2\n",
        "    time_limit_days: 两天\n",
        "    time_limit_days: 两天",
        "诉求类别“consultation”：“time_limit_days”应为整数，实际为文本",
    ),
    "text_instead_of_boolean": (
        "chains.yaml",
        "    name: 光通信\n    kind: key_chain\n    illustrative: true\n",
        "    name: 光通信\n    kind: key_chain\n    illustrative: 是\n",
        "    illustrative: 是",
        "产业链“optical_communication”：“illustrative”应为布尔值（true 或 false），实际为文本",
    ),
    "text_instead_of_date": (
        "targets.yaml",
        "    deadline: 2027-12-31\n    units: [jxj, fgw, gqzf]\n    source: 建成在国内具有影响力的现代产业园",
        "    deadline: 2027年底\n    units: [jxj, fgw, gqzf]\n    source: 建成在国内具有影响力的现代产业园",
        "    deadline: 2027年底",
        "目标“park_count_modern”：“deadline”应为日期（YYYY-MM-DD），实际为文本",
    ),
    "number_as_text_code": (
        "pack.yaml",
        'region_code: "420100"\n',
        "region_code: 420100\n",
        "region_code: 420100",
        "“region_code”应为文本，实际为整数",
    ),
    "basemap_not_in_the_pack": (
        "pack.yaml",
        "basemap: districts.geojson\n",
        "basemap: wuhan.geojson\n",
        "basemap: wuhan.geojson",
        "“basemap”：政策包目录中没有文件“wuhan.geojson”",
    ),
    "districts_outside_the_pack": (
        "pack.yaml",
        "districts: districts.csv\n",
        "districts: ../districts.csv\n",
        "districts: ../districts.csv",
        "“districts”：政策包目录中没有文件“../districts.csv”",
    ),
    "platform_en_in_chinese": (
        "pack.yaml",
        "platform_en: Wuhan Industrial Parks Big Data Platform\n",
        "platform_en: 武汉平台\n",
        "platform_en: 武汉平台",
        "“platform_en”（英文名称）不应含汉字，实际为“武汉平台”",
    ),
    "zero_time_limit": (
        "casework.yaml",
        "    time_limit_days: 2\n",
        "    time_limit_days: 0\n",
        "    time_limit_days: 0",
        "诉求类别“consultation”：“time_limit_days”应不小于1，实际为0",
    ),
    "negative_follow_up_limit": (
        "casework.yaml",
        "  time_limit_days: 5\n",
        "  time_limit_days: -5\n",
        "  time_limit_days: -5",
        "差评回访规则：“time_limit_days”应不小于1，实际为-5",
    ),
    "percent_over_100": (
        "targets.yaml",
        "    value: 85\n",
        "    value: 850\n",
        "    value: 850",
        "目标“digital_transformation_share”：“value”为百分数，不应超过100，实际为850",
    ),
    "unknown_comparison": (
        "targets.yaml",
        "    comparison: gt\n    value: 5\n",
        "    comparison: more\n    value: 5\n",
        "    comparison: more",
        "目标“parks_revenue_ge_1000yi”：“comparison”的比较方式“more”无效，应为：gt、ge、le、growth_ge",
    ),
    "bad_code_format": (
        "units.yaml",
        "  - code: tjj\n",
        "  - code: TJJ\n",
        "  - code: TJJ",
        "责任单位“TJJ”：“code”的代码“TJJ”格式无效：只能用小写字母、数字和下划线，并以字母开头",
    ),
    "unknown_group_member": (
        "units.yaml",
        "    members: [fgw, zjj, kcj,",
        "    members: [fgw, zjjx, kcj,",
        "    members: [fgw, zjjx, kcj,",
        "责任单位“lxhy”：未知的成员单位代码“zjjx”",
    ),
    "unknown_default_unit": (
        "casework.yaml",
        "    default_unit: rsj\n",
        "    default_unit: rlzy\n",
        "    default_unit: rlzy",
        "诉求类别“human_resources”：“default_unit”为未知的责任单位代码“rlzy”",
    ),
    "choice_without_choices": (
        "casework.yaml",
        "        type: choice\n        choices: [政策咨询, 办事流程, 园区入驻, 惠企政策兑现, 其他]\n",
        "        type: choice\n",
        "        type: choice",
        "诉求类别“consultation”的问题“topic”：“type”为 choice 时必须给出 choices（至少两个选项）",
    ),
    "four_satisfaction_levels": (
        "casework.yaml",
        "  - code: basically_satisfied\n    name: 基本满意\n    score: 3\n    counts_as_satisfied: true\n",
        "",
        "satisfaction_levels:",
        "“satisfaction_levels”应有5个等级（非常满意……非常不满意），实际为4个",
    ),
    "status_thresholds_out_of_order": (
        "targets.yaml",
        "      threshold: 0.6\n",
        "      threshold: 0.95\n",
        "      threshold: 0.95",
        "进度状态“lagging”：“threshold”应小于上一条规则的阈值0.9（规则自上而下由严到宽）",
    ),
    "task_numbering_gap": (
        "tasks.yaml",
        "    number: 7\n",
        "    number: 8\n",
        "    number: 8",
        "重点任务编号应为7（按顺序从1连续编号），实际为8",
    ),
    "task_group_unknown": (
        "tasks.yaml",
        "    number: 18\n    group: innovation\n",
        "    number: 18\n    group: finance\n",
        "    group: finance",
        "重点任务“task_18”：“group”的分组“finance”未在 groups 中定义",
    ),
    "park_type_disagrees_with_targets": (
        "park_types.yaml",
        "    target_count: 20\n",
        "    target_count: 21\n",
        "    target_count: 21",
        "园区类型“modern”的 target_count（ge 21）与 targets.yaml 中目标“park_count_modern”（ge 20）不一致",
    ),
    "report_due_days_too_long": (
        "tasks.yaml",
        "  due_days: 10\n",
        "  due_days: 120\n",
        "  due_days: 120",
        "进度报送规则：“due_days”应不大于90（一个季度内），实际为120",
    ),
    "report_due_days_negative": (
        "tasks.yaml",
        "  due_days: 10\n",
        "  due_days: -1\n",
        "  due_days: -1",
        "进度报送规则：“due_days”应不小于0，实际为-1",
    ),
    "han_in_target_english_name": (
        "targets.yaml",
        "    name_en: Modern industrial parks established\n",
        "    name_en: Modern 产业园 established\n",
        "    name_en: Modern 产业园 established",
        "目标“park_count_modern”：“name_en”（英文名称）不应含汉字，实际为“Modern 产业园 established”",
    ),
    "han_in_task_group_english_title": (
        "tasks.yaml",
        "    title_en: Optimise the layout and positioning to build a tiered park system\n",
        "    title_en: 优布局 and positioning\n",
        "    title_en: 优布局 and positioning",
        "任务分组“layout”：“title_en”（英文名称）不应含汉字，实际为“优布局 and positioning”",
    ),
    "han_in_task_english_title": (
        "tasks.yaml",
        "    title_en: Build modern industrial parks\n",
        "    title_en: 建设现代产业园\n",
        "    title_en: 建设现代产业园",
        "重点任务“task_02”：“title_en”（英文名称）不应含汉字，实际为“建设现代产业园”",
    ),
    "han_in_safeguard_english_title": (
        "tasks.yaml",
        "    title_en: Increase fiscal support\n",
        "    title_en: Increase 财政 support\n",
        "    title_en: Increase 财政 support",
        "保障措施“safeguard_4”：“title_en”（英文名称）不应含汉字，实际为“Increase 财政 support”",
    ),
    "han_in_category_english_name": (
        "casework.yaml",
        "    name_en: Financing\n",
        "    name_en: 融资 (financing)\n",
        "    name_en: 融资 (financing)",
        "诉求类别“financing”：“name_en”（英文名称）不应含汉字，实际为“融资 (financing)”",
    ),
    "empty_english_name": (
        "casework.yaml",
        "    name_en: Consultation\n",
        '    name_en: ""\n',
        '    name_en: ""',
        "诉求类别“consultation”：“name_en”不能为空",
    ),
    "english_name_not_a_text": (
        "tasks.yaml",
        "    title_en: Raise park construction standards\n",
        "    title_en: [Raise, standards]\n",
        "    title_en: [Raise, standards]",
        "重点任务“task_12”：“title_en”应为文本，实际为列表",
    ),
    "top_level_not_a_mapping": (
        "units.yaml",
        "units:\n",
        "- units:\n",
        "- units:",
        "文件顶层应为映射（键: 值），实际为列表",
    ),
}


@pytest.mark.parametrize(("file", "old", "new", "marker", "message"), BROKEN.values(), ids=BROKEN.keys())
def test_it_refuses_a_broken_pack(
    pack_dir: Path, file: str, old: str, new: str, marker: str | tuple[str, int], message: str
) -> None:
    edit(pack_dir, file, old, new)
    line = line_of(pack_dir, file, marker)
    problems = check_pack(pack_dir)
    assert any((p.file, p.line) == (file, line) and p.message.startswith(message) for p in problems), "\n".join(
        map(str, problems)
    )
    if not message.endswith("："):
        assert PackProblem(file, line, message) in problems
    with pytest.raises(PolicyPackError) as refused:
        load_pack(pack_dir)
    assert f"{file}:{line}: {message}" in str(refused.value)


def test_it_refuses_a_pack_with_a_missing_file(pack_dir: Path) -> None:
    (pack_dir / "casework.yaml").unlink()
    assert check_pack(pack_dir) == [PackProblem("casework.yaml", 0, "缺少文件")]


def test_it_lists_every_problem_not_just_the_first(pack_dir: Path) -> None:
    edit(pack_dir, "casework.yaml", "    time_limit_days: 2\n", "    time_limit_days: 0\n")
    edit(pack_dir, "tasks.yaml", "    lead_units: [jxj, zjj, fgw]\n", "    lead_units: [jxj, zjj, fgwx]\n")
    edit(pack_dir, "chains.yaml", "        industry_classes: [C3832]\n", "        industry_classes: [C3838]\n")
    with pytest.raises(PolicyPackError) as refused:
        load_pack(pack_dir)
    problems = refused.value.problems
    # In pack file order (pack.yaml, then each section's files, sections in the installed apps' order):
    # chains (registry), casework, tasks (targets).
    assert [(p.file, p.line) for p in problems] == [
        ("chains.yaml", line_of(pack_dir, "chains.yaml", "[C3838]")),
        ("casework.yaml", line_of(pack_dir, "casework.yaml", "time_limit_days: 0")),
        ("tasks.yaml", line_of(pack_dir, "tasks.yaml", "fgwx")),
    ]
    assert "共 3 个问题" in str(refused.value)


def test_it_does_not_report_references_into_a_file_it_could_not_read(pack_dir: Path) -> None:
    edit(pack_dir, "units.yaml", "  - code: jxj\n", "  - code: jxj\n   bad indent: [\n")
    problems = check_pack(pack_dir)
    assert [p.file for p in problems] == ["units.yaml"]
    assert problems[0].message.startswith("YAML 语法错误")


def test_it_checks_classes_against_the_set_it_is_given(pack_dir: Path) -> None:
    known = load_industry_classes() - {"C3832"}
    problems = check_pack(pack_dir, industry_classes=known)
    assert problems == [
        PackProblem(
            "chains.yaml",
            line_of(pack_dir, "chains.yaml", "[C3832]"),
            "产业链“optical_communication”的节点“fiber”：“C3832”不是 GB/T 4754-2017 的小类代码",
        )
    ]


def test_it_reads_line_numbers_the_same_without_libyaml(pack_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(pack_dir, "tasks.yaml", "    lead_units: [jxj, zjj, fgw]\n", "    lead_units: [jxj, zjj, fgwx]\n")
    with_libyaml = check_pack(pack_dir)
    monkeypatch.setattr(yaml, "__with_libyaml__", False)
    assert check_pack(pack_dir) == with_libyaml
    assert check_pack(SHIPPED) == []


# ── the indicator catalogue (indicators.yaml) ─────────────────────────────────────────────

# The indicators issue 4 asks for, park level and city level.
PARK_INDICATORS = {
    "revenue",
    "output",
    "value_added",
    "tax",
    "lead_industry_share",
    "rd_intensity",
    "producer_services_share",
    "high_tech_manufacturing_va_share",
    "above_scale_enterprises",
    "new_above_scale_enterprises",
    "high_tech_enterprises",
    "specialized_sme_provincial_plus",
    "national_green_factories",
    "tax_per_mu",
    "value_added_per_mu",
    "value_added_per_energy",
    "labour_productivity",
    "digital_transformation_share",
    "new_project_investment_per_mu",
}
CITY_INDICATORS = {
    "parks_revenue_ge_1000yi",
    "parks_revenue_ge_100yi",
    "park_count_modern",
    "park_count_featured",
    "park_count_urban",
    "industrial_land_area",
    "park_industrial_land_share",
    "smart_platform_coverage",
}


def test_it_loads_the_indicator_catalogue_with_every_indicator_the_issue_names() -> None:
    pack = load_pack(SHIPPED)
    codes = {indicator.code for indicator in pack.section(INDICATORS).indicators}
    assert codes >= PARK_INDICATORS | CITY_INDICATORS
    assert all(pack.section(INDICATORS).indicator(code).level in ("enterprise", "park") for code in PARK_INDICATORS)
    assert all(pack.section(INDICATORS).indicator(code).level == "city" for code in CITY_INDICATORS)
    assert all(
        indicator.name and indicator.name_en and indicator.standard for indicator in pack.section(INDICATORS).indicators
    )


def test_it_links_every_target_to_an_indicator_of_the_catalogue() -> None:
    pack = load_pack(SHIPPED)
    codes = {indicator.code for indicator in pack.section(INDICATORS).indicators}
    assert {target.indicator for target in pack.section(TARGETS).targets} <= codes


def test_it_reads_the_statistical_definitions_into_filters() -> None:
    pack = load_pack(SHIPPED)
    share = pack.section(INDICATORS).indicator("high_tech_manufacturing_va_share")
    high_tech, total = share.terms
    assert (high_tech.source, high_tech.aggregate, high_tech.measure) == ("monthly", "sum", "value_added")
    assert total.where.high_tech is None and [label.kind for label in total.where.labels] == ["above_scale"]
    assert high_tech.where.high_tech is True
    assert high_tech.where.industry_prefixes == ("C",)
    assert [label.kind for label in high_tech.where.labels] == ["above_scale"]
    assert share.coverage == "parks"  # 园区口径; the city-wide figure is a separate indicator beside it
    assert pack.section(INDICATORS).indicator("high_tech_manufacturing_va_share_city").coverage == "city"
    new = pack.section(INDICATORS).indicator("new_above_scale_enterprises").terms[0].where.labels[0]
    assert (new.kind, new.new_since) == ("above_scale", date(2025, 1, 1))
    srdi = pack.section(INDICATORS).indicator("specialized_sme_provincial_plus").terms[0].where.labels[0]
    assert srdi.levels == ("provincial", "national")
    lead = pack.section(INDICATORS).indicator("lead_industry_share").terms[0]
    assert lead.where.lead_chains is True


def test_it_converts_a_threshold_into_the_unit_of_the_indicator_it_reads() -> None:
    pack = load_pack(SHIPPED)
    (term,) = pack.section(INDICATORS).indicator("parks_revenue_ge_1000yi").terms
    (condition,) = term.where.values
    # 1000 亿元 against revenue in 万元
    assert (condition.field, condition.op, condition.value) == ("value", "ge", Decimal(10_000_000))
    assert term.indicator == "revenue"


def test_it_shares_one_key_between_identical_terms_of_different_indicators() -> None:
    pack = load_pack(SHIPPED)
    revenue = pack.section(INDICATORS).indicator("revenue").terms[0].key
    assert pack.section(INDICATORS).indicator("rd_intensity").terms[1].key == revenue
    assert pack.section(INDICATORS).indicator("lead_industry_share").terms[1].key == revenue
    assert pack.section(INDICATORS).indicator("lead_industry_share").terms[0].key != revenue


@pytest.mark.parametrize(
    ("code", "terms", "expected"),
    [
        ("lead_industry_share", {"lead": Decimal(3), "total": Decimal(4)}, Decimal(75)),
        ("industrial_land_area", {"land": Decimal(3000)}, Decimal(2)),  # 亩 → 平方公里
        ("tax_per_mu", {"tax": Decimal(600), "land": Decimal(20)}, Decimal(30)),
        ("rd_intensity", {"rd": Decimal(0), "revenue": Decimal(0)}, None),  # nothing to divide
    ],
)
def test_it_evaluates_a_formula_in_the_indicator_unit(
    code: str, terms: dict[str, Decimal], expected: Decimal | None
) -> None:
    assert load_pack(SHIPPED).section(INDICATORS).indicator(code).evaluate(terms) == expected


def test_it_reads_units_as_dimensions() -> None:
    assert parse_unit("亿元") == Dimension((("money", 1),), Decimal(10000))
    assert parse_unit("万元/亩") == Dimension((("area", -1), ("money", 1)), Decimal(1))
    assert parse_unit("平方公里").scale == Decimal(1500)  # type: ignore[union-attr]
    assert parse_unit("%") == Dimension((), Decimal("0.01"))
    assert parse_unit("公顷") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a +", "公式语法错误"),
        ("a ** 2", "不支持的写法“a ** 2”"),
        ("max(a, b)", "不支持的写法“max(a, b)”"),
    ],
)
def test_it_refuses_a_formula_it_cannot_read(text: str, message: str) -> None:
    with pytest.raises(FormulaError, match=message.replace("(", r"\(").replace(")", r"\)").replace("*", r"\*")):
        Formula.parse(text)


BROKEN_INDICATORS = {
    "unknown_measure": (
        "indicators.yaml",
        "      rd: {source: annual, sum: rd_expense}\n",
        "      rd: {source: annual, sum: rd_spend}\n",
        "      rd: {source: annual, sum: rd_spend}",
        "指标“rd_intensity”的项“rd”：“sum”为未知的度量“rd_spend”（数据源 annual 可用：",
    ),
    "smart_platform_flag_as_a_park_condition": (
        "indicators.yaml",
        "        where: {park: {types: [modern, featured]}, values: {smart_subsystems: {ge: 1}}}\n",
        "        where: {park: {types: [modern, featured], smart_platform: true}}\n",
        "smart_platform: true",
        "指标“smart_platform_coverage”的项“smart”的筛选条件的园区条件：“smart_platform”" + ERR_SMART_PLATFORM_FLAG,
    ),
    "bad_formula": (
        "indicators.yaml",
        "    formula: rd / revenue\n",
        "    formula: rd // revenue\n",
        "    formula: rd // revenue",
        "指标“rd_intensity”：“formula”“rd // revenue”无法解析：不支持的写法“rd // revenue”",
    ),
    "formula_names_an_unknown_term": (
        "indicators.yaml",
        "    formula: rd / revenue\n",
        "    formula: rd / sales\n",
        "    formula: rd / sales",
        "指标“rd_intensity”：“formula”中的“sales”不是本指标 terms 中定义的项",
    ),
    "duplicate_code": (
        "indicators.yaml",
        "  - code: output\n",
        "  - code: revenue\n",
        ("  - code: revenue", 2),
        "指标代码“revenue”重复（第40行已定义）",
    ),
    "unit_mismatch": (
        "indicators.yaml",
        "    formula: tax / land\n",
        "    formula: tax / land * land\n",
        ("    unit: 万元/亩", 1),
        "指标“tax_per_mu”：“unit”“万元/亩”与公式“tax / land * land”的单位（万元）不一致",
    ),
    "sum_of_unlike_quantities": (
        "indicators.yaml",
        "    formula: rd / revenue\n",
        "    formula: rd / revenue + revenue\n",
        "    formula: rd / revenue + revenue",
        "指标“rd_intensity”：“formula”“rd / revenue + revenue”单位不一致：相加减的两项单位不一致：无量纲 与 万元",
    ),
    "unknown_unit": (
        "indicators.yaml",
        "    unit: 平方公里\n    level: city\n",
        "    unit: 公顷\n    level: city\n",
        "    unit: 公顷",
        "指标“industrial_land_area”：“unit”为无法识别的单位“公顷”",
    ),
    "unknown_label_kind": (
        "indicators.yaml",
        "where: {labels: [{kind: high_tech}]}}\n    standard: 《高新技术企业认定管理办法》",
        "where: {labels: [{kind: hightech}]}}\n    standard: 《高新技术企业认定管理办法》",
        "{kind: hightech}",
        "指标“high_tech_enterprises”的项“firms”的筛选条件的称号条件：“kind”的称号“hightech”无效",
    ),
    "unknown_class_set": (
        "indicators.yaml",
        "industry: {class_set: producer_services}",
        "industry: {class_set: services}",
        "industry: {class_set: services}",
        "指标“producer_services_share”的项“services”的筛选条件的行业条件：“class_set”为未定义的行业集合“services”",
    ),
    "prefix_of_no_class": (
        "indicators.yaml",
        "    prefixes: [C]\n",
        "    prefixes: [C99]\n",
        "    prefixes: [C99]",
        "行业集合“manufacturing”：“C99”不是 GB/T 4754-2017 中任何行业的代码前缀",
    ),
    "label_filter_on_land": (
        "indicators.yaml",
        "where: {land_uses: [M1, M2, M3, M0], in_park: true}}",
        "where: {land_uses: [M1, M2, M3, M0], in_park: true, labels: [{kind: high_tech}]}}",
        "in_park: true, labels:",
        "指标“park_industrial_land_share”的项“inside”的筛选条件：“labels”只适用于企业类数据源",
    ),
    "unknown_dependency": (
        "indicators.yaml",
        "indicator: revenue, count: parks, where: {values: {value: {ge: 1000, unit: 亿元}}}",
        "indicator: sales, count: parks, where: {values: {value: {ge: 1000, unit: 亿元}}}",
        "indicator: sales",
        "指标“parks_revenue_ge_1000yi”：项“parks”引用了未知的指标代码“sales”",
    ),
    "threshold_in_wrong_unit": (
        "indicators.yaml",
        "indicator: revenue, count: parks, where: {values: {value: {ge: 1000, unit: 亿元}}}",
        "indicator: revenue, count: parks, where: {values: {value: {ge: 1000, unit: 亩}}}",
        "{ge: 1000, unit: 亩}",
        "指标“parks_revenue_ge_1000yi”的项“parks”的筛选条件的“value”的条件：单位“亩”与“value”的单位“万元”不一致",
    ),
    "target_names_unknown_indicator": (
        "targets.yaml",
        "    indicator: industrial_land_area\n",
        "    indicator: industrial_land\n",
        "    indicator: industrial_land",
        "目标“industrial_land_total”：未知的指标代码“industrial_land”（应在 indicators.yaml 中定义）",
    ),
    "target_unit_differs_from_indicator": (
        "targets.yaml",
        "    value: 380\n    unit: 平方公里\n",
        "    value: 380\n    unit: 亩\n",
        "    unit: 亩",
        "目标“industrial_land_total”：单位“亩”与指标“industrial_land_area”的单位“平方公里”不一致",
    ),
    "complete_share_above_one": (
        "indicators.yaml",
        "  complete_share: 0.9\n",
        "  complete_share: 1.5\n",
        "  complete_share: 1.5",
        "报送完整性规则：“complete_share”应大于0且不大于1（如 0.9 表示90%），实际为1.5",
    ),
    "complete_share_zero": (
        "indicators.yaml",
        "  complete_share: 0.9\n",
        "  complete_share: 0\n",
        "  complete_share: 0",
        "报送完整性规则：“complete_share”应大于0且不大于1（如 0.9 表示90%），实际为0",
    ),
    "report_rate_unknown": (
        "indicators.yaml",
        "  indicator: monthly_report_rate\n",
        "  indicator: report_rate\n",
        "  indicator: report_rate",
        "报送完整性规则：“indicator”“report_rate”不是 indicators 中定义的指标",
    ),
    "report_rate_not_a_monthly_rate": (
        "indicators.yaml",
        "  indicator: monthly_report_rate\n",
        "  indicator: revenue\n",
        "  indicator: revenue",
        "报送完整性规则：“indicator”“revenue”应为单位 % 且读取月度报表（monthly）的报送率指标",
    ),
}


def test_it_reads_when_a_month_is_reported_in_full() -> None:
    reporting = load_pack(SHIPPED).section(INDICATORS).reporting
    assert (reporting.indicator, reporting.complete_share) == ("monthly_report_rate", 0.9)
    rate = load_pack(SHIPPED).section(INDICATORS).indicator("monthly_report_rate")
    assert rate.evaluate({"reported": Decimal(2), "expected": Decimal(40)}) == Decimal(5)  # per cent


def test_a_pack_without_a_reporting_rule_treats_every_month_as_complete(pack_dir: Path) -> None:
    edit(
        pack_dir,
        "indicators.yaml",
        "reporting:\n  indicator: monthly_report_rate\n  complete_share: 0.9\n",
        "",
    )
    reporting = load_pack(pack_dir).section(INDICATORS).reporting
    assert (reporting.indicator, reporting.complete_share) == (None, 0.9)


@pytest.mark.parametrize(
    ("file", "old", "new", "marker", "message"), BROKEN_INDICATORS.values(), ids=BROKEN_INDICATORS.keys()
)
def test_it_refuses_a_broken_indicator_catalogue(
    pack_dir: Path, file: str, old: str, new: str, marker: str | tuple[str, int], message: str
) -> None:
    edit(pack_dir, file, old, new)
    line = line_of(pack_dir, file, marker)
    problems = check_pack(pack_dir)
    assert any((p.file, p.line) == (file, line) and p.message.startswith(message) for p in problems), "\n".join(
        map(str, problems)
    )
    with pytest.raises(PolicyPackError) as refused:
        load_pack(pack_dir)
    assert f"{file}:{line}: {message}" in str(refused.value)


def test_it_refuses_indicators_that_depend_on_each_other_in_a_circle(pack_dir: Path) -> None:
    edit(
        pack_dir,
        "indicators.yaml",
        "      revenue: {source: annual, sum: revenue}\n    standard: 国家统计局《工业统计报表制度》营业收入",
        "      revenue: {source: indicator, indicator: parks_revenue_ge_100yi, count: parks}\n"
        "    standard: 国家统计局《工业统计报表制度》营业收入",
    )
    messages = [p.message for p in check_pack(pack_dir)]
    assert any(m.startswith("指标之间循环引用：") for m in messages), messages


def test_it_refuses_a_term_the_formula_does_not_use(pack_dir: Path) -> None:
    edit(pack_dir, "indicators.yaml", "    formula: rd / revenue\n", "    formula: rd\n")
    line = line_of(pack_dir, "indicators.yaml", ("      revenue: {source: annual, sum: revenue}", 2))
    assert PackProblem("indicators.yaml", line, "指标“rd_intensity”：项“revenue”未在公式中使用") in check_pack(pack_dir)
