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
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from yuanqu.casework.models import Visit
from yuanqu.casework.selectors import work_calendar
from yuanqu.core.models import User
from yuanqu.core.roles import Role
from yuanqu.registry.models import Enterprise, Park
from yuanqu.service import matching
from yuanqu.service.config import config
from yuanqu.service.models import (
    CompanionNote,
    CompanionProject,
    CompanionStage,
    FeePeriod,
    FeeUnit,
    ParkFee,
    ParkService,
    PlannedVisit,
    ServiceRequest,
    SpecialistAssignment,
    SurveyReceipt,
    SurveyResponse,
    SurveyWave,
    VisitDetail,
)
from yuanqu.service.services import disbursement_pay, policy_batch_confirm, visit_record
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


# (item, charging body, unit, period, low, high 元) of the demo's fee register.
_FEES = (
    ("园区综合管理费", "园区运营公司", FeeUnit.SQUARE_METRE, FeePeriod.MONTH, 1.0, 3.0),
    ("标准厂房物业费", "物业服务企业", FeeUnit.SQUARE_METRE, FeePeriod.MONTH, 2.0, 5.0),
    ("入驻服务费", "园区运营公司", FeeUnit.FIRM, FeePeriod.YEAR, 500.0, 3000.0),
    ("公共检测平台检测费", "公共检测平台", FeeUnit.ITEM, FeePeriod.ONCE, 200.0, 1500.0),
    ("污水处理费", "园区污水处理厂", FeeUnit.TON, FeePeriod.MONTH, 1.2, 2.5),
)
_BASES = (
    "武汉市物业服务收费管理办法",
    "园区入驻协议（经区发改局备案）",
    "检验检测收费标准（市场监管部门备案）",
    "武汉市污水处理费征收使用管理办法",
)
_COMPANIONS = ("智能装备生产基地", "新型显示模组产线", "生物医药中试基地", "新能源电池材料项目", "工业互联网平台项目")


@dataclass(frozen=True)
class ServiceDemoSummary:
    assignments: int
    visits: int
    plans: int
    waves: int
    responses: int
    service_lines: int = 0
    fees: int = 0
    companions: int = 0
    granted: int = 0
    needs: int = 0
    requests: int = 0


_NEEDS = (
    "希望协调解决新厂房的供电增容问题",
    "希望对接银行，解决扩产的流动资金需求",
    "希望协助招聘一批熟练技术工人",
    "希望加快办理新建项目的施工许可",
    "希望园区协调解决员工通勤班车",
)


def _needs(rng: random.Random, visited: list[Enterprise], specialist_of: dict[int, User]) -> int:
    """Fifteen visits recorded through the service, each with a need that became a 啄木鸟 case."""
    today = timezone.localdate()
    made = 0
    for firm in rng.sample(visited, min(len(visited), 15)):
        visit_record(
            actor=specialist_of[firm.pk],
            enterprise=firm,
            visited_on=today - dt.timedelta(days=rng.randint(3, 120)),
            people=rng.choice(_PEOPLE),
            topics=rng.choice(_TOPICS),
            situation=rng.choice(_SITUATIONS),
            needs=[rng.choice(_NEEDS)],
        )
        made += 1
    return made


def _service_lists(rng: random.Random, parks: list[Park], by_park: dict[int, User], now: dt.datetime) -> int:
    """Every park lists the required service types and about half of the others, within the standard."""
    lines = []
    for park in parks:
        for kind in config().service_types:
            if not kind.required and rng.random() < 0.5:
                continue
            lines.append(
                ParkService(
                    park=park,
                    service_type=kind.code,
                    provider=f"{park.name}服务中心",
                    promise=f"{kind.name}：{kind.channel}受理，按标准办理",
                    time_limit_days=max(1, kind.time_limit_days - rng.randint(0, 2)),
                    fee=kind.fee_rule,
                    contact=f"027-8{rng.randint(1000000, 9999999)}",
                    updated_by=by_park.get(park.pk),
                    updated_at=now,
                    synthetic=True,
                )
            )
    ParkService.objects.bulk_create(lines, batch_size=2000)
    return len(lines)


_REQUESTS = (
    "代办项目立项备案",
    "协助申报高新技术企业",
    "对接银行流动资金贷款",
    "协调厂房物业维修",
    "招聘一批技术工人",
    "办理用电增容",
    "产品送检",
)


def _requests(rng: random.Random, firms: list[Enterprise], by_park: dict[int, User]) -> int:
    """Firms ask for services on their park's list over the last ten weeks: each request due the
    line's promised working days later (the platform's calendar), most closed by the park, a few
    late, some still open and a few of those past their promise (the overdue cards have rows)."""
    calendar = work_calendar()
    today = timezone.localdate()
    lines: dict[int, list[ParkService]] = {}
    for line in ParkService.objects.filter(park__synthetic=True, retired_at__isnull=True).order_by("pk"):
        lines.setdefault(line.park_id, []).append(line)
    askers = [firm for firm in firms if firm.park_id in lines]
    rows = []
    for firm in rng.sample(askers, min(len(askers), 80)):
        park_id = firm.park_id
        assert park_id is not None  # the askers are in parks with a list
        line = rng.choice(lines[park_id])
        asked = today - dt.timedelta(days=rng.randint(0, 70))
        due = calendar.add_working_days(asked, line.time_limit_days).day
        at = timezone.make_aware(dt.datetime.combine(asked, dt.time(9 + rng.randint(0, 7), rng.randint(0, 59))))
        row = ServiceRequest(
            park_id=park_id,
            line=line,
            enterprise=firm,
            description=rng.choice(_REQUESTS),
            time_limit_days=line.time_limit_days,
            submitted_by=None,
            submitted_at=at,
            due_on=due,
        )
        if due < today and rng.random() < 0.85:
            done_on = min(today, due + dt.timedelta(days=rng.choice((0, 0, 0, -1, -2, 2, 5))))
            done_on = max(done_on, asked)
            row.status = ServiceRequest.Status.DONE
            row.done_at = timezone.make_aware(dt.datetime.combine(done_on, dt.time(16, 0)))
            row.done_by = by_park.get(park_id)
            row.outcome = "已按承诺办理完毕"
            row.on_time = done_on <= due
        rows.append(row)
    ServiceRequest.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _fees(rng: random.Random, parks: list[Park], by_park: dict[int, User], now: dt.datetime) -> int:
    """Two to four fees a park, amounts in 元; about one in seven without a basis (flagged for review)."""
    fees = []
    for park in parks:
        for item, body, unit, period, low, high in rng.sample(_FEES, rng.randint(2, 4)):
            based = rng.random() >= 0.15
            fees.append(
                ParkFee(
                    park=park,
                    item=item,
                    charged_by=body,
                    basis=rng.choice(_BASES) if based else "",
                    amount_yuan=Decimal(str(round(rng.uniform(low, high), 2))),
                    unit=unit,
                    period=period,
                    approval=f"武价备〔2025〕{rng.randint(10, 99)}号" if based else "",
                    created_by=by_park.get(park.pk),
                    created_at=now,
                    synthetic=True,
                )
            )
    ParkFee.objects.bulk_create(fees, batch_size=2000)
    return len(fees)


def _companions(rng: random.Random, parks: list[Park], by_park: dict[int, User], now: dt.datetime) -> int:
    """A 陪跑 project in some parks with an operator, each at its stage with a dated note for each step."""
    made = 0
    for park in [park for park in parks if park.pk in by_park][:12]:
        stage_index = rng.randint(0, len(CompanionStage) - 1)
        project = CompanionProject.objects.create(
            name=f"{park.name}{rng.choice(_COMPANIONS)}",
            park=park,
            specialist=by_park[park.pk],
            stage=list(CompanionStage)[stage_index],
            created_at=now,
        )
        CompanionNote.objects.bulk_create(
            CompanionNote(
                project=project,
                stage=stage,
                text=f"示例：进入“{stage.label}”阶段，服务专员跟进协调。",
                written_by=by_park[park.pk],
                written_at=now - dt.timedelta(days=60 * (stage_index - index)),
            )
            for index, stage in enumerate(list(CompanionStage)[: stage_index + 1])
        )
        made += 1
    return made


def _grant(firms: list[Enterprise], reader: User | None) -> int:
    """A 免申即享 list confirmed by the city for the first policy in force that some demo firms
    qualify for (at most twelve of them), half of it paid."""
    if reader is None or not firms:
        return 0
    today = timezone.localdate()
    for policy in config().policies:
        if not policy.exempt_application or not matching.is_open(policy, today):
            continue
        match = matching.policy_match(reader, policy, on=today, firms=firms)
        chosen = [row.enterprise for row in match.qualifying if row.benefit is not None][:12]
        if not chosen:
            continue
        batch = policy_batch_confirm(actor=reader, policy_code=policy.code, enterprises=chosen, note="示例批次")
        for row in list(batch.disbursements.order_by("pk"))[: len(chosen) // 2]:
            disbursement_pay(actor=reader, disbursement=row, paid_on=today)
        return len(chosen)
    return 0


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
    parks = list(Park.objects.filter(synthetic=True).order_by("code"))
    needs = _needs(rng, visited, specialist_of)
    return ServiceDemoSummary(
        len(assignments),
        len(details) + needs,
        len(plans),
        waves,
        responses,
        service_lines=_service_lists(rng, parks, by_park, now),
        fees=_fees(rng, parks, by_park, now),
        companions=_companions(rng, parks, by_park, now),
        granted=_grant(firms, reader),
        needs=needs,
        requests=_requests(rng, firms, by_park),
    )
