"""Synthetic 啄木鸟 cases for the demo: a few hundred requests and park problems over 2025–2026 for the
enterprises that exist, played through the real services on a moving clock, so that every case has a
consistent timeline, deadline, audit trail and notifications — and the set holds every state: waiting
for acceptance, paused for 补正, assigned, in progress, overdue, replied, appealed, reopened, closed,
rejected and withdrawn. Deterministic for a seed and a day.

Who calls this: the demo loader (`yuanqu demo`), after the registry's demo data and the policy pack's
units. It acts as the demo's own accounts (admin, handler-<unit>, park-…, ent-…) and creates a
`cw-demo-…` account (no usable password) only where a role it needs is missing."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from yuanqu.casework import clock, services
from yuanqu.casework.models import Case, CaseKind, CaseSequence, Category, Notification, Visit
from yuanqu.casework.selectors import calendar_held
from yuanqu.casework.sweep import sweep_run
from yuanqu.core.models import User
from yuanqu.core.pack import installed_pack
from yuanqu.core.roles import Role
from yuanqu.core.workdays import WorkCalendar
from yuanqu.registry.models import Enterprise, Park, ResponsibleUnit
from yuanqu.registry.pack import LAYOUT

log = logging.getLogger(__name__)

DEMO_USER_PREFIX = "cw-demo-"
FIRST_DAY = dt.date(2025, 1, 2)
LAST_DAY = dt.date(2026, 12, 31)

# (title, description) per category code of the Wuhan pack; other codes use GENERIC.
TEMPLATES: dict[str, list[tuple[str, str]]] = {
    "consultation": [
        (
            "咨询技术改造专项资金申报条件",
            "我公司计划实施智能化改造，想了解市级技术改造专项资金的申报条件、时间和所需材料。",
        ),
        ("咨询专精特新企业认定流程", "企业拟申报市级专精特新中小企业，请告知认定标准、流程及时间安排。"),
        ("咨询园区标准厂房入驻政策", "我公司拟扩大产能，咨询园区标准厂房租金补贴及入驻条件。"),
        ("咨询研发费用加计扣除政策", "请问2025年研发费用加计扣除政策有何变化，申报需要准备哪些材料。"),
        ("咨询首台（套）装备认定", "我公司新研制的设备拟申报首台（套），请告知申报渠道和支持标准。"),
    ],
    "assistance": [
        ("厂区用电增容迟迟未落实", "新增生产线需要增容800千伏安，已向供电公司提交申请两个月，尚无明确答复，影响投产。"),
        ("园区道路破损影响货车通行", "园区内主干道路面破损严重，大型货车通行困难，请协调尽快修复。"),
        ("招聘技术工人困难", "企业急需数控技工30名，通过多种渠道招聘效果不佳，请求协助对接职业院校。"),
        ("污水管网接驳问题", "新建厂房污水管网尚未接入市政管网，影响环评验收，请求协调。"),
        ("员工通勤公交线路不足", "园区周边公交线路少、班次间隔长，员工上下班通勤困难，希望增开线路。"),
    ],
    "suggestion": [
        ("建议园区建设共享检测平台", "园区内中小企业检测需求集中，建议建设共享检验检测平台，降低企业成本。"),
        ("建议优化政策兑现流程", "政策兑现材料重复提交较多，建议推行“免申即享”，减少企业跑腿。"),
        ("建议增设园区人才公寓", "园区周边租房价格较高，建议增设人才公寓，稳定一线员工队伍。"),
    ],
    "complaint": [
        ("投诉施工许可办理超时", "我公司施工许可申请材料齐全，已超过承诺时限仍未办结，影响项目进度。"),
        ("投诉园区物业收费不合理", "园区物业公司新增多项收费，未事先公示，请核查。"),
        ("投诉窗口工作人员服务态度", "在办事窗口办理备案时，工作人员多次要求补充非必要材料，态度生硬。"),
    ],
    "report": [
        ("举报涉企违规收费", "有单位以评比达标名义向企业收取费用，涉嫌违规涉企收费。"),
        ("举报园区内企业违规排放", "园区某企业夜间排放刺鼻气体，影响周边企业员工健康。"),
    ],
    "multi_department": [
        ("项目用地、规划、环评多头协调", "新建项目涉及用地预审、规划调整和环评，需多个部门协同，请牵头协调推进。"),
        ("产业链配套项目落地协调", "上游配套企业拟在园区落地，涉及用地、用能和人才政策，需要多部门联合支持。"),
    ],
    "energy_supply": [
        ("园区变电站容量不足", "园区现有变电站负荷接近上限，多家企业新增用电需求无法满足，请求规划扩容。"),
        ("天然气管道未覆盖园区二期", "园区二期尚未通天然气，入驻企业只能使用电加热，成本较高。"),
    ],
    "human_resources": [
        ("园区企业普工缺口较大", "园区企业春节后普工缺口约500人，请求组织专场招聘会。"),
        ("技能人才培训需求", "园区企业对工业机器人运维人才需求大，希望联合职业院校开展订单式培训。"),
    ],
    "planning_adjustment": [
        ("地块容积率调整申请", "园区拟建设高标准厂房，现行规划容积率偏低，申请调整至2.0。"),
        ("工业用地性质调整", "部分地块拟由M2调整为M0新型产业用地，请求规划部门研究。"),
    ],
    "approval_acceptance": [
        ("竣工联合验收推进缓慢", "园区标准厂房项目已完工，联合验收尚未安排，影响企业入驻。"),
        ("施工许可办理卡点", "项目施工许可因图审意见反复修改，迟迟无法办理，请求协调。"),
    ],
    "financing": [
        ("园区企业流动资金贷款需求", "园区多家专精特新企业有流动资金贷款需求，请求组织银企对接。"),
    ],
    "land": [
        ("新增工业用地需求", "园区招引的重大项目需要新增工业用地约120亩，请求协调供地。"),
    ],
}
GENERIC = [("企业生产经营困难求助", "企业在生产经营中遇到困难，请求有关部门协调解决。")]
REPLIES = [
    "经协调，有关单位已明确办理时间表，将于近期完成，我们将持续跟踪。",
    "已会同相关部门现场调研，问题已解决，具体情况已电话告知企业联系人。",
    "经核实，该事项按现行政策可予支持，请按告知的材料清单办理申报。",
    "已将意见建议转交主管部门研究，纳入下一阶段工作安排。",
    "经研究，因规划条件限制暂不具备条件，已向企业说明原因并提出替代方案。",
]
LEVELS = [
    ("very_satisfied", 0.55),
    ("satisfied", 0.22),
    ("basically_satisfied", 0.11),
    ("dissatisfied", 0.08),
    ("very_dissatisfied", 0.04),
]


class _Stop(Exception):
    """The next step would happen after the demo's "now": the case stays where it is."""


@dataclass
class _Actors:
    rng: random.Random
    handlers: dict[int, User] = field(default_factory=dict)
    enterprise_users: dict[int, User | None] = field(default_factory=dict)
    park_staff: dict[int, User | None] = field(default_factory=dict)
    district_staff: dict[int, User | None] = field(default_factory=dict)
    supervisor: User | None = None
    specialist: User | None = None

    def _create(self, username: str, role: str, **scope: Any) -> User:
        user, _ = User.objects.get_or_create(
            username=f"{DEMO_USER_PREFIX}{username}", defaults={"role": role, "display_name": username, **scope}
        )
        if user.has_usable_password():
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user

    def boss(self) -> User:
        if self.supervisor is None:
            self.supervisor = User.objects.filter(role=Role.CITY_ADMIN, is_active=True).order_by(
                "pk"
            ).first() or self._create("admin", Role.CITY_ADMIN, is_staff=True)
        return self.supervisor

    def handler(self, unit: ResponsibleUnit) -> User:
        if unit.pk not in self.handlers:
            self.handlers[unit.pk] = User.objects.filter(role=Role.HANDLER, unit=unit, is_active=True).order_by(
                "pk"
            ).first() or self._create(f"handler-{unit.code}", Role.HANDLER, unit=unit)
        return self.handlers[unit.pk]

    def enterprise(self, firm: Enterprise, *, create: bool = False) -> User | None:
        found = self.enterprise_users.get(firm.pk)
        if found is None and (firm.pk not in self.enterprise_users or create):
            found = User.objects.filter(role=Role.ENTERPRISE, enterprise=firm, is_active=True).order_by("pk").first()
            if found is None and create:
                found = self._create(f"ent-{firm.pk}", Role.ENTERPRISE, enterprise=firm)
            self.enterprise_users[firm.pk] = found
        return found

    def park(self, park_id: int | None) -> User | None:
        if park_id is None:
            return None
        if park_id not in self.park_staff:
            self.park_staff[park_id] = (
                User.objects.filter(role=Role.PARK_OPERATOR, park_id=park_id, is_active=True).order_by("pk").first()
            )
        return self.park_staff[park_id]

    def district(self, district_id: int) -> User | None:
        if district_id not in self.district_staff:
            self.district_staff[district_id] = (
                User.objects.filter(role=Role.DISTRICT, district_id=district_id, is_active=True).order_by("pk").first()
            )
        return self.district_staff[district_id]


def _ensure_units(categories: list[Category]) -> None:
    """The categories' default units, from the policy pack, when the registry has not loaded them."""
    missing = {c.default_unit_code for c in categories if c.default_unit_code} - set(
        ResponsibleUnit.objects.values_list("code", flat=True)
    )
    if not missing:
        return
    names = {unit.code: unit.name for unit in installed_pack().section(LAYOUT).units}
    for code in sorted(missing):
        ResponsibleUnit.objects.get_or_create(
            code=code, defaults={"name": names.get(code, code), "kind": ResponsibleUnit.Kind.BUREAU}
        )


class _Player:
    """Plays one case's life on the clock, step by step, until its next step lies in the future."""

    def __init__(
        self,
        rng: random.Random,
        calendar: WorkCalendar,
        actors: _Actors,
        end: dt.datetime,
        units: list[ResponsibleUnit],
    ) -> None:
        self.rng, self.calendar, self.actors, self.end, self.units = rng, calendar, actors, end, units
        self.case: Case | None = None
        self.stop_status: str | None = None

    def later(self, moment: dt.datetime, working_days: int) -> dt.datetime:
        local = timezone.localtime(moment)
        day = self.calendar.add_working_days(local.date(), working_days).day if working_days else local.date()
        hour = self.rng.randint(9, 17) if working_days else min(local.hour + self.rng.randint(0, 2), 18)
        minute = self.rng.randint(0, 59)
        result = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
        return max(result, moment + dt.timedelta(minutes=5))

    def act(self, moment: dt.datetime, step: Callable[[], Any]) -> Any:
        if moment > self.end:
            raise _Stop
        with clock.frozen(moment):
            result = step()
        if self.case is not None and self.case.status == self.stop_status:
            raise _Stop
        return result

    def play(self, case: Case, fate: str, stop_status: str | None = None) -> None:
        self.case, self.stop_status = case, stop_status
        with contextlib.suppress(_Stop):
            self._play(case, fate)

    def _play(self, case: Case, fate: str) -> None:
        rng = self.rng
        t = case.submitted_at
        category = case.category
        receiver = case.receiving_unit or self.units[0]
        handler = self.actors.handler(receiver)
        firm_user = self.actors.enterprise(case.enterprise) if case.enterprise else None

        if fate == "unanswered":
            return
        t = self.later(t, 0 if rng.random() < 0.55 else (1 if rng.random() < 0.75 else rng.randint(2, 4)))
        if fate == "reject":
            self.act(
                t,
                lambda: services.case_reject(
                    actor=handler,
                    case=case,
                    version=case.version,
                    reason="经核实，该事项不属于本机制受理范围，已告知企业通过相应渠道办理。",
                ),
            )
            return
        self.act(t, lambda: services.case_accept(actor=handler, case=case, version=case.version))
        if fate == "withdraw":
            withdrawer = self.actors.enterprise(case.enterprise, create=True) if case.enterprise else None
            if withdrawer is not None:
                t = self.later(t, rng.randint(1, 3))
                self.act(
                    t,
                    lambda: services.case_withdraw(
                        actor=withdrawer, case=case, version=case.version, reason="问题已自行解决"
                    ),
                )
            return
        if fate == "no_supplement" or rng.random() < 0.15:
            t = self.later(t, 0 if category.time_limit_days <= 2 else rng.randint(0, 2))
            items = rng.sample(list(category.materials) or ["营业执照副本", "情况说明", "相关证明材料"], k=1)
            self.act(
                t, lambda: services.case_notify_missing(actor=handler, case=case, version=case.version, items=items)
            )
            if fate == "no_supplement":
                return  # the enterprise never sent the materials: paused ever since
            t = self.later(t, rng.randint(1, 5))
            supplier = firm_user or handler
            self.act(
                t,
                lambda: services.case_supplement(
                    actor=supplier, case=case, version=case.version, text="已按一次性告知补齐材料。"
                ),
            )
        lead = receiver if rng.random() < 0.9 else rng.choice(self.units)
        co = (
            [u for u in rng.sample(self.units, k=min(2, len(self.units))) if u.pk != lead.pk]
            if category.code == "multi_department"
            else []
        )
        t = self.later(t, rng.randint(0, 1))
        self.act(
            t, lambda: services.case_assign(actor=handler, case=case, version=case.version, lead_unit=lead, co_units=co)
        )
        worker = self.actors.handler(lead)
        t = self.later(t, rng.randint(0, 1))
        self.act(t, lambda: services.case_start(actor=worker, case=case, version=case.version))
        if rng.random() < 0.08 and len(self.units) > 1:
            target = rng.choice([u for u in self.units if u.pk != lead.pk])
            t = self.later(t, rng.randint(1, 2))
            self.act(
                t,
                lambda: services.case_transfer(
                    actor=worker,
                    case=case,
                    version=case.version,
                    to_unit=target,
                    reason="经研究，该事项主要职责属于转入单位。",
                ),
            )
            worker = self.actors.handler(target)
            t = self.later(t, rng.randint(0, 1))
            self.act(t, lambda: services.case_start(actor=worker, case=case, version=case.version))
        if rng.random() < 0.2:
            t = self.later(t, 1)
            self.act(
                t,
                lambda: services.case_comment(
                    actor=worker, case=case, to_enterprise=True, text="您反映的问题正在办理中，我们已与相关单位对接。"
                ),
            )
        if rng.random() < 0.06 and case.deadline is not None and timezone.localtime(t).date() < case.deadline:
            asked = max(
                t,
                self.later(timezone.make_aware(dt.datetime.combine(case.deadline, dt.time(9))), 0)
                - dt.timedelta(days=2),
            )
            approval = self.act(
                asked,
                lambda: services.case_request_extension(
                    actor=worker, case=case, days=rng.choice([3, 5, 10]), reason="需等待第三方评估结论。"
                ),
            )
            t = self.later(asked, 1)
            self.act(
                t,
                lambda: services.case_decide_approval(
                    actor=self.actors.boss(), approval=approval, version=case.version, approve=rng.random() < 0.9
                ),
            )
        if fate == "stall":
            return
        self._reply_and_rate(case, t, worker, firm_user, appeal_pending=fate == "appeal_pending")

    def _reply_time(self, case: Case, t: dt.datetime) -> dt.datetime:
        assert case.deadline is not None
        left = self.calendar.working_days_between(timezone.localtime(t).date(), case.deadline)
        if self.rng.random() < 0.12:
            return self.later(
                timezone.make_aware(dt.datetime.combine(case.deadline, dt.time(17))), self.rng.randint(1, 6)
            )
        return self.later(t, self.rng.randint(min(1, left), max(1, left)))

    def _reply_and_rate(
        self, case: Case, t: dt.datetime, worker: User, firm_user: User | None, *, appeal_pending: bool = False
    ) -> None:
        rng = self.rng
        t = self._reply_time(case, t)
        self.act(
            t, lambda: services.case_reply(actor=worker, case=case, version=case.version, text=rng.choice(REPLIES))
        )
        if not appeal_pending and rng.random() < 0.12:
            return  # never rated: the sweep closes it after ten working days
        rater = firm_user or self.actors.boss()
        level = rng.choices([code for code, _ in LEVELS], weights=[w for _, w in LEVELS])[0]
        if appeal_pending:
            level = "very_dissatisfied"
        unhappy = level in {"dissatisfied", "very_dissatisfied"}
        resolved = rng.random() < (0.15 if unhappy else 0.9)
        next_step = rng.choices(["reopen", "appeal", "close"], weights=[35, 20, 45])[0] if unhappy else "close"
        if appeal_pending:
            next_step = "appeal"
        t = self.later(t, rng.randint(1, 5))
        comment = "处理不到位，问题仍未解决。" if unhappy else rng.choice(["", "办理及时，感谢！", "沟通顺畅。"])
        self.act(
            t,
            lambda: services.case_rate(
                actor=rater,
                case=case,
                version=case.version,
                level=level,
                resolved=resolved,
                comment=comment,
                next_step=next_step,
            ),
        )
        if unhappy and rng.random() < 0.8:
            follow_at = self.later(t, rng.randint(1, 4))
            self.act(
                follow_at,
                lambda: services.case_follow_up(
                    actor=worker, case=case, note="已回访企业，说明办理情况并约定后续跟进。"
                ),
            )
        if next_step == "appeal":
            if appeal_pending:
                return  # the supervisor has not decided yet
            t = self.later(t, rng.randint(2, 5))
            upheld = rng.random() < 0.4
            self.act(
                t,
                lambda: services.case_decide_appeal(
                    actor=self.actors.boss(),
                    case=case,
                    version=case.version,
                    upheld=upheld,
                    text="经复核，责成牵头单位重新办理。" if upheld else "经复核，原办理结果符合政策规定。",
                ),
            )
            if not upheld:
                return
        elif next_step != "reopen":
            return
        t = self._reply_time(case, t)
        self.act(
            t,
            lambda: services.case_reply(
                actor=worker, case=case, version=case.version, text="重新办理：" + rng.choice(REPLIES)
            ),
        )
        t = self.later(t, rng.randint(1, 3))
        self.act(
            t,
            lambda: services.case_rate(
                actor=rater,
                case=case,
                version=case.version,
                level=rng.choice(["satisfied", "basically_satisfied"]),
                resolved=True,
                comment="重新办理后问题得到解决。",
            ),
        )


def _answers(rng: random.Random, category: Category) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in category.questions or []:
        kind = question.get("type")
        if kind == "choice" and question.get("choices"):
            answers[question["code"]] = rng.choice(question["choices"])
        elif kind == "number":
            answers[question["code"]] = rng.randint(5, 500)
        elif question.get("required"):
            answers[question["code"]] = "详见诉求内容"
    return answers


def _moment(rng: random.Random, calendar: WorkCalendar, first: dt.date, last: dt.date) -> dt.datetime:
    span = (last - first).days
    for _ in range(20):
        day = first + dt.timedelta(days=rng.randint(0, max(0, span)))
        if calendar.is_workday(day):
            break
    return timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59))))


def casework_demo_generate(*, seed: int, count: int = 300) -> int:
    """Create about `count` synthetic cases; returns how many were created."""
    rng = random.Random(seed)
    services.category_sync()
    categories = list(Category.objects.filter(active=True))
    _ensure_units(categories)
    services.category_sync()
    categories = list(Category.objects.filter(active=True).select_related("default_unit"))
    requests = [c for c in categories if c.kind == CaseKind.REQUEST]
    problems = [c for c in categories if c.kind == CaseKind.PARK_PROBLEM]
    enterprises = list(Enterprise.objects.select_related("park", "district").order_by("pk"))
    units = list(
        ResponsibleUnit.objects.filter(
            code__in=[c.default_unit_code for c in categories if c.default_unit_code]
        ).order_by("code")
    ) or list(ResponsibleUnit.objects.order_by("code")[:5])
    if not enterprises or not requests or not units:
        return 0
    actors = _Actors(rng)
    with_accounts = [firm for firm in enterprises if actors.enterprise(firm) is not None]
    parks = list(Park.objects.filter(pk__in={firm.park_id for firm in enterprises if firm.park_id}).order_by("pk"))
    end = min(clock.now(), timezone.make_aware(dt.datetime.combine(LAST_DAY, dt.time(18))))
    last_day = min(timezone.localtime(end).date(), LAST_DAY)
    created: list[Case] = []
    with transaction.atomic(), calendar_held() as calendar:
        player = _Player(rng, calendar, actors, end, units)
        moments = sorted(_moment(rng, calendar, FIRST_DAY, last_day) for _ in range(count))
        for submitted in moments:
            if submitted > end:
                continue
            age = calendar.working_days_between(submitted, end)
            if problems and rng.random() < 0.18:
                category = rng.choice(problems)
                park = rng.choice(parks) if parks else None
                firm = None
                author = (
                    (actors.park(park.pk) if park else None)
                    or (actors.district(park.district_id) if park else None)
                    or actors.boss()
                )
                channel = "phone"
            else:
                category = rng.choice(requests)
                firm = rng.choice(with_accounts) if with_accounts and rng.random() < 0.25 else rng.choice(enterprises)
                park = None
                own = actors.enterprise(firm)
                if own is not None and rng.random() < 0.7:
                    author, channel = own, "online"
                else:
                    # Entered on the firm's behalf by its park, its district or, failing both, the city.
                    author = actors.park(firm.park_id) or actors.district(firm.district_id) or actors.boss()
                    channel = rng.choice(["phone", "visit", "visit", "window", "hotline"])
            title, description = rng.choice(TEMPLATES.get(category.code, GENERIC))
            if created and rng.random() < 0.04:  # the same matter again
                earlier = rng.choice(created)
                if earlier.enterprise_id is not None and earlier.kind == CaseKind.REQUEST:
                    firm, category, park = earlier.enterprise, earlier.category, None
                    title, description = earlier.title + "（再次反映）", earlier.description
                    assert firm is not None  # the earlier case has an enterprise (checked above)
                    author = (
                        actors.enterprise(firm)
                        or actors.park(firm.park_id)
                        or actors.district(firm.district_id)
                        or actors.boss()
                    )
                    channel = "online" if author.role == Role.ENTERPRISE else "phone"
                    if submitted <= earlier.submitted_at:
                        continue
            visit = None
            if channel == "visit" and firm is not None and author.role != Role.ENTERPRISE:
                try:
                    with clock.frozen(submitted):
                        visit = services.visit_log(
                            actor=author,
                            enterprise=firm,
                            visited_on=submitted.date(),
                            summary=f"走访{firm.name}，了解生产经营情况，收集诉求：{title}。",
                        )
                    Visit.objects.filter(pk=visit.pk).update(synthetic=True)
                except (ValidationError, PermissionDenied):
                    visit = None
            try:
                with clock.frozen(submitted):
                    case = services.case_submit(
                        actor=author,
                        category=category,
                        title=title,
                        description=description,
                        enterprise=firm,
                        park=park,
                        answers=_answers(rng, category),
                        channel=channel,
                        visit=visit,
                        contact_name=rng.choice(["张经理", "李主任", "王工", "刘女士", "陈先生"]),
                        contact_phone=f"027-8{rng.randint(1000000, 9999999)}",
                    )
            except (ValidationError, PermissionDenied) as exc:
                log.info("demo case skipped: %s", exc)
                continue
            Case.objects.filter(pk=case.pk).update(synthetic=True)
            case.synthetic = True
            created.append(case)
            roll = rng.random()
            # Cases stuck at a step are recent (an office does not leave a request for a year).
            recent = 10 < age <= 45
            if 3 < age <= 30 and roll < 0.02:
                fate = "unanswered"
            elif roll < 0.06:
                fate = "reject"
            elif roll < 0.09:
                fate = "withdraw"
            elif recent and roll < 0.16:
                fate = "stall"
            elif recent and roll < 0.20:
                fate = "no_supplement"
            elif recent and roll < 0.23:
                fate = "appeal_pending"
            else:
                fate = "full"
            try:
                player.play(case, fate)
            except (ValidationError, PermissionDenied) as exc:
                log.info("demo case %s stopped early: %s", case.number, exc)
        created += _fill_missing_states(player, rng, requests, with_accounts or enterprises, end)
        with clock.frozen(end):
            sweep_run()
        # What is older than two weeks has been read.
        Notification.objects.filter(case__synthetic=True, created_at__lt=end - dt.timedelta(days=14)).update(
            read_at=end
        )
    return len(created)


FATE_FOR = {
    Case.Status.SUBMITTED: ("unanswered", None),
    Case.Status.REJECTED: ("reject", None),
    Case.Status.WITHDRAWN: ("withdraw", None),
    Case.Status.AWAITING_SUPPLEMENT: ("no_supplement", None),
    Case.Status.APPEALED: ("appeal_pending", None),
    Case.Status.CLOSED: ("full", None),
    Case.Status.ACCEPTED: ("full", Case.Status.ACCEPTED),
    Case.Status.ASSIGNED: ("full", Case.Status.ASSIGNED),
    Case.Status.IN_PROGRESS: ("stall", None),
    Case.Status.REPLIED: ("full", Case.Status.REPLIED),
}


def _fill_missing_states(
    player: _Player, rng: random.Random, categories: list[Category], firms: list[Enterprise], end: dt.datetime
) -> list[Case]:
    """A few recent cases for any state the random draw left empty, so the demo shows every state."""
    made: list[Case] = []
    for status, (fate, stop) in FATE_FOR.items():
        for attempt in range(4):
            if Case.objects.filter(synthetic=True, status=status).exists():
                break
            firm = rng.choice(firms)
            author = player.actors.enterprise(firm, create=True)
            assert author is not None
            back = player.calendar.previous_workday(timezone.localtime(end).date())
            for _ in range(3 + attempt * 4):
                back = player.calendar.previous_workday(back)
            submitted = timezone.make_aware(dt.datetime.combine(back, dt.time(10)))
            category = rng.choice(categories)
            title, description = rng.choice(TEMPLATES.get(category.code, GENERIC))
            try:
                with clock.frozen(submitted):
                    case = services.case_submit(
                        actor=author,
                        category=category,
                        title=f"{title}（近期）",
                        description=description,
                        answers=_answers(rng, category),
                    )
                Case.objects.filter(pk=case.pk).update(synthetic=True)
                made.append(case)
                player.play(case, fate, stop_status=stop)
            except (ValidationError, PermissionDenied) as exc:
                log.info("demo state %s not reached: %s", status, exc)
    return made


@transaction.atomic
def casework_demo_clear() -> int:
    """Remove the synthetic cases and visits, and the `cw-demo-` accounts (run before the registry's
    demo data is cleared: cases protect their enterprises)."""
    cases = Case.objects.filter(synthetic=True)
    count = cases.count()
    cases.delete()
    for sequence in CaseSequence.objects.all():  # number again from where the remaining cases end
        numbers = Case.objects.filter(number__startswith=f"ZMN-{sequence.year}-").values_list("number", flat=True)
        sequence.last = max((int(number.rsplit("-", 1)[1]) for number in numbers), default=0)
        sequence.save(update_fields=["last"])
    Visit.objects.filter(synthetic=True).delete()
    User.objects.filter(username__startswith=DEMO_USER_PREFIX).delete()
    return count
