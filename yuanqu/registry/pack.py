"""The registry's section of the policy pack (布局体系): responsible units (units.yaml), park types
(park_types.yaml) and industry chains with the advantage industries and the lead-chain limit
(chains.yaml), read through the pack's one reader (`yuanqu.core.pack`).

Who calls this: `registry.services.policy_pack_apply` (units and chains into the database), the
target, casework and evaluation sections (which check their references against these codes), and
pages that name units, park types and chains (`installed_pack().section(LAYOUT)`). Pure Python."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from yuanqu.core.pack import Obj, Ref, Section, SectionContext, by_code, check_refs, check_unique, choice, register

UNITS_FILE = "units.yaml"
PARK_TYPES_FILE = "park_types.yaml"
CHAINS_FILE = "chains.yaml"

UNIT_KINDS = ("bureau", "district_government", "zone_committee", "group")
# Kinds of rows in the pack's districts table (pack.yaml `districts`) that a generic unit expands to.
EXPANSION_KINDS = ("district", "development_zone")
CHAIN_KINDS = ("key_chain", "future_track")
STAGES = ("upstream", "midstream", "downstream")
COMPARISONS = ("gt", "ge", "le", "growth_ge")

_CLASS_RE = re.compile(r"[A-T]\d{4}\Z")


@dataclass(frozen=True, slots=True)
class Unit:
    """A responsible unit (责任单位). Generic units (各区人民政府, a group of units) are expanded by the
    platform: `expands_to` names kinds of rows in the districts table, `members` names other units."""

    code: str
    name: str
    kind: str
    full_name: str | None
    aliases: tuple[str, ...]
    members: tuple[str, ...]
    expands_to: tuple[str, ...]
    note: str | None

    @property
    def is_generic(self) -> bool:
        return bool(self.members or self.expands_to)


@dataclass(frozen=True, slots=True)
class EntryCondition:
    """A condition a park must meet to be recognised as its type; `reference` marks a condition taken
    from a secondary source that must be verified."""

    code: str
    text: str
    indicator: str | None
    comparison: str | None
    value: float | None
    unit: str | None
    reference: bool
    source: str | None


@dataclass(frozen=True, slots=True)
class ParkType:
    code: str
    name: str
    target_count: int
    lead_share_comparison: str
    lead_share_target: float  # percent
    award_cap_wan_yuan: int
    positioning: str
    built_on: str
    description: str
    entry_conditions: tuple[EntryCondition, ...]
    name_en: str = ""  # optional English name, shown on English pages


@dataclass(frozen=True, slots=True)
class ChainNode:
    code: str
    name: str
    stage: str
    industry_classes: tuple[str, ...]  # GB/T 4754-2017 小类, e.g. "C3976"


@dataclass(frozen=True, slots=True)
class Chain:
    code: str
    name: str
    kind: str
    illustrative: bool
    nodes: tuple[ChainNode, ...]

    @property
    def industry_classes(self) -> frozenset[str]:
        return frozenset(code for node in self.nodes for code in node.industry_classes)


@dataclass(frozen=True, slots=True)
class AdvantageIndustry:
    code: str
    name: str
    target_scale_yi_yuan: float
    target_year: int
    chains: tuple[str, ...]


@dataclass(frozen=True)
class Layout:
    """The section's value. `unit_codes` and `type_codes` are None when their file could not be read,
    so that other sections do not second-guess references into it."""

    units: tuple[Unit, ...]
    park_types: tuple[ParkType, ...]
    chains: tuple[Chain, ...]
    chain_notes: tuple[str, ...]
    advantage_industries: tuple[AdvantageIndustry, ...]
    # The most lead chains (主导产业链) one park may have (chains.yaml: lead_chain_limit).
    lead_chain_limit: int
    unit_codes: frozenset[str] | None = None
    type_codes: frozenset[str] | None = None
    # The line of each key of each park type (for the check against targets.yaml).
    park_type_lines: dict[str, dict[str, int]] = field(default_factory=dict, repr=False)

    def unit(self, code: str) -> Unit:
        return by_code(self.units, code)

    def park_type(self, code: str) -> ParkType:
        return by_code(self.park_types, code)

    def chain(self, code: str) -> Chain:
        return by_code(self.chains, code)

    @property
    def key_chains(self) -> tuple[Chain, ...]:
        return tuple(chain for chain in self.chains if chain.kind == "key_chain")

    @property
    def future_tracks(self) -> tuple[Chain, ...]:
        return tuple(chain for chain in self.chains if chain.kind == "future_track")


def _read_units(top: Obj | None) -> tuple[Unit, ...]:
    if top is None:
        return ()
    src = top.src
    units: list[Unit] = []
    name_refs: list[Ref] = []
    alias_refs: list[Ref] = []
    member_refs: list[tuple[Obj, Ref]] = []
    required = ("code", "name", "kind")
    for obj in top.items("units", "责任单位", required, ("full_name", "aliases", "members", "expands_to", "note")):
        kind = choice(obj, "kind", UNIT_KINDS, "类型")
        aliases = obj.refs("aliases", codes=False)
        members = obj.refs("members")
        expands_to = obj.refs("expands_to")
        for ref in expands_to:
            if ref.value not in EXPANSION_KINDS:
                src.add(ref.line, f"{obj.prefix}展开类型“{ref.value}”无效，应为：{'、'.join(EXPANSION_KINDS)}")
        if kind == "group" and not members:
            obj.error("members" if "members" in obj.data else "kind", "：类型为 group 的单位必须列出成员单位 members")
        if kind != "group" and "members" in obj.data:
            obj.error("members", "只能用于类型为 group 的单位")
        if expands_to and kind not in ("district_government", "zone_committee"):
            obj.error("expands_to", "只能用于区人民政府或开发区管委会")
        unit = Unit(
            code=obj.code(),
            name=obj.text("name"),
            kind=kind,
            full_name=obj.opt_text("full_name"),
            aliases=tuple(ref.value for ref in aliases),
            members=tuple(ref.value for ref in members),
            expands_to=tuple(ref.value for ref in expands_to),
            note=obj.opt_text("note"),
        )
        units.append(unit)
        name_refs.append(Ref(unit.name, obj.line("name")))
        alias_refs.extend(aliases)
        member_refs.extend((obj, ref) for ref in members)
    check_unique(src, "责任单位名称", name_refs)
    check_unique(src, "责任单位简称", alias_refs)
    kinds = {unit.code: unit.kind for unit in units}
    for obj, ref in member_refs:
        if ref.value not in kinds:
            src.add(ref.line, f"{obj.prefix}未知的成员单位代码“{ref.value}”")
        elif kinds[ref.value] == "group":
            src.add(ref.line, f"{obj.prefix}成员“{ref.value}”本身是单位集合，不能嵌套")
    return tuple(units)


PARK_TYPE_KEYS = (
    "code",
    "name",
    "target_count",
    "lead_share_comparison",
    "lead_share_target",
    "award_cap_wan_yuan",
    "positioning",
    "built_on",
    "description",
    "entry_conditions",
)


def _read_entry_conditions(obj: Obj) -> tuple[EntryCondition, ...]:
    conditions: list[EntryCondition] = []
    optional = ("indicator", "comparison", "value", "unit", "source")
    for cond in obj.items("entry_conditions", f"{obj.label}的准入条件", ("code", "text", "reference"), optional):
        comparison = cond.opt_text("comparison")
        if comparison is not None and comparison not in COMPARISONS:
            cond.error("comparison", f"的比较方式“{comparison}”无效，应为：{'、'.join(COMPARISONS)}")
        if ("comparison" in cond.data) != ("value" in cond.data):
            cond.error("value" if "comparison" in cond.data else "comparison", "缺失：comparison 与 value 须同时给出")
        conditions.append(
            EntryCondition(
                code=cond.code(),
                text=cond.text("text"),
                indicator=cond.opt_text("indicator"),
                comparison=comparison,
                value=cond.opt_number("value"),
                unit=cond.opt_text("unit"),
                reference=cond.boolean("reference"),
                source=cond.opt_text("source"),
            )
        )
    return tuple(conditions)


def _read_park_types(top: Obj | None) -> tuple[tuple[ParkType, ...], dict[str, dict[str, int]]]:
    """The park types, and the line of each key of each type (for the check against targets.yaml)."""
    if top is None:
        return (), {}
    result: list[ParkType] = []
    key_lines: dict[str, dict[str, int]] = {}
    for obj in top.items("park_types", "园区类型", PARK_TYPE_KEYS, ("name_en",)):
        share = obj.number("lead_share_target")
        if "lead_share_target" in obj.data and not 0 < share <= 100:
            obj.error("lead_share_target", f"应为0到100之间的百分数，实际为{share:g}")
        conditions = _read_entry_conditions(obj)
        key_lines.setdefault(obj.code(), obj.data.key_lines)
        result.append(
            ParkType(
                code=obj.code(),
                name=obj.text("name"),
                target_count=obj.integer("target_count", minimum=1),
                lead_share_comparison=choice(obj, "lead_share_comparison", ("gt", "ge"), "比较方式"),
                lead_share_target=share,
                award_cap_wan_yuan=obj.integer("award_cap_wan_yuan", minimum=1),
                positioning=obj.text("positioning"),
                built_on=obj.text("built_on"),
                description=obj.text("description"),
                entry_conditions=conditions,
                name_en=obj.english("name_en"),
            )
        )
    return tuple(result), key_lines


def _read_node_classes(node: Obj, industry_classes: Collection[str], class_lines: dict[str, int]) -> tuple[str, ...]:
    """A chain node's GB/T 4754 小类; `class_lines` holds the classes of the chain's earlier nodes."""
    classes = node.refs("industry_classes", codes=False)
    if node.empty_list("industry_classes"):
        node.error("industry_classes", "至少应有一个行业小类")
    for ref in classes:
        if not _CLASS_RE.match(ref.value):
            node.src.add(ref.line, f"{node.prefix}行业代码“{ref.value}”格式无效，应为门类字母加4位数字（如 C3976）")
        elif ref.value not in industry_classes:
            node.src.add(ref.line, f"{node.prefix}“{ref.value}”不是 GB/T 4754-2017 的小类代码")
        elif ref.value in class_lines:
            node.src.add(
                ref.line,
                f"{node.prefix}行业小类“{ref.value}”在本产业链中重复（第{class_lines[ref.value]}行已归入其他节点）",
            )
        else:
            class_lines[ref.value] = ref.line
    return tuple(ref.value for ref in classes)


def _read_chain(obj: Obj, industry_classes: Collection[str]) -> Chain:
    nodes: list[ChainNode] = []
    class_lines: dict[str, int] = {}
    for node in obj.items("nodes", f"{obj.label}的节点", ("code", "name", "stage", "industry_classes")):
        classes = _read_node_classes(node, industry_classes, class_lines)
        nodes.append(ChainNode(node.code(), node.text("name"), choice(node, "stage", STAGES, "环节"), classes))
    if obj.empty_list("nodes"):
        obj.error("nodes", "至少应有一个节点")
    return Chain(
        code=obj.code(),
        name=obj.text("name"),
        kind=choice(obj, "kind", CHAIN_KINDS, "类型"),
        illustrative=obj.boolean("illustrative"),
        nodes=tuple(nodes),
    )


def _read_chains(
    top: Obj | None, industry_classes: Collection[str]
) -> tuple[tuple[Chain, ...], tuple[str, ...], tuple[AdvantageIndustry, ...], int]:
    if top is None:
        return (), (), (), 0
    lead_chain_limit = top.integer("lead_chain_limit", minimum=1)
    chain_keys = ("code", "name", "kind", "illustrative", "nodes")
    chains = [_read_chain(obj, industry_classes) for obj in top.items("chains", "产业链", chain_keys)]
    chain_codes = frozenset(chain.code for chain in chains)
    advantages: list[AdvantageIndustry] = []
    advantage_keys = ("code", "name", "target_scale_yi_yuan", "target_year", "chains")
    for obj in top.items("advantage_industries", "优势产业", advantage_keys):
        scale = obj.positive("target_scale_yi_yuan")
        refs = obj.refs("chains")
        check_refs(top.src, "产业链", refs, chain_codes)
        advantages.append(
            AdvantageIndustry(
                code=obj.code(),
                name=obj.text("name"),
                target_scale_yi_yuan=scale,
                target_year=obj.integer("target_year", minimum=2000),
                chains=tuple(ref.value for ref in refs),
            )
        )
    return tuple(chains), top.notes, tuple(advantages), lead_chain_limit


def _read(ctx: SectionContext) -> Layout:
    units_top = ctx.top(UNITS_FILE, ("units",))
    units = _read_units(units_top)
    types_top = ctx.top(PARK_TYPES_FILE, ("park_types",))
    park_types, park_type_lines = _read_park_types(types_top)
    chains_top = ctx.top(CHAINS_FILE, ("chains", "lead_chain_limit"), ("advantage_industries",))
    chains, notes, advantages, limit = _read_chains(chains_top, ctx.industry_classes)
    return Layout(
        units=units,
        park_types=park_types,
        chains=chains,
        chain_notes=notes,
        advantage_industries=advantages,
        lead_chain_limit=limit,
        unit_codes=None if units_top is None else frozenset(unit.code for unit in units),
        type_codes=None if types_top is None else frozenset(park_type.code for park_type in park_types),
        park_type_lines=park_type_lines,
    )


LAYOUT: Section[Layout] = register(Section("layout", (UNITS_FILE, PARK_TYPES_FILE, CHAINS_FILE), _read))
