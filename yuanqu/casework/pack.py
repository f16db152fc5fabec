"""The casework section of the policy pack (casework.yaml): the 啄木鸟 request categories with their
time limits, default units, materials and questions; the response and notice limits; the reminder,
auto-close and extension limits; the five satisfaction levels and the follow-up rule for bad ratings.
Read through the pack's one reader (`yuanqu.core.pack`); the categories' default units are checked
against the registry's units.

Who calls this: `casework.rules` (the rules the casework services apply), through the installed pack.
Pure Python."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from yuanqu.core.pack import LineSeq, Obj, Ref, Section, SectionContext, check_refs, check_unique, choice, register
from yuanqu.registry.pack import LAYOUT, Unit

CASEWORK_FILE = "casework.yaml"
CASE_KINDS = ("request", "park_problem")
QUESTION_TYPES = ("text", "number", "choice")
# 政务服务“好差评”: five levels, 非常满意 … 非常不满意.
SATISFACTION_LEVEL_COUNT = 5


@dataclass(frozen=True, slots=True)
class Question:
    code: str
    label: str
    type: str
    choices: tuple[str, ...]
    required: bool

    def as_json(self) -> dict[str, Any]:
        """The question as a category stores it (casework.Category.questions)."""
        return {**asdict(self), "choices": list(self.choices)}


@dataclass(frozen=True, slots=True)
class CaseCategory:
    code: str
    name: str
    kind: str
    time_limit_days: int  # working days, counted from the day after acceptance
    default_unit: str
    description: str
    materials: tuple[str, ...]
    questions: tuple[Question, ...]
    name_en: str = ""  # optional English name, shown on English pages


@dataclass(frozen=True, slots=True)
class SatisfactionLevel:
    code: str
    name: str
    score: int
    counts_as_satisfied: bool


@dataclass(frozen=True, slots=True)
class FollowUpRule:
    levels: tuple[str, ...]
    time_limit_days: int
    appeal_allowed: bool
    description: str


@dataclass(frozen=True, slots=True)
class CaseworkConfig:
    response_limit_days: int
    notice_limit_days: int
    # Deadline reminders (催办) go out from this many working days before a deadline.
    deadline_reminder_days: int
    # A reply the enterprise does not rate within this many working days is closed by the sweep.
    auto_close_days: int
    # An extension asks for at most this many working days.
    max_extension_days: int
    categories: tuple[CaseCategory, ...]
    satisfaction_levels: tuple[SatisfactionLevel, ...]
    follow_up: FollowUpRule


def _read_question(obj: Obj) -> Question:
    kind = choice(obj, "type", QUESTION_TYPES, "题型")
    choices = obj.refs("choices", codes=False)
    if kind == "choice" and len(choices) < 2 and "choices" not in obj.data:
        obj.error("type", "为 choice 时必须给出 choices（至少两个选项）")
    elif kind == "choice" and len(choices) < 2 and isinstance(obj.data["choices"], LineSeq):
        obj.error("choices", f"至少应有两个选项，实际为{len(choices)}个")
    if kind in ("text", "number") and "choices" in obj.data:
        obj.error("choices", f"只用于题型 choice，本题题型为 {kind}")
    return Question(
        code=obj.code(),
        label=obj.text("label"),
        type=kind,
        choices=tuple(ref.value for ref in choices),
        required=obj.boolean("required"),
    )


def _read_default_unit(obj: Obj, unit_kinds: Mapping[str, str]) -> str:
    """A category's default unit: a known unit that is not a group of units."""
    default_unit = obj.code("default_unit")
    if default_unit and unit_kinds and default_unit not in unit_kinds:
        obj.error("default_unit", f"为未知的责任单位代码“{default_unit}”")
    elif unit_kinds.get(default_unit) == "group":
        obj.error("default_unit", f"“{default_unit}”是单位集合，默认责任单位应为具体单位")
    return default_unit


QUESTION_KEYS = ("code", "label", "type", "required")
CATEGORY_KEYS = ("code", "name", "kind", "time_limit_days", "default_unit", "materials", "questions")


def _read_categories(top: Obj, units: Sequence[Unit]) -> tuple[CaseCategory, ...]:
    unit_kinds = {unit.code: unit.kind for unit in units}
    categories: list[CaseCategory] = []
    for obj in top.items("categories", "诉求类别", CATEGORY_KEYS, ("name_en", "description")):
        default_unit = _read_default_unit(obj, unit_kinds)
        question_keys = ("code", "label", "type", "required")
        questions = [
            _read_question(q) for q in obj.items("questions", f"{obj.label}的问题", question_keys, ("choices",))
        ]
        categories.append(
            CaseCategory(
                code=obj.code(),
                name=obj.text("name"),
                kind=choice(obj, "kind", CASE_KINDS, "类型"),
                time_limit_days=obj.integer("time_limit_days", minimum=1),
                default_unit=default_unit,
                description=obj.opt_text("description") or "",
                materials=obj.texts("materials"),
                questions=tuple(questions),
                name_en=obj.english("name_en"),
            )
        )
    return tuple(categories)


def _read_levels(top: Obj) -> tuple[SatisfactionLevel, ...]:
    levels: list[SatisfactionLevel] = []
    score_refs: list[Ref] = []
    for obj in top.items("satisfaction_levels", "满意度等级", ("code", "name", "score", "counts_as_satisfied")):
        code = obj.code()
        score = obj.integer("score", minimum=1)
        score_refs.append(Ref(str(score), obj.line("score")))
        levels.append(SatisfactionLevel(code, obj.text("name"), score, obj.boolean("counts_as_satisfied")))
    check_unique(top.src, "满意度分值", score_refs)
    level_seq = top.data.get("satisfaction_levels")
    if isinstance(level_seq, LineSeq) and len(level_seq) != SATISFACTION_LEVEL_COUNT:
        top.error(
            "satisfaction_levels",
            f"应有{SATISFACTION_LEVEL_COUNT}个等级（非常满意……非常不满意），实际为{len(level_seq)}个",
        )
    return tuple(levels)


def _read_follow_up(top: Obj, levels: Sequence[SatisfactionLevel]) -> FollowUpRule:
    follow_data = top.mapping("follow_up")
    if follow_data is None:
        return FollowUpRule((), 0, False, "")
    obj = Obj(top.src, follow_data, "差评回访规则", ("levels", "time_limit_days", "appeal_allowed", "description"))
    refs = obj.refs("levels")
    check_refs(top.src, "满意度等级", refs, frozenset(level.code for level in levels))
    return FollowUpRule(
        levels=tuple(ref.value for ref in refs),
        time_limit_days=obj.integer("time_limit_days", minimum=1),
        appeal_allowed=obj.boolean("appeal_allowed"),
        description=obj.text("description"),
    )


CASEWORK_KEYS = (
    "response_limit_days",
    "notice_limit_days",
    "deadline_reminder_days",
    "auto_close_days",
    "max_extension_days",
    "categories",
    "satisfaction_levels",
    "follow_up",
)


def _read(ctx: SectionContext) -> CaseworkConfig | None:
    layout = ctx.get(LAYOUT)
    top = ctx.top(CASEWORK_FILE, CASEWORK_KEYS)
    if top is None:
        return None
    categories = _read_categories(top, layout.units if layout is not None else ())
    levels = _read_levels(top)
    follow_up = _read_follow_up(top, levels)
    return CaseworkConfig(
        response_limit_days=top.integer("response_limit_days", minimum=1),
        notice_limit_days=top.integer("notice_limit_days", minimum=1),
        deadline_reminder_days=top.integer("deadline_reminder_days", minimum=0),
        auto_close_days=top.integer("auto_close_days", minimum=1),
        max_extension_days=top.integer("max_extension_days", minimum=1),
        categories=categories,
        satisfaction_levels=levels,
        follow_up=follow_up,
    )


CASEWORK: Section[CaseworkConfig] = register(Section("casework", (CASEWORK_FILE,), _read, needs=(LAYOUT,)))
