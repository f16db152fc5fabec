"""发展环境动态评估: the city opens a wave of the pack's questionnaire, each firm answers it once in the
portal, and the city closes it, which fixes each park's scores and writes the 发展环境指数 as the park's
year value of the pack's indicator (read by the evaluation like any other indicator).

An answer is kept as two rows that nothing links: a receipt (this firm answered this wave) and the
anonymous sheet (park and answers). The audit log records the receipt, never the answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.casework import clock
from yuanqu.casework.selectors import CaseFilters
from yuanqu.casework.stats import case_statistics
from yuanqu.core.audit import audit_record, snapshot
from yuanqu.core.models import AuditLog, User
from yuanqu.core.permissions import CITY_ADMIN_ROLES, WriteDenied, is_city_admin, is_enterprise_user, write_gate
from yuanqu.core.writes import create_audited
from yuanqu.indicators.services import indicator_park_values_supply
from yuanqu.registry.models import Enterprise, Park
from yuanqu.service import environment
from yuanqu.service.config import config
from yuanqu.service.models import EnvironmentScore, SurveyReceipt, SurveyResponse, SurveyWave
from yuanqu.service.survey_results import score_answers

WAVE_ROLES = CITY_ADMIN_ROLES
WAVE_NOT_ALLOWED = gettext_noop("只有市级管理员可以发起或结束问卷期次")
ANSWER_NOT_ALLOWED = gettext_noop("只有企业用户可以填写发展环境问卷")
WAVE_EXISTS = gettext_noop("问卷期次代码“%(code)s”已存在")
WAVE_RANGE = gettext_noop("结束日期不能早于开始日期")
WAVE_NOT_OPEN = gettext_noop("该问卷期次不在答卷时间内（%(opens)s 至 %(closes)s）或已结束")
WAVE_CLOSED = gettext_noop("该问卷期次已结束")
ALREADY_ANSWERED = gettext_noop("本企业已填写过该期问卷，每期只能填写一次")
ANSWER_MISSING = gettext_noop("请回答第%(number)s题“%(text)s”")
ANSWER_SCALE = gettext_noop("第%(number)s题“%(text)s”的评分应为1至%(scale)s的整数")
ANSWER_CHOICE = gettext_noop("第%(number)s题“%(text)s”的答案应为以下之一：%(choices)s")
ANSWER_UNKNOWN = gettext_noop("问卷中没有题目“%(code)s”")


_check_city = write_gate(is_city_admin, WAVE_NOT_ALLOWED, "survey_not_allowed")


@transaction.atomic
def survey_wave_open(*, actor: User, code: str, name: str, opens_on: dt.date, closes_on: dt.date) -> SurveyWave:
    _check_city(actor)
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _(WAVE_RANGE)})
    if SurveyWave.objects.filter(code=code).exists():
        raise ValidationError({"code": _(WAVE_EXISTS) % {"code": code[:32]}})
    wave = SurveyWave(
        code=code, name=name, opens_on=opens_on, closes_on=closes_on, created_by=actor, created_at=clock.now()
    )
    return create_audited(actor=actor, row=wave, detail="发展环境问卷：发起")


def clean_answers(answers: Mapping[str, object]) -> dict[str, object]:
    """The sheet as the pack's questionnaire asks it: every item answered, a score 1..scale or one of
    the choices; refused naming the item otherwise."""
    survey = config().survey
    known = {item.code for item in survey.items}
    for code in answers:
        if code not in known:
            raise ValidationError({"answers": _(ANSWER_UNKNOWN) % {"code": str(code)[:64]}})
    sheet: dict[str, object] = {}
    for number, item in enumerate(survey.items, start=1):
        value = answers.get(item.code)
        names = {"number": number, "text": item.text}
        if value is None or value == "":
            raise ValidationError({"answers": _(ANSWER_MISSING) % names})
        if item.kind == "likert":
            if isinstance(value, str) and value.strip().isdigit():
                value = int(value.strip())
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= survey.scale:
                raise ValidationError({"answers": _(ANSWER_SCALE) % {**names, "scale": survey.scale}})
        elif value not in item.choices:
            raise ValidationError({"answers": _(ANSWER_CHOICE) % {**names, "choices": "、".join(item.choices)}})
        sheet[item.code] = value
    return sheet


@transaction.atomic
def survey_answer(*, actor: User, wave: SurveyWave, answers: Mapping[str, object]) -> SurveyReceipt:
    """The actor's firm answers the wave once; the sheet is stored without the firm."""
    if not is_enterprise_user(actor) or actor.enterprise_id is None:
        raise WriteDenied(_(ANSWER_NOT_ALLOWED), code="survey_answer_not_allowed")
    today = clock.today()
    if wave.status != SurveyWave.Status.OPEN or not wave.opens_on <= today <= wave.closes_on:
        raise ValidationError({"wave": _(WAVE_NOT_OPEN) % {"opens": wave.opens_on, "closes": wave.closes_on}})
    sheet = clean_answers(answers)
    firm = Enterprise.objects.get(pk=actor.enterprise_id)
    if SurveyReceipt.objects.filter(wave=wave, enterprise=firm).exists():
        raise ValidationError({"wave": _(ALREADY_ANSWERED)})
    receipt = SurveyReceipt(wave=wave, enterprise=firm, answered_on=today)
    try:
        with transaction.atomic():
            receipt.save()
    except IntegrityError:
        raise ValidationError({"wave": _(ALREADY_ANSWERED)}) from None
    SurveyResponse.objects.create(wave=wave, park_id=firm.park_id, answers=sheet)
    audit_record(
        actor=actor, action=AuditLog.Action.CREATE, obj=receipt, after=snapshot(receipt), detail="发展环境问卷：答卷"
    )
    return receipt


def _casework_rates(actor: User, year: int) -> dict[int, dict[str, float | None]]:
    """The 三率 of each park's cases submitted in the year, by park id."""
    rows, _total = case_statistics(actor, by="park", filters=CaseFilters(year=str(year)))
    return {
        row.key: {
            "response_rate": row.response_rate,
            "on_time_rate": row.on_time_rate,
            "resolution_rate": row.resolution_rate,
            "satisfaction_rate": row.satisfaction_rate,
        }
        for row in rows
    }


def _money(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 2)))


@transaction.atomic
def survey_wave_close(*, actor: User, wave: SurveyWave) -> list[EnvironmentScore]:
    """Close the wave: each park's answers are scored, its casework 三率 of the wave's closing year
    weighed in, the result kept, and the index written as the park's year value of the pack's
    indicator (none for a park below the minimum group size)."""
    _check_city(actor)
    updated = SurveyWave.objects.filter(pk=wave.pk, status=SurveyWave.Status.OPEN).update(
        status=SurveyWave.Status.CLOSED, closed_at=clock.now()
    )
    if updated != 1:
        raise ValidationError({"wave": _(WAVE_CLOSED)})
    wave.refresh_from_db()
    scores = wave_scores_fix(wave=wave, reader=actor)
    audit_record(
        actor=actor,
        action=AuditLog.Action.UPDATE,
        obj=wave,
        after=snapshot(wave),
        detail=f"发展环境问卷：结束，{sum(1 for s in scores if s.index is not None)}个园区计入发展环境指数",
    )
    return scores


def wave_scores_fix(*, wave: SurveyWave, reader: User) -> list[EnvironmentScore]:
    """Score a closed wave park by park and write the index values (the close above, and the demo
    builder for its closed waves). `reader` is a city-wide user: the casework 三率 are read as it
    sees them."""
    cfg = config()
    method = cfg.environment_index
    year = wave.closes_on.year
    rates = _casework_rates(reader, year)
    sheets: dict[int, list[dict[str, object]]] = {}
    for park_id, answers in SurveyResponse.objects.filter(wave=wave, park__isnull=False).values_list(
        "park_id", "answers"
    ):
        sheets.setdefault(park_id, []).append(answers if isinstance(answers, dict) else {})
    firm_counts = dict(
        Enterprise.objects.filter(park__isnull=False).order_by().values_list("park_id").annotate(Count("pk"))
    )
    scores: list[EnvironmentScore] = []
    values: dict[str, Decimal | None] = {}
    EnvironmentScore.objects.filter(wave=wave).delete()
    for park in Park.objects.order_by("code"):
        answers = sheets.get(park.pk, [])
        firms = firm_counts.get(park.pk, 0)
        if not answers and not firms:
            continue
        survey_score = casework = index = None
        dimensions: dict[str, float | None] = {}
        if len(answers) >= cfg.min_group_size:
            result = score_answers(cfg.survey, answers)
            survey_score, dimensions = result.survey_score, result.dimensions
            casework = environment.casework_score(rates.get(park.pk, {}), method.casework_rates)
            index = environment.environment_index(
                survey_score, casework, survey_weight=method.survey_weight, casework_weight=method.casework_weight
            )
        scores.append(
            EnvironmentScore(
                wave=wave,
                park=park,
                responses=len(answers),
                firms=firms,
                survey_score=_money(survey_score),
                casework_score=_money(casework),
                index=_money(index),
                dimensions={key: (None if value is None else round(value, 2)) for key, value in dimensions.items()},
            )
        )
        if index is not None:
            values[park.code] = _money(index)
    EnvironmentScore.objects.bulk_create(scores)
    if method.indicator and values:
        indicator_park_values_supply(indicator=method.indicator, period=dt.date(year, 12, 31), values=values)
    return scores
