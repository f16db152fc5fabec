"""Synthetic 陪跑 and 发展环境 data for the demo: a specialist for every firm (the park's operator
account, or the district's account for a park without one and for firms outside parks), a year of
visits with their details, planned visits for the coming weeks, and the 发展环境 questionnaire: two
closed waves of 2025 with realistic answers (each park its own level, each dimension its own lean)
whose scores and 发展环境指数 are fixed as a close fixes them, and an open wave the demo firms can answer.
Deterministic for a seed; written in bulk, as the other demo builders are.

Who calls this: the `demo` management command, after the casework and 招商 demo data and before the
indicators are computed (the index is an indicator value the evaluation of 2025 reads)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from yuanqu.casework.models import Visit
from yuanqu.core.models import User
from yuanqu.core.roles import Role
from yuanqu.registry.models import Enterprise, Park
from yuanqu.service.config import config
from yuanqu.service.models import (
    PlannedVisit,
    SpecialistAssignment,
    SurveyReceipt,
    SurveyResponse,
    SurveyWave,
    VisitDetail,
)
from yuanqu.service.services.surveys import wave_scores_fix

# (code, name, opens, closes, closed)
WAVES = (
    ("2025H1", "2025年上半年发展环境问卷", dt.date(2025, 5, 6), dt.date(2025, 5, 30), True),
    ("2025H2", "2025年下半年发展环境问卷", dt.date(2025, 10, 20), dt.date(2025, 11, 14), True),
    ("2026H2", "2026年下半年发展环境问卷", dt.date(2026, 10, 19), dt.date(2026, 12, 31), False),
)
_TOPICS = ("生产经营与订单", "用工与人才", "融资需求", "用地与厂房扩建", "用能保障", "惠企政策宣讲", "项目建设进度")
_PEOPLE = ("企业总经理", "企业副总经理、财务总监", "企业办公室主任", "企业董事长、人事经理")
_SITUATIONS = (
    "订单饱满，产能利用率较高。",
    "订单较上年有所减少，正在开拓新市场。",
    "新产线调试中，预计下季度投产。",
    "经营平稳，研发投入持续增加。",
)


@dataclass(frozen=True)
class ServiceDemoSummary:
    assignments: int
    visits: int
    plans: int
    waves: int
    responses: int


def _specialists() -> tuple[dict[int, User], dict[int, User]]:
    by_park: dict[int, User] = {}
    by_district: dict[int, User] = {}
    for user in User.objects.filter(is_active=True, role=Role.PARK_OPERATOR, park__isnull=False).order_by("username"):
        assert user.park_id is not None
        by_park.setdefault(user.park_id, user)
    for user in User.objects.filter(is_active=True, role=Role.DISTRICT, district__isnull=False).order_by("username"):
        assert user.district_id is not None
        by_district.setdefault(user.district_id, user)
    return by_park, by_district


def _answer(rng: random.Random, level: float, leans: dict[str, float], scale: int) -> dict[str, object]:
    survey = config().survey
    sheet: dict[str, object] = {}
    firm = rng.gauss(0, 0.5)
    for item in survey.items:
        if item.kind == "likert":
            value = round(level + leans[item.dimension] + firm + rng.gauss(0, 0.7))
            sheet[item.code] = max(1, min(scale, value))
        else:
            sheet[item.code] = rng.choices(item.choices, weights=range(len(item.choices), 0, -1))[0]
    return sheet


def _waves(rng: random.Random, firms: list[Enterprise], reader: User | None) -> tuple[int, int]:
    survey = config().survey
    now = timezone.now()
    levels = {park.pk: rng.uniform(3.0, 4.3) for park in Park.objects.all()}
    responses = 0
    for code, name, opens, closes, closed in WAVES:
        wave = SurveyWave.objects.create(
            code=code,
            name=name,
            opens_on=opens,
            closes_on=closes,
            status=SurveyWave.Status.CLOSED if closed else SurveyWave.Status.OPEN,
            created_at=now,
            closed_at=now if closed else None,
            synthetic=True,
        )
        if not closed:
            continue
        # The city's level moves a little from wave to wave; each dimension leans its own way.
        drift = rng.gauss(0.05, 0.1)
        leans = {dim.code: rng.gauss(0, 0.3) for dim in survey.dimensions}
        receipts: list[SurveyReceipt] = []
        sheets: list[SurveyResponse] = []
        for firm in firms:
            if rng.random() > 0.55:
                continue
            receipts.append(SurveyReceipt(wave=wave, enterprise=firm, answered_on=closes, synthetic=True))
            level = levels.get(firm.park_id, 3.4) if firm.park_id else 3.4
            answers = _answer(rng, level + drift, leans, survey.scale)
            sheets.append(SurveyResponse(wave=wave, park_id=firm.park_id, answers=answers, synthetic=True))
        # Shuffled, so the order of the anonymous sheets does not follow the receipts.
        rng.shuffle(sheets)
        SurveyReceipt.objects.bulk_create(receipts, batch_size=2000)
        SurveyResponse.objects.bulk_create(sheets, batch_size=2000)
        responses += len(sheets)
        if reader is not None:
            wave_scores_fix(wave=wave, reader=reader)
    return len(WAVES), responses


@transaction.atomic
def service_demo_generate(*, seed: int, scale: float = 1.0) -> ServiceDemoSummary:
    rng = random.Random(seed + 14)
    firms = list(Enterprise.objects.filter(synthetic=True).order_by("pk"))
    by_park, by_district = _specialists()
    now = timezone.now()
    started = dt.date(2025, 1, 2)
    assignments: list[SpecialistAssignment] = []
    specialist_of: dict[int, User] = {}
    for firm in firms:
        specialist = by_park.get(firm.park_id or 0) or by_district.get(firm.district_id)
        if specialist is None:
            continue
        specialist_of[firm.pk] = specialist
        assignments.append(
            SpecialistAssignment(
                enterprise=firm,
                specialist=specialist,
                started_on=started,
                reason="示例：按园区指派",
                assigned_by=specialist,
                created_at=now,
                synthetic=True,
            )
        )
    SpecialistAssignment.objects.bulk_create(assignments, batch_size=2000)
    visited = [firm for firm in firms if firm.pk in specialist_of and rng.random() < min(1.0, 0.25 * scale + 0.05)]
    visits: list[Visit] = []
    for firm in visited:
        for _ in range(rng.randint(1, 4)):
            day = dt.date(2025, 11, 1) + dt.timedelta(days=rng.randint(0, 360))
            visits.append(
                Visit(
                    enterprise=firm,
                    visited_by=specialist_of[firm.pk],
                    visited_on=day,
                    summary=rng.choice(_TOPICS),
                    created_at=now,
                    synthetic=True,
                )
            )
    Visit.objects.bulk_create(visits, batch_size=2000)
    details = [
        VisitDetail(visit=visit, people=rng.choice(_PEOPLE), topics=visit.summary, situation=rng.choice(_SITUATIONS))
        for visit in Visit.objects.filter(synthetic=True, detail__isnull=True).order_by("pk")
    ]
    VisitDetail.objects.bulk_create(details, batch_size=2000)
    today = timezone.localdate()
    plans = [
        PlannedVisit(
            enterprise=firm,
            specialist=specialist_of[firm.pk],
            planned_on=today + dt.timedelta(days=rng.randint(1, 28)),
            purpose=rng.choice(_TOPICS),
            created_by=specialist_of[firm.pk],
            created_at=now,
            synthetic=True,
        )
        for firm in rng.sample(visited, min(len(visited), 60))
    ]
    PlannedVisit.objects.bulk_create(plans)
    reader = User.objects.filter(is_active=True, role=Role.CITY_ADMIN).order_by("pk").first()
    waves, responses = _waves(rng, firms, reader)
    return ServiceDemoSummary(len(assignments), len(details), len(plans), waves, responses)
