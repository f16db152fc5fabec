"""The targets' section of the policy pack: every quantitative 2027 target with the rules that grade
progress (targets.yaml), and the tasks and safeguards with their responsible units and reporting
rule (tasks.yaml). Read through the pack's one reader (`yuanqu.core.pack`); targets are linked to the
indicator catalogue (same unit) and to the registry's units and park types, and the park types'
copies of three target numbers must agree with the targets.

Who calls this: the target board and 督办 (`targets.selectors`, `services`, `views`, `progress`), the
cockpit, and `yuanqu policy apply` (tasks into 督办). Pure Python."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from yuanqu.core.pack import (
    Obj,
    Ref,
    Section,
    SectionContext,
    by_code,
    check_numbering,
    check_refs,
    check_unique,
    choice,
    messages,
    register,
)
from yuanqu.indicators.pack import INDICATORS, INDICATORS_FILE, PERCENT, Indicator, parse_unit
from yuanqu.registry.pack import COMPARISONS, LAYOUT, PARK_TYPES_FILE, Layout

TARGETS_FILE = "targets.yaml"
TASKS_FILE = "tasks.yaml"
TARGET_KINDS = ("goal", "constraint")
CITY_SCOPE = "city"
STATUS_WHEN = ("met", "ratio_ge", "otherwise")
GROWTH_UNIT = "%/年"
# Progress reports on the tasks are due this many days after each quarter ends, unless the pack says.
DEFAULT_REPORT_DUE_DAYS = 10
MAX_REPORT_DUE_DAYS = 90


@dataclass(frozen=True, slots=True)
class TaskGroup:
    code: str
    number: int
    title: str
    title_en: str = ""  # optional English title, shown on English pages


@dataclass(frozen=True, slots=True)
class Task:
    """A numbered task (kind "task", in a group) or a safeguard (kind "safeguard", no group)."""

    code: str
    kind: str
    number: int
    group: str | None
    title: str
    summary: str
    lead_units: tuple[str, ...]
    co_units: tuple[str, ...]
    units_text: str
    targets: tuple[str, ...]
    title_en: str = ""  # optional English title, shown on English pages


@dataclass(frozen=True, slots=True)
class Target:
    code: str
    name: str
    kind: str  # goal: progress is tracked; constraint: a limit checked case by case
    indicator: str
    comparison: str
    value: float
    unit: str
    scope: str  # "city" or a park type code
    baseline_year: int
    deadline: date
    units: tuple[str, ...]
    source: str
    note: str | None
    name_en: str = ""  # optional English name, shown on English pages
    # Assessed park by park (逐园考核): an indicator in % giving the share of the scope's parks that meet
    # the target on their own; the target's status reads it (all parks = 100 %), its own indicator is
    # the aggregate shown beside.
    assess_by: str | None = None
    # Indicators shown beside the target as context (e.g. the city-wide count of a park-scope target).
    context: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StatusRule:
    code: str
    name: str
    when: str  # met / ratio_ge / otherwise
    threshold: float | None
    description: str


@dataclass(frozen=True, slots=True)
class StatusRules:
    description: str
    rules: tuple[StatusRule, ...]

    def classify(self, *, met: bool, ratio: float | None) -> StatusRule:
        """The first rule that holds. `ratio` is progress ÷ elapsed time; None when no time has
        elapsed yet, which counts as on schedule."""
        for rule in self.rules:
            if rule.when == "met" and met:
                return rule
            if rule.when == "ratio_ge" and (ratio is None or ratio >= (rule.threshold or 0.0)):
                return rule
            if rule.when == "otherwise":
                return rule
        # The loader guarantees a final "otherwise" rule.
        raise LookupError("status rules have no fallback")


def _read_status_rules(top: Obj) -> StatusRules | None:
    data = top.mapping("status_rules")
    if data is None:
        return None
    obj = Obj(top.src, data, "进度状态规则", ("description", "rules"))
    rules: list[StatusRule] = []
    last_threshold: float | None = None
    for rule in obj.items("rules", "进度状态", ("code", "name", "when", "description"), ("threshold",)):
        when = choice(rule, "when", STATUS_WHEN, "判定方式")
        threshold = rule.opt_number("threshold")
        if when == "ratio_ge":
            if threshold is None:
                rule.error("when", "为 ratio_ge 时必须给出 threshold")
            elif threshold <= 0:
                rule.error("threshold", messages.NOT_POSITIVE.format(value=threshold))
            elif last_threshold is not None and threshold >= last_threshold:
                rule.error("threshold", f"应小于上一条规则的阈值{last_threshold:g}（规则自上而下由严到宽）")
            if threshold is not None:
                last_threshold = threshold
        elif threshold is not None:
            rule.error("threshold", "只用于判定方式 ratio_ge")
        rules.append(StatusRule(rule.code(), rule.text("name"), when, threshold, rule.text("description")))
    whens = [rule.when for rule in rules]
    if rules and whens.count("met") != 1:
        obj.error("rules", "中应恰有一条判定方式为 met（已达标）的规则")
    if rules and (whens.count("otherwise") != 1 or whens[-1] != "otherwise"):
        obj.error("rules", "的最后一条（且仅最后一条）判定方式应为 otherwise")
    return StatusRules(obj.text("description"), tuple(rules))


TARGET_KEYS = (
    "code",
    "name",
    "kind",
    "indicator",
    "comparison",
    "value",
    "unit",
    "scope",
    "baseline_year",
    "deadline",
    "units",
    "source",
)


def _read_value(obj: Obj, kind: str, comparison: str) -> tuple[float, str]:
    """A target's value and unit: not negative, a percentage not above 100, a growth in %/年."""
    value = obj.number("value")
    unit = obj.text("unit")
    if "value" in obj.data and value < 0:
        obj.error("value", f"不能为负数，实际为{value:g}")
    if unit in (PERCENT, GROWTH_UNIT) and value > 100:
        obj.error("value", f"为百分数，不应超过100，实际为{value:g}")
    if comparison == "growth_ge" and unit and unit != GROWTH_UNIT:
        obj.error("unit", f"年均增长类目标（growth_ge）的单位应为“{GROWTH_UNIT}”，实际为“{unit}”")
    if comparison == "growth_ge" and kind == "constraint":
        obj.error("comparison", "年均增长（growth_ge）只用于 goal 类目标")
    return value, unit


def _read_targets(
    top: Obj | None,
    unit_codes: frozenset[str] | None,
    type_codes: frozenset[str] | None,
) -> tuple[tuple[Target, ...], StatusRules | None, dict[str, dict[str, int]]]:
    """The targets, their status rules, and the line of each key of each target."""
    if top is None:
        return (), None, {}
    status_rules = _read_status_rules(top)
    key_lines: dict[str, dict[str, int]] = {}
    scopes = None if type_codes is None else type_codes | {CITY_SCOPE}
    targets: list[Target] = []
    for obj in top.items("targets", "目标", TARGET_KEYS, ("name_en", "note", "assess_by", "context")):
        kind = choice(obj, "kind", TARGET_KINDS, "类型")
        comparison = choice(obj, "comparison", COMPARISONS, "比较方式")
        value, unit = _read_value(obj, kind, comparison)
        scope = obj.text("scope")
        if scope and scopes is not None and scope not in scopes:
            allowed = "、".join(sorted(scopes - {CITY_SCOPE}))
            obj.error("scope", f"的范围“{scope}”无效，应为 city 或园区类型代码：{allowed}")
        baseline_year = obj.integer("baseline_year", minimum=2000)
        deadline = obj.day("deadline")
        if deadline != date.min and baseline_year and deadline.year <= baseline_year:
            obj.error("deadline", f"应晚于基期年份{baseline_year}")
        units = _unit_refs(obj, "units", unit_codes)
        targets.append(
            Target(
                code=obj.code(),
                name=obj.text("name"),
                kind=kind,
                indicator=obj.code("indicator"),
                comparison=comparison,
                value=value,
                unit=unit,
                scope=scope,
                baseline_year=baseline_year,
                deadline=deadline,
                units=tuple(ref.value for ref in units),
                source=obj.text("source"),
                note=obj.opt_text("note"),
                name_en=obj.english("name_en"),
                assess_by=obj.code("assess_by") if "assess_by" in obj.data else None,
                context=tuple(ref.value for ref in obj.refs("context")),
            )
        )
        if "assess_by" in obj.data and comparison not in ("gt", "ge"):
            obj.error("assess_by", "只用于“超过”或“达到”类目标（gt、ge）")
        if isinstance(obj.data.get("code"), str):
            key_lines.setdefault(obj.data["code"], obj.data.key_lines)
    return tuple(targets), status_rules, key_lines


def _unit_refs(obj: Obj, key: str, unit_codes: frozenset[str] | None, *, required: bool = True) -> tuple[Ref, ...]:
    """A list of responsible units' codes, each a known unit; at least one when `required`."""
    refs = obj.refs(key)
    if required and obj.empty_list(key):
        obj.error(key, "至少应有一个责任单位")
    check_refs(obj.src, "责任单位", refs, unit_codes)
    return refs


TASK_KEYS = ("code", "number", "title", "summary", "lead_units", "co_units", "units_text")


def _read_task_list(
    top: Obj,
    key: str,
    kind: str,
    group_codes: frozenset[str] | None,
    unit_codes: frozenset[str] | None,
    target_codes: frozenset[str] | None,
) -> tuple[list[Task], list[Ref]]:
    word = "重点任务" if kind == "task" else "保障措施"
    tasks: list[Task] = []
    code_refs: list[Ref] = []
    numbers: list[Ref] = []
    required = (*TASK_KEYS, "group") if kind == "task" else TASK_KEYS
    for obj in top.items(key, word, required, ("title_en", "targets"), unique=False):
        number = obj.integer("number", minimum=1)
        numbers.append(Ref(str(number), obj.line("number")))
        group: str | None = None
        if kind == "task":
            group = obj.text("group")
            if group and group_codes is not None and group not in group_codes:
                obj.error("group", f"的分组“{group}”未在 groups 中定义")
        lead = _unit_refs(obj, "lead_units", unit_codes)
        co = _unit_refs(obj, "co_units", unit_codes, required=False)
        lead_codes = {ref.value for ref in lead}
        for ref in co:
            if ref.value in lead_codes:
                obj.src.add(ref.line, f"{obj.prefix}单位“{ref.value}”同时列在 lead_units 和 co_units 中")
        targets = obj.refs("targets")
        check_refs(obj.src, "目标", targets, target_codes)
        code_refs.append(Ref(obj.code(), obj.line("code")))
        tasks.append(
            Task(
                code=obj.code(),
                kind=kind,
                number=number,
                group=group,
                title=obj.text("title"),
                summary=obj.text("summary"),
                lead_units=tuple(ref.value for ref in lead),
                co_units=tuple(ref.value for ref in co),
                units_text=obj.text("units_text"),
                targets=tuple(ref.value for ref in targets),
                title_en=obj.english("title_en"),
            )
        )
    check_numbering(top.src, word, numbers)
    return tasks, code_refs


def _read_due_days(top: Obj) -> int:
    reporting = top.mapping("reporting")
    if reporting is None:
        return DEFAULT_REPORT_DUE_DAYS
    obj = Obj(top.src, reporting, "进度报送规则", ("due_days",), ("note",))
    obj.opt_text("note")
    due_days = obj.integer("due_days", minimum=0)
    if due_days > MAX_REPORT_DUE_DAYS:
        obj.error("due_days", f"应不大于{MAX_REPORT_DUE_DAYS}（一个季度内），实际为{due_days}")
    return due_days


def _read_tasks(
    top: Obj | None,
    unit_codes: frozenset[str] | None,
    target_codes: frozenset[str] | None,
) -> tuple[tuple[TaskGroup, ...], tuple[Task, ...], tuple[Task, ...], int]:
    if top is None:
        return (), (), (), DEFAULT_REPORT_DUE_DAYS
    due_days = _read_due_days(top)
    groups: list[TaskGroup] = []
    group_numbers: list[Ref] = []
    for obj in top.items("groups", "任务分组", ("code", "number", "title"), ("title_en",)):
        number = obj.integer("number", minimum=1)
        group_numbers.append(Ref(str(number), obj.line("number")))
        groups.append(TaskGroup(obj.code(), number, obj.text("title"), obj.english("title_en")))
    check_numbering(top.src, "任务分组", group_numbers)
    group_codes = frozenset(group.code for group in groups)
    tasks, task_refs = _read_task_list(top, "tasks", "task", group_codes, unit_codes, target_codes)
    safeguards, safeguard_refs = _read_task_list(top, "safeguards", "safeguard", group_codes, unit_codes, target_codes)
    # Tasks and safeguards share one code space: supervision records point at either.
    check_unique(top.src, "任务", [*task_refs, *safeguard_refs])
    return tuple(groups), tuple(tasks), tuple(safeguards), due_days


def _check_park_types_against_targets(ctx: SectionContext, layout: Layout, targets: Sequence[Target]) -> None:
    """park_types.yaml repeats three numbers of targets.yaml (so that each file reads whole); when both
    state a number they must agree. The targets are found by indicator and scope: `park_count_<type>`
    for the city, `lead_industry_share` and `famous_park_award` for the type. Reported on the
    park-type file, which is the copy."""
    src, key_lines = ctx.source(PARK_TYPES_FILE), layout.park_type_lines
    by_key = {(target.indicator, target.scope): target for target in targets}
    for park_type in layout.park_types:
        pairs = (
            (f"park_count_{park_type.code}", CITY_SCOPE, "target_count", "ge", float(park_type.target_count)),
            (
                "lead_industry_share",
                park_type.code,
                "lead_share_target",
                park_type.lead_share_comparison,
                park_type.lead_share_target,
            ),
            (
                "famous_park_award",
                park_type.code,
                "award_cap_wan_yuan",
                "le",
                float(park_type.award_cap_wan_yuan),
            ),
        )
        for indicator, scope, key, comparison, value in pairs:
            target = by_key.get((indicator, scope))
            if target is None:
                continue
            if target.value != value or target.comparison != comparison:
                src.add(
                    key_lines.get(park_type.code, {}).get(key, 0),
                    f"园区类型“{park_type.code}”的 {key}（{comparison} {value:g}）与 targets.yaml 中目标"
                    f"“{target.code}”（{target.comparison} {target.value:g}）不一致",
                )


def _check_targets_against_indicators(
    top: Obj, lines: dict[str, dict[str, int]], targets: Sequence[Target], indicators: Sequence[Indicator]
) -> None:
    """Every target names a catalogue indicator of the same unit (growth targets: any unit), and a
    park-type target an indicator with park values. `lines` holds the line of each key of each target."""
    src = top.src
    indicator_by_code = {indicator.code: indicator for indicator in indicators}
    for target in targets:
        key_lines = lines.get(target.code, {})
        indicator = indicator_by_code.get(target.indicator)
        prefix = f"目标“{target.code}”："
        if indicator is None:
            if target.indicator:
                src.add(
                    key_lines.get("indicator", 0),
                    f"{prefix}未知的指标代码“{target.indicator}”（应在 indicators.yaml 中定义）",
                )
            continue
        if target.comparison != "growth_ge":
            mine, theirs = parse_unit(target.unit), parse_unit(indicator.unit)
            if mine is None or theirs is None or not mine.same_kind(theirs) or mine.scale != theirs.scale:
                src.add(
                    key_lines.get("unit", 0),
                    f"{prefix}单位“{target.unit}”与指标“{indicator.code}”的单位“{indicator.unit}”不一致",
                )
        for key, code in (("assess_by", target.assess_by), *(("context", item) for item in target.context)):
            if code is None:
                continue
            other = indicator_by_code.get(code)
            if other is None:
                src.add(key_lines.get(key, 0), f"{prefix}{key} 中未知的指标代码“{code}”（应在 indicators.yaml 中定义）")
            elif key == "assess_by" and other.unit != PERCENT:
                src.add(key_lines.get(key, 0), f"{prefix}逐园考核指标“{code}”的单位应为“%”（达标园区占比）")
            elif key == "assess_by":
                problem = _assessed_line(target, other)
                if problem:
                    src.add(key_lines.get(key, 0), f"{prefix}{problem}")
        if target.scope != CITY_SCOPE and target.kind == "goal" and indicator.level not in ("enterprise", "park"):
            src.add(
                key_lines.get("scope", 0),
                f"{prefix}范围为园区类型“{target.scope}”，"
                f"但指标“{indicator.code}”没有园区值（层级为 {indicator.level}）",
            )


ERR_ASSESSED_LINE = (
    "逐园考核指标“{code}”按“{indicator}”{op}{line:g}、园区类型{types}计园区数，"
    "与本目标（{comparison}{value:g}、范围{scope}）不一致：两处的线须相同"
)
ERR_ASSESSED_NO_LINE = "逐园考核指标“{code}”没有按“{indicator}”的值计园区数的项（source: indicator，values: value）"


def _assessed_line(target: Target, assessed: Indicator) -> str:
    """The park-by-park indicator must count the parks of the target's type whose value of the
    target's indicator passes the target's own line (80 in targets.yaml is 80 in indicators.yaml)."""
    for term in assessed.terms:
        if term.source != "indicator" or term.indicator != target.indicator:
            continue
        lines = [(c.op, float(c.value)) for c in term.where.values if c.field == "value"]
        types = term.where.park_types
        if lines == [(target.comparison, target.value)] and types == (target.scope,):
            return ""
        op, line = lines[0] if lines else ("", 0.0)
        return ERR_ASSESSED_LINE.format(
            code=assessed.code, indicator=target.indicator, op=op, line=line, types="、".join(types) or "（全部）",
            comparison=target.comparison, value=target.value, scope=target.scope,
        )  # fmt: skip
    return ERR_ASSESSED_NO_LINE.format(code=assessed.code, indicator=target.indicator)


@dataclass(frozen=True)
class TargetPlan:
    """The section's value: targets with their status rules, task groups, tasks and safeguards."""

    targets: tuple[Target, ...]
    status_rules: StatusRules
    task_groups: tuple[TaskGroup, ...]
    tasks: tuple[Task, ...]
    safeguards: tuple[Task, ...]
    # Responsible units report each quarter within this many days after it ends (tasks.yaml: reporting).
    report_due_days: int

    def target(self, code: str) -> Target:
        return by_code(self.targets, code)

    def task(self, code: str) -> Task:
        return by_code((*self.tasks, *self.safeguards), code)


def _read(ctx: SectionContext) -> TargetPlan | None:
    layout = ctx.get(LAYOUT)
    catalogue = ctx.get(INDICATORS)
    unit_codes = layout.unit_codes if layout is not None else None
    type_codes = layout.type_codes if layout is not None else None
    targets_top = ctx.top(TARGETS_FILE, ("status_rules", "targets"))
    targets, status_rules, target_lines = _read_targets(targets_top, unit_codes, type_codes)
    target_codes = None if targets_top is None else frozenset(target.code for target in targets)
    if catalogue is not None and ctx.root(INDICATORS_FILE) is not None and targets_top is not None:
        _check_targets_against_indicators(targets_top, target_lines, targets, catalogue.indicators)
    tasks_top = ctx.top(TASKS_FILE, ("groups", "tasks", "safeguards"), ("reporting",))
    groups, tasks, safeguards, report_due_days = _read_tasks(tasks_top, unit_codes, target_codes)
    if layout is not None and ctx.root(PARK_TYPES_FILE) is not None and targets_top is not None:
        _check_park_types_against_targets(ctx, layout, targets)
    if status_rules is None:
        return None
    return TargetPlan(targets, status_rules, groups, tasks, safeguards, report_due_days)


TARGETS: Section[TargetPlan] = register(
    Section("targets", (TASKS_FILE, TARGETS_FILE), _read, needs=(LAYOUT, INDICATORS))
)
