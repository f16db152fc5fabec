"""The service section of the policy pack (service.yaml): the visit tiers of 陪跑 (which firms, how
often), the casework category a need found on a visit becomes, the revenue fall that prompts a visit,
and the 惠企 policies with their eligibility rules, benefit formula, cap, materials and deadline.

Tiers and eligibility are rules of the one rule engine (`yuanqu.core.rules`), read here through the
one pack reader with file:line problems; the attributes they may name are the enterprise attributes of
`service.attributes`. The need category is checked against casework.yaml, chains and park types
against the layout.

Who calls this: `service.config` (the installed pack's section, for the services and pages)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from yuanqu.casework.pack import CASEWORK, CaseCategory, CaseworkConfig
from yuanqu.core.pack import LineMap, Obj, Ref, Section, SectionContext, Source, check_unique, register
from yuanqu.core.rules import Attribute, Rule, read_rule
from yuanqu.indicators.pack import INDICATORS, IndicatorCatalogue
from yuanqu.registry.pack import LAYOUT, Layout
from yuanqu.service.attributes import attribute_catalogue

SERVICE_FILE = "service.yaml"
BENEFIT_BASES = ("fixed", "rate")

TIER_LAST_OPEN = "最后一个走访分档不应有“when”条件（它收下其余所有企业）"
TIER_NEEDS_WHEN = "除最后一个外，每个走访分档都应有“when”条件"
NEED_CATEGORY_UNKNOWN = "“need_category”为未知的诉求类别“{value}”"
NEED_ANSWER_UNKNOWN = "“need_answers”中的“{value}”不是诉求类别“{category}”的问题"
NEED_ANSWER_CHOICE = "“need_answers”中“{code}”的答案“{value}”不在选项中，应为：{allowed}"
NEED_ANSWER_MISSING = "“need_answers”应回答诉求类别“{category}”的必答问题“{code}”（{label}）"
NEED_CATEGORY_KIND = "“need_category”应为企业诉求类别（kind: request），“{value}”是园区问题类别"
BENEFIT_FIXED = "定额奖补（base: fixed）应给出“amount_wan_yuan”，不应给出“rate”或“of”"
BENEFIT_RATE = "按比例奖补（base: rate）应给出“rate”与“of”（数值型企业属性），不应给出“amount_wan_yuan”"
BENEFIT_OF = "“of”应为数值型企业属性，实际为“{value}”"
PERIOD_ORDER = "“period_end”（{end}）不应早于“period_start”（{start}）"
DEADLINE_OUTSIDE = "“deadline”（{deadline}）应在政策有效期内（{start} 至 {end}）"
FEE_CATEGORY_UNKNOWN = "“fee_category”为未知的诉求类别“{value}”"
FEE_CATEGORY_KIND = "“fee_category”应为企业诉求类别（kind: request），“{value}”是园区问题类别"
ITEM_KINDS = ("likert", "choice")
CASEWORK_RATES = ("response_rate", "on_time_rate", "resolution_rate", "satisfaction_rate")
SURVEY_DIMENSION_UNKNOWN = "题目“{item}”的维度“{value}”不在“dimensions”中"
SURVEY_CHOICES = "选择题（kind: choice）应给出至少两个“choices”，评分题不应给出"
SURVEY_LABELS = "“scale_labels”应有{scale}项（与“scale”相同），实际{count}项"
SURVEY_NO_LIKERT = "维度“{code}”没有评分题（kind: likert），无法计分"
WEIGHTS_SUM = "{what}的权重之和应为1，实际为{total:g}"
INDEX_INDICATOR_UNKNOWN = "“indicator”为指标目录中没有的指标“{value}”"
INDEX_INDICATOR_KIND = "指标“{value}”应为园区级的填报类指标（level: park，source: reported），由本模块写入"


@dataclass(frozen=True, slots=True)
class VisitTier:
    code: str
    name: str
    every_months: int
    when: Rule | None  # None: every firm the earlier tiers did not take


@dataclass(frozen=True, slots=True)
class Benefit:
    base: str  # fixed | rate
    amount_wan_yuan: float  # fixed: the amount; rate: unused
    rate: float  # rate: the share of `of`
    of: str  # rate: the numeric attribute the rate applies to
    cap_wan_yuan: float | None


@dataclass(frozen=True, slots=True)
class Policy:
    code: str
    name: str
    issuer: str
    period_start: dt.date
    period_end: dt.date
    deadline: dt.date | None
    exempt_application: bool  # 免申即享: the firms need not apply
    summary: str
    materials: tuple[str, ...]
    eligibility: Rule
    benefit: Benefit
    illustrative: bool


@dataclass(frozen=True, slots=True)
class SurveyDimension:
    code: str
    name: str
    weight: float


@dataclass(frozen=True, slots=True)
class SurveyItem:
    code: str
    dimension: str
    kind: str  # likert | choice
    text: str
    choices: tuple[str, ...]  # choice items only


@dataclass(frozen=True, slots=True)
class Survey:
    """The 发展环境 questionnaire: Likert items scored 1..scale by dimension, and choice items counted."""

    scale: int
    scale_labels: tuple[str, ...]
    dimensions: tuple[SurveyDimension, ...]
    items: tuple[SurveyItem, ...]

    def likert(self, dimension: str | None = None) -> tuple[SurveyItem, ...]:
        return tuple(item for item in self.items if item.kind == "likert" and dimension in (None, item.dimension))


@dataclass(frozen=True, slots=True)
class EnvironmentIndex:
    """How the 发展环境指数 combines the survey score with the casework 三率 (weights sum to 1)."""

    indicator: str
    survey_weight: float
    casework_weight: float
    casework_rates: dict[str, float]


@dataclass(frozen=True, slots=True)
class ServiceType:
    """A kind of service a park offers (服务标准清单) and the standard it must meet."""

    code: str
    name: str
    time_limit_days: int  # working days; a park may promise less, not more
    fee_rule: str
    channel: str
    required: bool  # every park's list must have it


@dataclass(frozen=True, slots=True)
class ServiceConfig:
    tiers: tuple[VisitTier, ...]
    need_category: str
    # The answers to the need category's questions that a case made from a visit need carries.
    need_answers: dict[str, str]
    revenue_drop_alert: float  # a fraction: 0.2 prompts a visit when revenue fell more than 20% YoY
    min_group_size: int
    policies: tuple[Policy, ...]
    attributes: dict[str, Attribute]
    survey: Survey
    environment_index: EnvironmentIndex
    service_types: tuple[ServiceType, ...]
    fee_category: str  # the casework request category a fee complaint becomes ("" when none)

    def service_type(self, code: str) -> ServiceType:
        for item in self.service_types:
            if item.code == code:
                return item
        raise KeyError(code)

    def policy(self, code: str) -> Policy:
        for policy in self.policies:
            if policy.code == code:
                return policy
        raise KeyError(code)


def _read_tiers(src: Source, top: Obj, attributes: dict[str, Attribute]) -> tuple[VisitTier, ...]:
    tiers: list[VisitTier] = []
    refs: list[Ref] = []
    items = top.objects("visit_tiers")
    for index, data in enumerate(items):
        label = f"走访分档“{data.get('code', '?')}”"
        obj = Obj(src, data, label, ("code", "name", "every_months"), ("when", "name_en"))
        obj.english("name_en")
        last = index == len(items) - 1
        when = read_rule(obj, "when", attributes, label) if "when" in data else None
        if last and when is not None:
            obj.problem("when", TIER_LAST_OPEN)
        if not last and when is None:
            obj.problem("code", TIER_NEEDS_WHEN)
        code = obj.code()
        refs.append(Ref(code, obj.line("code")))
        tiers.append(VisitTier(code, obj.text("name"), obj.integer("every_months", minimum=1), when))
    check_unique(src, "走访分档", refs)
    return tuple(tiers)


def _read_benefit(src: Source, data: LineMap | None, label: str, attributes: dict[str, Attribute]) -> Benefit:
    if data is None:
        return Benefit("fixed", 0.0, 0.0, "", None)
    obj = Obj(src, data, f"{label}的奖补", ("base",), ("amount_wan_yuan", "rate", "of", "cap_wan_yuan"))
    base = obj.choice("base", BENEFIT_BASES, "奖补方式", default="fixed")
    if base == "fixed" and ("amount_wan_yuan" not in data or "rate" in data or "of" in data):
        obj.problem("base", BENEFIT_FIXED)
    if base == "rate" and ("rate" not in data or "of" not in data or "amount_wan_yuan" in data):
        obj.problem("base", BENEFIT_RATE)
    of = obj.text("of") if "of" in data else ""
    if of and (of not in attributes or attributes[of].kind != "number"):
        obj.problem("of", BENEFIT_OF.format(value=of))
    cap = obj.opt_number("cap_wan_yuan")
    if cap is not None and cap <= 0:
        obj.error("cap_wan_yuan", "应大于0")
    return Benefit(base, obj.number("amount_wan_yuan"), obj.number("rate"), of, cap)


def _read_policies(src: Source, top: Obj, attributes: dict[str, Attribute]) -> tuple[Policy, ...]:
    policies: list[Policy] = []
    for obj in top.items(
        "policies",
        "政策",
        ("code", "name", "issuer", "period_start", "period_end", "eligibility", "benefit"),
        ("deadline", "exempt_application", "summary", "materials", "illustrative"),
    ):
        label = obj.label
        start, end = obj.day("period_start"), obj.day("period_end")
        if start != dt.date.min and end != dt.date.min and end < start:
            obj.problem("period_end", PERIOD_ORDER.format(start=start, end=end))
        deadline = obj.day("deadline") if obj.has("deadline") else None
        if deadline is not None and deadline != dt.date.min and not start <= deadline <= end:
            obj.problem("deadline", DEADLINE_OUTSIDE.format(deadline=deadline, start=start, end=end))
        code = obj.code()
        policies.append(
            Policy(
                code=code,
                name=obj.text("name"),
                issuer=obj.text("issuer"),
                period_start=start,
                period_end=end,
                deadline=deadline,
                exempt_application=obj.boolean("exempt_application"),
                summary=obj.opt_text("summary") or "",
                materials=obj.texts("materials"),
                eligibility=read_rule(obj, "eligibility", attributes, f"{label}的条件"),
                benefit=_read_benefit(src, obj.mapping("benefit"), label, attributes),
                illustrative=obj.boolean("illustrative"),
            )
        )
    return tuple(policies)


def _check_sum(obj: Obj, key: str, what: str, weights: list[float]) -> None:
    if weights and abs(sum(weights) - 1) > 1e-6:
        obj.problem(key, WEIGHTS_SUM.format(what=what, total=sum(weights)))


def _read_survey(src: Source, data: LineMap | None) -> Survey:
    if data is None:
        return Survey(5, (), (), ())
    obj = Obj(src, data, "问卷", ("scale", "dimensions", "items"), ("scale_labels",))
    scale = obj.integer("scale", 5, minimum=3)
    labels = obj.texts("scale_labels")
    if labels and len(labels) != scale:
        obj.problem("scale_labels", SURVEY_LABELS.format(scale=scale, count=len(labels)))
    dimensions = tuple(
        SurveyDimension(dim.code(), dim.text("name"), dim.positive("weight"))
        for dim in obj.items("dimensions", "问卷维度", ("code", "name", "weight"))
    )
    _check_sum(obj, "dimensions", "问卷维度", [dim.weight for dim in dimensions])
    known = {dim.code for dim in dimensions}
    items: list[SurveyItem] = []
    for item in obj.items("items", "问卷题目", ("code", "dimension", "text"), ("kind", "choices")):
        code = item.code()
        dimension = item.code("dimension")
        if dimension and dimension not in known:
            item.problem("dimension", SURVEY_DIMENSION_UNKNOWN.format(item=code, value=dimension))
        kind = item.choice("kind", ITEM_KINDS, "题型", default="likert")
        choices = item.texts("choices") if item.has("choices") else ()
        if (kind == "choice") != (len(choices) >= 2) or (kind == "likert" and item.has("choices")):
            item.problem("kind", SURVEY_CHOICES)
        items.append(SurveyItem(code, dimension, kind, item.text("text"), choices))
    survey = Survey(scale, labels, dimensions, tuple(items))
    for dim in dimensions:
        if not survey.likert(dim.code):
            obj.problem("dimensions", SURVEY_NO_LIKERT.format(code=dim.code))
    return survey


def _read_index(src: Source, data: LineMap | None, indicators: IndicatorCatalogue | None) -> EnvironmentIndex:
    if data is None:
        return EnvironmentIndex("", 1.0, 0.0, {})
    obj = Obj(src, data, "发展环境指数", ("indicator", "survey_weight", "casework_weight"), ("casework_rates",))
    indicator = obj.code("indicator")
    if indicators is not None and indicator:
        found = {item.code: item for item in indicators.indicators}.get(indicator)
        if found is None:
            obj.problem("indicator", INDEX_INDICATOR_UNKNOWN.format(value=indicator))
        elif not found.reported or found.level != "park":
            obj.problem("indicator", INDEX_INDICATOR_KIND.format(value=indicator))
    survey_weight, casework_weight = obj.number("survey_weight"), obj.number("casework_weight")
    for key, value in (("survey_weight", survey_weight), ("casework_weight", casework_weight)):
        if value < 0:
            obj.error(key, "不能为负数")
    _check_sum(obj, "survey_weight", "问卷得分与诉求三率", [survey_weight, casework_weight])
    rates: dict[str, float] = {}
    rates_data = obj.mapping("casework_rates")
    if rates_data is not None:
        rates_obj = Obj(src, rates_data, "“casework_rates”中", (), CASEWORK_RATES)
        rates = {key: rates_obj.positive(key) for key in rates_data if key in CASEWORK_RATES}
        _check_sum(obj, "casework_rates", "诉求三率", list(rates.values()))
    return EnvironmentIndex(indicator, survey_weight, casework_weight, rates)


def _check_answers(top: Obj, category: CaseCategory, answers: dict[str, str]) -> None:
    questions = {question.code: question for question in category.questions}
    for code, value in answers.items():
        question = questions.get(code)
        if question is None:
            top.problem("need_answers", NEED_ANSWER_UNKNOWN.format(value=code, category=category.code))
        elif question.type == "choice" and value not in question.choices:
            allowed = "、".join(question.choices)
            top.problem("need_answers", NEED_ANSWER_CHOICE.format(code=code, value=value, allowed=allowed))
    for question in category.questions:
        if question.required and question.code not in answers:
            top.problem(
                "need_answers",
                NEED_ANSWER_MISSING.format(category=category.code, code=question.code, label=question.label),
            )


SERVICE_KEYS = ("visit_tiers", "need_category", "need_answers", "revenue_drop_alert", "min_group_size", "policies")
SERVICE_OPTIONAL = ("survey", "environment_index", "service_types", "fee_category")


def _read_service(
    top: Obj | None,
    layout: Layout | None,
    casework: CaseworkConfig | None,
    indicators: IndicatorCatalogue | None = None,
) -> ServiceConfig | None:
    if top is None:
        return None
    src = top.src
    attributes = attribute_catalogue(layout)
    need_category = top.code("need_category")
    answers_data = top.mapping("need_answers")
    answers: dict[str, str] = {}
    if answers_data is not None:
        answers_obj = Obj(src, answers_data, "", (), tuple(answers_data))
        answers = {key: answers_obj.text(key) for key in answers_data}
    fee_category = top.code("fee_category") if top.has("fee_category") else ""
    if casework is not None and fee_category:
        found = {category.code: category for category in casework.categories}.get(fee_category)
        if found is None:
            top.problem("fee_category", FEE_CATEGORY_UNKNOWN.format(value=fee_category))
        elif found.kind != "request":
            top.problem("fee_category", FEE_CATEGORY_KIND.format(value=fee_category))
    if casework is not None and need_category:
        categories = {category.code: category for category in casework.categories}
        category = categories.get(need_category)
        if category is None:
            top.problem("need_category", NEED_CATEGORY_UNKNOWN.format(value=need_category))
        elif category.kind != "request":
            top.problem("need_category", NEED_CATEGORY_KIND.format(value=need_category))
        else:
            _check_answers(top, category, answers)
    drop = top.number("revenue_drop_alert")
    if not 0 < drop < 1:
        top.error("revenue_drop_alert", f"应为0与1之间的比例（0.2 即下降超过20%），实际为{drop:g}")
    return ServiceConfig(
        tiers=_read_tiers(src, top, attributes),
        need_category=need_category,
        need_answers=answers,
        revenue_drop_alert=drop,
        min_group_size=top.integer("min_group_size", minimum=2),
        policies=_read_policies(src, top, attributes),
        attributes=attributes,
        survey=_read_survey(src, top.mapping("survey")),
        environment_index=_read_index(src, top.mapping("environment_index"), indicators),
        fee_category=fee_category,
        service_types=tuple(
            ServiceType(
                item.code(),
                item.text("name"),
                item.integer("time_limit_days", minimum=1),
                item.text("fee_rule"),
                item.text("channel"),
                item.boolean("required"),
            )
            for item in top.items(
                "service_types", "服务类型", ("code", "name", "time_limit_days", "fee_rule", "channel"), ("required",)
            )
        ),
    )


def _read(ctx: SectionContext) -> ServiceConfig | None:
    top = ctx.top(SERVICE_FILE, SERVICE_KEYS, SERVICE_OPTIONAL)
    return _read_service(top, ctx.get(LAYOUT), ctx.get(CASEWORK), ctx.get(INDICATORS))


SERVICE: Section[ServiceConfig] = register(
    Section("service", (SERVICE_FILE,), _read, needs=(LAYOUT, CASEWORK, INDICATORS))
)
