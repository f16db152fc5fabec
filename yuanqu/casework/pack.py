"""The casework section of the policy pack (casework.yaml): the 啄木鸟 request categories with their
time limits, default units, materials and questions; the response and notice limits; the reminder,
auto-close and extension limits; the five satisfaction levels and the follow-up rule for bad ratings.
Read through the pack's one reader (`yuanqu.core.pack`); the categories' default units are checked
against the registry's units.

Who calls this: `casework.rules` (the rules the casework services apply), through the installed pack.
Pure Python."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from yuanqu.core.pack import (
    LineMap,
    LineSeq,
    Obj,
    Ref,
    Section,
    SectionContext,
    Source,
    check_refs,
    check_unique,
    choice,
    register,
)
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


def _read_question(src: Source, data: LineMap, label: str) -> Question:
    obj = Obj(
        src,
        data,
        f"{label}的问题“{data.get('code', '?')}”",
        ("code", "label", "type", "required"),
        ("choices",),
    )
    kind = choice(obj, "type", QUESTION_TYPES, "题型")
    choices = obj.refs("choices", codes=False)
    if kind == "choice" and len(choices) < 2 and "choices" not in data:
        obj.error("type", "为 choice 时必须给出 choices（至少两个选项）")
    elif kind == "choice" and len(choices) < 2 and isinstance(data["choices"], LineSeq):
        obj.error("choices", f"至少应有两个选项，实际为{len(choices)}个")
    if kind in ("text", "number") and "choices" in data:
        obj.error("choices", f"只用于题型 choice，本题题型为 {kind}")
    return Question(
        code=obj.code(),
        label=obj.text("label"),
        type=kind,
        choices=tuple(ref.value for ref in choices),
        required=obj.boolean("required"),
    )


def _read_casework(src: Source, root: LineMap | None, units: Sequence[Unit]) -> CaseworkConfig | None:
    if root is None:
        return None
    top = Obj(
        src,
        root,
        "",
        (
            "response_limit_days",
            "notice_limit_days",
            "deadline_reminder_days",
            "auto_close_days",
            "max_extension_days",
            "categories",
            "satisfaction_levels",
            "follow_up",
        ),
        ("notes",),
    )
    top.texts("notes")
    unit_kinds = {unit.code: unit.kind for unit in units}
    categories: list[CaseCategory] = []
    category_refs: list[Ref] = []
    for data in top.objects("categories"):
        label = f"诉求类别“{data.get('code', '?')}”"
        obj = Obj(
            src,
            data,
            label,
            ("code", "name", "kind", "time_limit_days", "default_unit", "materials", "questions"),
            ("name_en", "description"),
        )
        default_unit = obj.code("default_unit")
        if default_unit and units and default_unit not in unit_kinds:
            obj.error("default_unit", f"为未知的责任单位代码“{default_unit}”")
        elif unit_kinds.get(default_unit) == "group":
            obj.error("default_unit", f"“{default_unit}”是单位集合，默认责任单位应为具体单位")
        questions: list[Question] = []
        question_refs: list[Ref] = []
        for question_data in obj.objects("questions"):
            question = _read_question(src, question_data, label)
            questions.append(question)
            question_refs.append(Ref(question.code, question_data.key_lines.get("code", question_data.line)))
        check_unique(src, f"{label}的问题", question_refs)
        code = obj.code()
        category_refs.append(Ref(code, obj.line("code")))
        categories.append(
            CaseCategory(
                code=code,
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
    check_unique(src, "诉求类别", category_refs)

    levels: list[SatisfactionLevel] = []
    level_refs: list[Ref] = []
    score_refs: list[Ref] = []
    level_data = top.objects("satisfaction_levels")
    for data in level_data:
        obj = Obj(
            src,
            data,
            f"满意度等级“{data.get('code', '?')}”",
            ("code", "name", "score", "counts_as_satisfied"),
        )
        code = obj.code()
        level_refs.append(Ref(code, obj.line("code")))
        score = obj.integer("score", minimum=1)
        score_refs.append(Ref(str(score), obj.line("score")))
        levels.append(SatisfactionLevel(code, obj.text("name"), score, obj.boolean("counts_as_satisfied")))
    check_unique(src, "满意度等级", level_refs)
    check_unique(src, "满意度分值", score_refs)
    level_seq = root.get("satisfaction_levels")
    if isinstance(level_seq, LineSeq) and len(level_seq) != SATISFACTION_LEVEL_COUNT:
        top.error(
            "satisfaction_levels",
            f"应有{SATISFACTION_LEVEL_COUNT}个等级（非常满意……非常不满意），实际为{len(level_seq)}个",
        )

    follow_up = FollowUpRule((), 0, False, "")
    follow_data = top.mapping("follow_up")
    if follow_data is not None:
        obj = Obj(src, follow_data, "差评回访规则", ("levels", "time_limit_days", "appeal_allowed", "description"))
        refs = obj.refs("levels")
        check_refs(src, "满意度等级", refs, frozenset(level.code for level in levels))
        follow_up = FollowUpRule(
            levels=tuple(ref.value for ref in refs),
            time_limit_days=obj.integer("time_limit_days", minimum=1),
            appeal_allowed=obj.boolean("appeal_allowed"),
            description=obj.text("description"),
        )
    return CaseworkConfig(
        response_limit_days=top.integer("response_limit_days", minimum=1),
        notice_limit_days=top.integer("notice_limit_days", minimum=1),
        deadline_reminder_days=top.integer("deadline_reminder_days", minimum=0),
        auto_close_days=top.integer("auto_close_days", minimum=1),
        max_extension_days=top.integer("max_extension_days", minimum=1),
        categories=tuple(categories),
        satisfaction_levels=tuple(levels),
        follow_up=follow_up,
    )


def _read(ctx: SectionContext) -> CaseworkConfig | None:
    layout = ctx.get(LAYOUT)
    return _read_casework(*ctx.file(CASEWORK_FILE), layout.units if layout is not None else ())


CASEWORK: Section[CaseworkConfig] = register(Section("casework", (CASEWORK_FILE,), _read, needs=(LAYOUT,)))
