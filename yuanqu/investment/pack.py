"""The investment section of the policy pack (investment.yaml): the 招商 project stages with the days
a project may stay in each, the transitions between them and the roles that may make each one (and
whether it needs evidence), the stagnation escalation, the project sources, the 载体 staleness and
reservation limits, the gap thresholds of the chain map and the weights of candidate scoring.
Read through the pack's one reader (`yuanqu.core.pack`).

Who calls this: `investment.rules` (what the investment services and selectors apply), through the
installed pack. Pure Python."""

from __future__ import annotations

from dataclasses import dataclass

from yuanqu.core.pack import Obj, Ref, Section, SectionContext, check_unique, register

INVESTMENT_FILE = "investment.yaml"

# The stage codes the platform knows (the model's choices); the pack says their limits and rules.
STAGE_CODES = ("lead", "contact", "negotiating", "signed", "land", "started", "producing", "full")
TERMINATED = "terminated"
# Roles a transition may name (the system administrator always acts as the city administrator).
TRANSITION_ROLES = ("city_admin", "district", "park_operator")
WEIGHT_KEYS = ("node_fit", "size", "listing", "distance", "ties")


@dataclass(frozen=True, slots=True)
class StageRule:
    code: str
    name: str
    # A project staying longer than this in the stage is stagnant; None for the last stage.
    max_days: int | None


@dataclass(frozen=True, slots=True)
class Transition:
    source: str
    target: str
    roles: tuple[str, ...]
    evidence_required: bool
    evidence_label: str


@dataclass(frozen=True, slots=True)
class ProjectSource:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class GapThresholds:
    """A node with no firm is absent; fewer than `present_min_firms` firms is weak; at least
    `strong_min_firms` firms, or at least `strong_min_output` 亿元 of revenue, is strong."""

    present_min_firms: int
    strong_min_firms: int
    strong_min_output: float


@dataclass(frozen=True, slots=True)
class InvestmentConfig:
    stages: tuple[StageRule, ...]
    transitions: tuple[Transition, ...]
    terminate_roles: tuple[str, ...]
    # After the owner's notice, the district's users are told when the project has stayed this many
    # more days.
    escalate_after_days: int
    sources: tuple[ProjectSource, ...]
    site_stale_days: int
    reservation_days: int
    gaps: GapThresholds
    weights: dict[str, float]

    def stage(self, code: str) -> StageRule | None:
        return next((stage for stage in self.stages if stage.code == code), None)

    def transition(self, source: str, target: str) -> Transition | None:
        return next((t for t in self.transitions if t.source == source and t.target == target), None)


INVESTMENT_KEYS = ("stages", "transitions", "terminate_roles", "stagnation", "sources", "sites", "gaps", "scoring")


def _read_investment(top: Obj | None) -> InvestmentConfig | None:
    if top is None:
        return None
    src = top.src

    stages: list[StageRule] = []
    stage_refs: list[Ref] = []
    stage_data = top.objects("stages")
    for index, data in enumerate(stage_data):
        obj = Obj(src, data, f"项目阶段“{data.get('code', '?')}”", ("code", "name"), ("max_days",))
        code = obj.choice("code", STAGE_CODES, "阶段代码")
        stage_refs.append(Ref(code, obj.line("code")))
        last = index == len(stage_data) - 1
        max_days = obj.integer("max_days", minimum=1) if obj.has("max_days") else None
        if max_days is None and not last:
            obj.error("code", "的阶段须给出 max_days（停留天数上限）")
        stages.append(StageRule(code=code, name=obj.text("name"), max_days=max_days))
    check_unique(src, "项目阶段", stage_refs)
    if stage_data and tuple(stage.code for stage in stages) != STAGE_CODES:
        top.error("stages", f"应依次为 {'、'.join(STAGE_CODES)}")

    known = frozenset(STAGE_CODES)
    transitions: list[Transition] = []
    pair_refs: list[Ref] = []
    for data in top.objects("transitions"):
        obj = Obj(
            src,
            data,
            f"阶段变更“{data.get('from', '?')}→{data.get('to', '?')}”",
            ("from", "to", "roles"),
            ("evidence_required", "evidence_label"),
        )
        source = obj.choice("from", known, "阶段代码")
        target = obj.choice("to", known, "阶段代码")
        if source and target and STAGE_CODES.index(target) <= STAGE_CODES.index(source):
            obj.problem("to", "阶段只能向后推进")
        pair_refs.append(Ref(f"{source}→{target}", obj.line("from")))
        evidence_required = obj.boolean("evidence_required")
        label = obj.opt_text("evidence_label") or ""
        if evidence_required and not label:
            obj.error("evidence_label", "须说明所需的佐证材料")
        transitions.append(
            Transition(
                source=source,
                target=target,
                roles=obj.choices("roles", TRANSITION_ROLES),
                evidence_required=evidence_required,
                evidence_label=label,
            )
        )
    check_unique(src, "阶段变更", pair_refs)

    stagnation = top.mapping("stagnation")
    escalate = 0
    if stagnation is not None:
        escalate = Obj(src, stagnation, "停滞提醒", ("escalate_after_days",)).integer("escalate_after_days", minimum=1)

    sources = [
        ProjectSource(obj.code(), obj.text("name")) for obj in top.items("sources", "项目来源", ("code", "name"))
    ]

    sites = top.mapping("sites")
    stale_days = reservation_days = 0
    if sites is not None:
        obj = Obj(src, sites, "载体", ("stale_after_days", "reservation_days"))
        stale_days = obj.integer("stale_after_days", minimum=1)
        reservation_days = obj.integer("reservation_days", minimum=1)

    gaps = GapThresholds(1, 1, 0.0)
    gap_data = top.mapping("gaps")
    if gap_data is not None:
        obj = Obj(src, gap_data, "缺链判定", ("present_min_firms", "strong_min_firms", "strong_min_output"))
        present = obj.integer("present_min_firms", minimum=1)
        strong = obj.integer("strong_min_firms", minimum=1)
        if strong < present:
            obj.problem("strong_min_firms", "strong_min_firms 不能小于 present_min_firms")
        gaps = GapThresholds(present, strong, obj.number("strong_min_output"))

    weights: dict[str, float] = {}
    scoring = top.mapping("scoring")
    if scoring is not None:
        obj = Obj(src, scoring, "目标企业评分权重", WEIGHT_KEYS)
        weights = {key: obj.number(key) for key in WEIGHT_KEYS}
        if any(value < 0 for value in weights.values()):
            obj.problem(WEIGHT_KEYS[0], "权重不能为负")
        if abs(sum(weights.values()) - 1.0) > 1e-6:
            obj.problem(WEIGHT_KEYS[0], f"权重之和应为1，实际为{sum(weights.values()):g}")

    return InvestmentConfig(
        stages=tuple(stages),
        transitions=tuple(transitions),
        terminate_roles=top.choices("terminate_roles", TRANSITION_ROLES),
        escalate_after_days=escalate,
        sources=tuple(sources),
        site_stale_days=stale_days,
        reservation_days=reservation_days,
        gaps=gaps,
        weights=weights,
    )


def _read(ctx: SectionContext) -> InvestmentConfig | None:
    return _read_investment(ctx.top(INVESTMENT_FILE, INVESTMENT_KEYS))


INVESTMENT: Section[InvestmentConfig] = register(Section("investment", (INVESTMENT_FILE,), _read))
