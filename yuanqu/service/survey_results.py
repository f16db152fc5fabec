"""发展环境 results as every page, the API and the wave close read them: per park (and the firms
outside parks), the number of answers, the response rate, item means with 95% intervals, choice
shares, dimension and survey scores, the change from the previous wave, and for a closed wave the
casework score and the 发展环境指数 fixed at its close.

Anonymity: a group with fewer answers than the pack's `min_group_size` shows its count and
“样本不足”, nothing else; a total counts only the groups that are shown, so a hidden group cannot be
found by subtracting the shown ones from it. Individual answers are never returned."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.core.models import User
from yuanqu.registry.models import Enterprise, Park
from yuanqu.service import environment
from yuanqu.service.config import config
from yuanqu.service.models import EnvironmentScore, SurveyResponse, SurveyWave
from yuanqu.service.pack import Survey

TOO_FEW = gettext_noop("样本不足")
OUTSIDE_PARKS = gettext_noop("（园区外企业）")
TOTAL = gettext_noop("合计（已显示的分组）")


@dataclass
class GroupResult:
    label: str
    park_code: str  # "" for the firms outside parks and the total
    responses: int
    firms: int
    shown: bool  # at least min_group_size answers
    items: list[environment.ItemStat] = field(default_factory=list)
    choices: list[environment.ChoiceStat] = field(default_factory=list)
    dimensions: dict[str, float | None] = field(default_factory=dict)
    survey_score: float | None = None
    previous_score: float | None = None
    casework_score: Decimal | None = None
    index: Decimal | None = None

    @property
    def response_rate(self) -> float | None:
        return self.responses / self.firms if self.firms else None

    @property
    def change(self) -> float | None:
        if self.survey_score is None or self.previous_score is None:
            return None
        return self.survey_score - self.previous_score


def score_answers(survey: Survey, answers: list[dict[str, object]]) -> GroupResult:
    """The figures of one group of answer sheets (the caller decides whether they may be shown)."""
    result = GroupResult(label="", park_code="", responses=len(answers), firms=0, shown=True)
    for item in survey.items:
        values = [sheet.get(item.code) for sheet in answers]
        if item.kind == "likert":
            numbers = [value for value in values if isinstance(value, int) and not isinstance(value, bool)]
            result.items.append(environment.item_stat(item.code, numbers, survey.scale))
        else:
            texts = [value for value in values if isinstance(value, str)]
            result.choices.append(environment.choice_stat(item.code, texts, item.choices))
    dimension_of = {item.code: item.dimension for item in survey.likert()}
    scores = environment.dimension_scores(result.items, dimension_of)
    result.dimensions = {dim.code: scores.get(dim.code) for dim in survey.dimensions}
    weights = {dim.code: dim.weight for dim in survey.dimensions}
    result.survey_score = environment.weighted(result.dimensions, weights)
    return result


def _groups(wave: SurveyWave, parks: list[Park], outside: bool) -> dict[int | None, list[dict[str, object]]]:
    groups: dict[int | None, list[dict[str, object]]] = defaultdict(list)
    ids = [park.pk for park in parks]
    rows = SurveyResponse.objects.filter(wave=wave).order_by()
    for park_id, answers in rows.values_list("park_id", "answers"):
        if park_id in ids or (park_id is None and outside):
            groups[park_id].append(answers if isinstance(answers, dict) else {})
    return groups


def _previous(wave: SurveyWave) -> SurveyWave | None:
    return SurveyWave.objects.filter(opens_on__lt=wave.opens_on).order_by("-opens_on", "-id").first()


def wave_results(user: User, wave: SurveyWave) -> tuple[list[GroupResult], GroupResult]:
    """The groups the user may see (its parks; the city also the firms outside parks) and their total."""
    cfg = config()
    minimum = cfg.min_group_size
    parks = list(Park.objects.visible_to(user).order_by("code"))
    outside = user.is_city_wide
    groups = _groups(wave, parks, outside)
    previous_wave = _previous(wave)
    previous = _groups(previous_wave, parks, outside) if previous_wave is not None else {}
    firm_counts = dict(
        Enterprise.objects.filter(park__in=parks).order_by().values_list("park_id").annotate(n=Count("pk"))
    )
    scores = {row.park_id: row for row in EnvironmentScore.objects.filter(wave=wave, park__in=parks)}
    labelled: list[tuple[int | None, str, str, int]] = [
        (park.pk, park.name, park.code, firm_counts.get(park.pk, 0)) for park in parks
    ]
    if outside:
        labelled.append((None, _(OUTSIDE_PARKS), "", Enterprise.objects.filter(park__isnull=True).count()))
    rows: list[GroupResult] = []
    shown_answers: list[dict[str, object]] = []
    shown_firms = 0
    for key, label, code, firms in labelled:
        answers = groups.get(key, [])
        if len(answers) >= minimum:
            row = score_answers(cfg.survey, answers)
            shown_answers += answers
            shown_firms += firms
            earlier = previous.get(key, [])
            if len(earlier) >= minimum:
                row.previous_score = score_answers(cfg.survey, earlier).survey_score
            stored = scores.get(key) if key is not None else None
            if stored is not None:
                row.casework_score, row.index = stored.casework_score, stored.index
        else:
            row = GroupResult(label="", park_code="", responses=len(answers), firms=0, shown=False)
        row.label, row.park_code, row.firms = label, code, firms
        rows.append(row)
    if len(shown_answers) >= minimum:
        total = score_answers(cfg.survey, shown_answers)
    else:
        total = GroupResult(label="", park_code="", responses=len(shown_answers), firms=0, shown=False)
    total.label, total.firms = _(TOTAL), shown_firms
    return rows, total
