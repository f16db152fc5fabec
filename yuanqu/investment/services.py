"""Writes of 精准招商: register a project (finding 首谈/首报 conflicts), move it along its stages with
dated evidence, terminate it, link it to its registered enterprise, arbitrate a conflict, reserve and
release a 载体, confirm a 载体's data, and the stagnation notices.

Every service is keyword-only, atomic, checks the actor's right (a forbidden write raises
`WriteDenied`, 403) and the rules of the pack (a broken rule raises ValidationError with one of the
message constants below, 422), and writes an audit entry. A project changed since the caller read it
is refused with `Conflict` (409), nothing written.

Who calls this: the pages (`views.py`), the API (`api.py`), the demo builder and the management
command `investment_stagnation` (through `projects_stagnation_notify`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yuanqu.core.attachments import Upload, attachments_check, attachments_store
from yuanqu.core.audit import audit_record, snapshot
from yuanqu.core.contract.errors import Conflict
from yuanqu.core.models import AuditLog, User
from yuanqu.core.permissions import WriteDenied, is_city_admin, may_place, may_register_investment, role_of
from yuanqu.core.roles import Role
from yuanqu.core.uscc import is_valid as uscc_is_valid
from yuanqu.core.writes import audit_change, create_audited, save_audited
from yuanqu.investment import figures
from yuanqu.investment.matching import LibraryEntry, LibraryIndex, investor_key
from yuanqu.investment.models import (
    PIPELINE,
    Candidate,
    ClaimConflict,
    Evidence,
    PlanItem,
    Project,
    ProjectSequence,
    Site,
    SiteReservation,
    Stage,
    StageChange,
    SupplyLink,
)
from yuanqu.investment.rules import rules
from yuanqu.notifications.services import kinds_register, notification_send
from yuanqu.registry.models import ChainNode, District, Enterprise, Park

# ── messages (tests assert on these) ─────────────────────────────────────────────────────────

ERR_ROLE = gettext_noop("您的角色无权登记或修改招商项目")
ERR_OUT_OF_SCOPE = gettext_noop("超出您的权限范围：只能在本区或本园区登记招商项目")
ERR_PARK_DISTRICT = gettext_noop("园区“%(park)s”不属于%(district)s")
ERR_SOURCE = gettext_noop("招商方式“%(source)s”不在政策包的项目来源中")
ERR_USCC = gettext_noop("投资方统一社会信用代码“%(uscc)s”无效")
ERR_NAME = gettext_noop("请填写%(field)s")
ERR_FUTURE = gettext_noop("%(field)s不能晚于今天")
ERR_STALE = gettext_noop("该项目刚被其他人更新，您的操作未保存。请刷新页面后再操作。")
ERR_TRANSITION = gettext_noop("项目当前阶段为“%(source)s”，不能变更为“%(target)s”")
ERR_TRANSITION_ROLE = gettext_noop("您的角色（%(role)s）不能把项目从“%(source)s”变更为“%(target)s”")
ERR_BEFORE_STAGE = gettext_noop("变更日期不能早于进入当前阶段的日期（%(since)s）")
ERR_EVIDENCE = gettext_noop("从“%(source)s”变更为“%(target)s”须上传佐证材料：%(label)s")
ERR_EVIDENCE_COUNT = gettext_noop("每次阶段变更最多上传%(count)s个文件")
ERR_CONFLICT_OPEN = gettext_noop("该项目存在待市投促局裁决的首谈首报冲突，裁决前不能签约或推进到签约之后的阶段")
ERR_NEEDS_ENTERPRISE = gettext_noop("项目投产时须关联在库的落地企业（统一社会信用代码）")
ERR_ENTERPRISE_PLACE = gettext_noop("落地企业“%(name)s”不在项目所在区")
ERR_FINISHED = gettext_noop("项目已%(stage)s，不能再变更")
ERR_REASON = gettext_noop("终止项目须写明原因")
ERR_TERMINATE_ROLE = gettext_noop("您的角色（%(role)s）不能终止项目")
ERR_ARBITRATION_ROLE = gettext_noop("首谈首报冲突由市投促局（市级管理员）裁决")
ERR_ARBITRATION_DONE = gettext_noop("该冲突已经裁决，不能重复处理")
ERR_LINK_STAGE = gettext_noop("项目投产后才能关联落地企业")
ERR_RESERVED = gettext_noop("载体“%(site)s”已为其他项目预留至%(until)s")
ERR_PROJECT_HAS_RESERVATION = gettext_noop("项目已预留载体“%(site)s”，请先释放后再预留其他载体")
ERR_RESERVE_STAGE = gettext_noop("项目已%(stage)s，不能预留载体")
ERR_RESERVE_PLACE = gettext_noop("只能预留本区或本园区的载体")
ERR_RELEASE_NONE = gettext_noop("该载体当前没有预留")

DECIDED_REASON = gettext_noop("首谈首报裁决：项目归另一方登记的项目")
MAX_EVIDENCE_PER_CHANGE = 10
NOTE_LIMIT = 300
KIND_STAGNANT = "investment.stagnant"
KIND_STAGNANT_ESCALATED = "investment.stagnant_escalated"
KIND_CONFLICT = "investment.conflict"
kinds_register(
    {
        KIND_STAGNANT: "招商项目停滞提醒",
        KIND_STAGNANT_ESCALATED: "招商项目停滞上报",
        KIND_CONFLICT: "首谈首报冲突",
    }
)


def _audit_fields(*, actor: User, row: Project | Site, before: dict[str, object], detail: str) -> None:
    """Audit a change of the fields named in `before` (with their values then) to their values now."""
    after = {name: getattr(row, name) for name in before}
    audit_record(actor=actor, action=AuditLog.Action.UPDATE, obj=row, before=before, after=after, detail=detail)


def _today() -> dt.date:
    return timezone.localdate()


def _role_code(user: User) -> str:
    """The role a pack rule names: the system administrator acts as the city administrator."""
    role = role_of(user)
    if role == Role.SYSADMIN:
        return Role.CITY_ADMIN.value
    return role.value if role is not None else ""


def _role_label(user: User) -> str:
    role = role_of(user)
    return str(role.label) if role is not None else "未登录"


def _stage_label(code: str) -> str:
    return str(Stage(code).label)


def _check_writer(actor: User, *, district_id: int | None, park_id: int | None) -> None:
    if not may_register_investment(actor):
        raise WriteDenied(_(ERR_ROLE), code="no_write")
    if not may_place(actor, district_id=district_id, park_id=park_id):
        raise WriteDenied(_(ERR_OUT_OF_SCOPE), code="out_of_scope")


def _check_visible(actor: User, project: Project) -> None:
    """A write on a project needs it in the actor's scope (callers got it through `visible_to`; the
    services check again so that no caller can skip it)."""
    _check_writer(actor, district_id=project.district_id, park_id=project.park_id)


def _next_number(year: int) -> str:
    sequence, _created = ProjectSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"ZS-{year}-{sequence.last:05d}"


def _save(project: Project, *, version: int, changes: dict[str, object]) -> None:
    """Apply `changes` if the project is still at `version`; otherwise write nothing (409)."""
    count = Project.objects.filter(pk=project.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes
    )
    if count != 1:
        raise Conflict(_(ERR_STALE))
    for name, value in changes.items():
        setattr(project, name, value)
    project.version = version + 1


# ── projects ─────────────────────────────────────────────────────────────────────────────────


@transaction.atomic
def project_create(
    *,
    actor: User,
    name: str,
    investor_name: str,
    investor_uscc: str = "",
    district: District,
    park: Park | None = None,
    chain_node: ChainNode | None = None,
    source: str,
    planned_investment: Decimal | None = None,
    fixed_asset_investment: Decimal | None = None,
    expected_output: Decimal | None = None,
    expected_tax: Decimal | None = None,
    land_need_mu: Decimal | None = None,
    floor_need_m2: int | None = None,
    jobs: int | None = None,
    registered_on: dt.date | None = None,
    owner: User | None = None,
    candidate: Candidate | None = None,
    synthetic: bool = False,
) -> Project:
    """Register a project at 线索 (opened from a target-library `candidate` when given: its credit
    code stands for the investor's when none is typed). The first district to register an investor
    owns it (首谈/首报): a project in another district for the same investor (credit code, or else
    normalised name) that is still open raises a `ClaimConflict` for the city to decide; both districts are told."""
    _check_writer(actor, district_id=district.pk, park_id=park.pk if park is not None else None)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _(ERR_NAME) % {"field": "项目名称"}
    if not investor_name.strip():
        errors["investor_name"] = _(ERR_NAME) % {"field": "投资方"}
    uscc = investor_uscc.strip().upper() or (candidate.uscc if candidate is not None else "")
    if uscc and not uscc_is_valid(uscc):
        errors["investor_uscc"] = _(ERR_USCC) % {"uscc": uscc}
    if park is not None and park.district_id != district.pk:
        errors["park"] = _(ERR_PARK_DISTRICT) % {"park": park.name, "district": district.name}
    if source not in {item.code for item in rules().sources}:
        errors["source"] = _(ERR_SOURCE) % {"source": source}
    on = registered_on or _today()
    if on > _today():
        errors["registered_on"] = _(ERR_FUTURE) % {"field": "登记日期"}
    if errors:
        raise ValidationError(errors)
    project = Project(
        number=_next_number(on.year),
        name=name.strip(),
        investor_name=investor_name.strip(),
        investor_uscc=uscc,
        investor_key=investor_key(investor_name),
        chain_node=chain_node,
        candidate=candidate,
        planned_investment=planned_investment,
        fixed_asset_investment=fixed_asset_investment,
        expected_output=expected_output,
        expected_tax=expected_tax,
        land_need_mu=land_need_mu,
        floor_need_m2=floor_need_m2,
        jobs=jobs,
        source=source,
        district=district,
        park=park,
        owner=owner or actor,
        stage=Stage.LEAD,
        stage_since=on,
        registered_on=on,
        synthetic=synthetic,
    )
    project.full_clean()
    project.save()
    StageChange.objects.create(project=project, from_stage="", to_stage=Stage.LEAD, on=on, actor=actor, note="登记")
    audit_record(
        actor=actor, action=AuditLog.Action.CREATE, obj=project, after=snapshot(project), detail="登记招商项目"
    )
    _find_conflicts(actor=actor, project=project)
    return project


def _find_conflicts(*, actor: User, project: Project) -> list[ClaimConflict]:
    same = Q(investor_key=project.investor_key)
    if project.investor_uscc:
        same = Q(investor_uscc=project.investor_uscc) | (Q(investor_uscc="") & same)
    earlier = (
        Project.objects.filter(same)
        .exclude(district_id=project.district_id)
        .exclude(pk=project.pk)
        .exclude(stage=Stage.TERMINATED)
        .order_by("registered_on", "id")
    )
    found = []
    for other in earlier:
        by = (
            ClaimConflict.MatchedBy.USCC
            if project.investor_uscc and other.investor_uscc == project.investor_uscc
            else ClaimConflict.MatchedBy.NAME
        )
        conflict = ClaimConflict.objects.create(first=other, second=project, matched_by=by)
        audit_record(
            actor=actor,
            action=AuditLog.Action.CREATE,
            obj=conflict,
            after=snapshot(conflict),
            detail="发现首谈首报冲突",
        )
        found.append(conflict)
    if found:
        from yuanqu.core.models import User as Member

        city = Member.objects.filter(role=Role.CITY_ADMIN, is_active=True)
        notification_send(
            recipients=[*city, project.owner, *(c.first.owner for c in found)],
            kind=KIND_CONFLICT,
            title=f"首谈首报冲突待裁决：{project.number}",
            body="同一投资方已由其他区登记，待市投促局裁决；裁决前双方均不能查看对方项目详情。",
            exclude=actor,
        )
    return found


def open_conflicts(project: Project) -> list[ClaimConflict]:
    return list(ClaimConflict.objects.filter(Q(first=project) | Q(second=project), status=ClaimConflict.Status.OPEN))


@transaction.atomic
def project_advance(
    *,
    actor: User,
    project: Project,
    to_stage: str,
    on: dt.date,
    version: int,
    note: str = "",
    files: Sequence[Upload] = (),
    enterprise: Enterprise | None = None,
    evidence_reference: str = "",
    refresh_figures: bool = True,
) -> StageChange:
    """Move a project to a later stage, as the pack allows and for the roles it names, on a date no
    earlier than the current stage's and no later than today, with the evidence the pack asks for.
    投产 links the project to its registered enterprise.

    A register's stage history (the project import) names its evidence instead of uploading it:
    `evidence_reference` (the documents' names or numbers) stands for the files and is kept in the
    move's note. An import refreshes the 招商 figures once at its end (`refresh_figures=False`)."""
    _check_visible(actor, project)
    config = rules()
    source = project.stage
    if source in (Stage.TERMINATED, Stage.FULL):
        raise ValidationError({"to_stage": _(ERR_FINISHED) % {"stage": _stage_label(source)}})
    transition = config.transition(source, to_stage)
    if transition is None:
        target_label = _stage_label(to_stage) if to_stage in Stage.values else to_stage
        raise ValidationError(
            {"to_stage": _(ERR_TRANSITION) % {"source": _stage_label(source), "target": target_label}}
        )
    if _role_code(actor) not in transition.roles:
        raise WriteDenied(
            _(ERR_TRANSITION_ROLE)
            % {"role": _role_label(actor), "source": _stage_label(source), "target": _stage_label(to_stage)},
            code="transition_role",
        )
    if on > _today():
        raise ValidationError({"on": _(ERR_FUTURE) % {"field": "变更日期"}})
    if on < project.stage_since:
        raise ValidationError({"on": _(ERR_BEFORE_STAGE) % {"since": project.stage_since.isoformat()}})
    if PIPELINE.index(Stage(to_stage)) >= PIPELINE.index(Stage.SIGNED) and open_conflicts(project):
        raise ValidationError({"to_stage": _(ERR_CONFLICT_OPEN)})
    reference = evidence_reference.strip()
    if transition.evidence_required and not files and not reference:
        raise ValidationError(
            {
                "files": _(ERR_EVIDENCE)
                % {"source": _stage_label(source), "target": _stage_label(to_stage), "label": transition.evidence_label}
            }
        )
    checked = attachments_check(
        files,
        existing=0,
        most=MAX_EVIDENCE_PER_CHANGE,
        too_many=_(ERR_EVIDENCE_COUNT) % {"count": MAX_EVIDENCE_PER_CHANGE},
    )
    changes: dict[str, object] = {
        "stage": to_stage,
        "stage_since": on,
        "stagnation_notified_on": None,
        "stagnation_escalated_on": None,
    }
    if to_stage == Stage.PRODUCING:
        if enterprise is None:
            raise ValidationError({"enterprise": _(ERR_NEEDS_ENTERPRISE)})
        if enterprise.district_id != project.district_id:
            raise ValidationError({"enterprise": _(ERR_ENTERPRISE_PLACE) % {"name": enterprise.name}})
        changes["enterprise"] = enterprise
    date_field = {
        Stage.SIGNED: "signed_on",
        Stage.STARTED: "started_on",
        Stage.PRODUCING: "producing_on",
        Stage.FULL: "full_on",
    }.get(Stage(to_stage))
    if date_field is not None:
        changes[date_field] = on
    before = snapshot(project)
    _save(project, version=version, changes=changes)
    text = "；".join(part for part in (note.strip(), f"佐证材料：{reference}" if reference else "") if part)
    change = StageChange.objects.create(
        project=project, from_stage=source, to_stage=to_stage, on=on, actor=actor, note=text[:NOTE_LIMIT]
    )
    attachments_store(Evidence, files, checked, actor=actor, change=change)
    audit_record(
        actor=actor,
        action=AuditLog.Action.UPDATE,
        obj=project,
        before={key: before.get(key) for key in ("stage", "stage_since")},
        after={
            "stage": to_stage,
            "stage_since": on.isoformat(),
            "evidence": [f.name for f in checked] or ([reference] if reference else []),
        },
        detail=f"项目阶段：{_stage_label(source)} → {_stage_label(to_stage)}",
    )
    if date_field is not None and refresh_figures:
        figures.refresh(*figures.STAGE_CODES, figures.DELIVERY_RATE)
    return change


@transaction.atomic
def project_terminate(*, actor: User, project: Project, on: dt.date, reason: str, version: int) -> StageChange:
    """终止 at any stage, with a reason."""
    _check_visible(actor, project)
    if _role_code(actor) not in rules().terminate_roles:
        raise WriteDenied(_(ERR_TERMINATE_ROLE) % {"role": _role_label(actor)}, code="terminate_role")
    if project.stage in (Stage.TERMINATED, Stage.FULL):
        raise ValidationError({"reason": _(ERR_FINISHED) % {"stage": _stage_label(project.stage)}})
    if not reason.strip():
        raise ValidationError({"reason": _(ERR_REASON)})
    if on > _today():
        raise ValidationError({"on": _(ERR_FUTURE) % {"field": "终止日期"}})
    if on < project.stage_since:
        raise ValidationError({"on": _(ERR_BEFORE_STAGE) % {"since": project.stage_since.isoformat()}})
    return _terminate(actor=actor, project=project, on=on, reason=reason.strip()[:NOTE_LIMIT], version=version)


def _terminate(*, actor: User, project: Project, on: dt.date, reason: str, version: int) -> StageChange:
    source = project.stage
    _save(project, version=version, changes={"stage": Stage.TERMINATED, "stage_since": on, "terminated_reason": reason})
    SiteReservation.objects.filter(project=project, released_at__isnull=True).update(released_at=timezone.now())
    change = StageChange.objects.create(
        project=project, from_stage=source, to_stage=Stage.TERMINATED, on=on, actor=actor, note=reason
    )
    audit_record(
        actor=actor,
        action=AuditLog.Action.UPDATE,
        obj=project,
        before={"stage": source},
        after={"stage": Stage.TERMINATED.value, "terminated_reason": reason},
        detail="终止招商项目",
    )
    return change


@transaction.atomic
def project_link_enterprise(*, actor: User, project: Project, enterprise: Enterprise, version: int) -> Project:
    """Correct the registered enterprise a producing project became."""
    _check_visible(actor, project)
    if project.stage not in (Stage.PRODUCING, Stage.FULL):
        raise ValidationError({"enterprise": _(ERR_LINK_STAGE)})
    if enterprise.district_id != project.district_id:
        raise ValidationError({"enterprise": _(ERR_ENTERPRISE_PLACE) % {"name": enterprise.name}})
    before = project.enterprise_id
    _save(project, version=version, changes={"enterprise": enterprise})
    _audit_fields(actor=actor, row=project, before={"enterprise_id": before}, detail="关联落地企业")
    figures.refresh(figures.DELIVERY_RATE)
    return project


# ── 首谈/首报 arbitration ─────────────────────────────────────────────────────────────────────


@transaction.atomic
def conflict_decide(*, actor: User, conflict: ClaimConflict, outcome: str, note: str) -> ClaimConflict:
    """The city's decision: the project belongs to the first or the second registration (the other
    is terminated with the decision as its reason), or the two are distinct projects."""
    if not is_city_admin(actor):
        raise WriteDenied(_(ERR_ARBITRATION_ROLE), code="arbitration_role")
    locked = ClaimConflict.objects.select_for_update().get(pk=conflict.pk)
    if locked.status != ClaimConflict.Status.OPEN:
        raise ValidationError({"outcome": _(ERR_ARBITRATION_DONE)})
    if outcome not in ClaimConflict.Outcome.values:
        raise ValidationError({"outcome": _(ERR_TRANSITION) % {"source": "待裁决", "target": outcome}})
    if not note.strip():
        raise ValidationError({"note": _(ERR_REASON)})
    before = snapshot(locked)
    locked.status = ClaimConflict.Status.DECIDED
    locked.outcome = outcome
    locked.decision_note = note.strip()[:500]
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.full_clean()
    locked.save()
    loser = {ClaimConflict.Outcome.FIRST: locked.second, ClaimConflict.Outcome.SECOND: locked.first}.get(
        ClaimConflict.Outcome(outcome)
    )
    if loser is not None and loser.stage != Stage.TERMINATED:
        loser.refresh_from_db()
        _terminate(
            actor=actor,
            project=loser,
            on=max(_today(), loser.stage_since),
            reason=_(DECIDED_REASON),
            version=loser.version,
        )
    audit_change(actor=actor, row=locked, before=before, detail="首谈首报裁决")
    notification_send(
        recipients=[locked.first.owner, locked.second.owner],
        kind=KIND_CONFLICT,
        title=f"首谈首报冲突已裁决：{locked.get_outcome_display()}",
        body=locked.decision_note,
        exclude=actor,
    )
    return locked


# ── 载体 ──────────────────────────────────────────────────────────────────────────────────────


def _check_site_place(actor: User, site: Site) -> None:
    if not may_register_investment(actor):
        raise WriteDenied(_(ERR_ROLE), code="no_write")
    if not may_place(actor, district_id=site.district_id, park_id=site.park_id):
        raise WriteDenied(_(ERR_RESERVE_PLACE), code="out_of_scope")


@transaction.atomic
def site_reserve(*, actor: User, site: Site, project: Project, on: dt.date | None = None) -> SiteReservation:
    """Hold a site for a project for the pack's reservation period: one holding reservation per site
    and per project; an expired one is released first."""
    _check_visible(actor, project)
    _check_site_place(actor, site)
    today = on or _today()
    if project.stage in (Stage.TERMINATED, Stage.FULL):
        raise ValidationError({"project": _(ERR_RESERVE_STAGE) % {"stage": _stage_label(project.stage)}})
    Site.objects.select_for_update().filter(pk=site.pk).first()
    SiteReservation.objects.filter(site=site, released_at__isnull=True, expires_on__lt=today).update(
        released_at=timezone.now()
    )
    holding = SiteReservation.objects.filter(site=site, released_at__isnull=True).first()
    if holding is not None:
        raise ValidationError({"site": _(ERR_RESERVED) % {"site": site.name, "until": holding.expires_on.isoformat()}})
    own = (
        SiteReservation.objects.filter(project=project, released_at__isnull=True, expires_on__gte=today)
        .select_related("site")
        .first()
    )
    if own is not None:
        raise ValidationError({"project": _(ERR_PROJECT_HAS_RESERVATION) % {"site": own.site.name}})
    reservation = SiteReservation(
        site=site,
        project=project,
        reserved_by=actor,
        reserved_on=today,
        expires_on=today + dt.timedelta(days=rules().reservation_days),
    )
    return create_audited(actor=actor, row=reservation, detail="预留载体")


@transaction.atomic
def site_release(*, actor: User, site: Site) -> SiteReservation:
    _check_site_place(actor, site)
    holding = SiteReservation.objects.select_for_update().filter(site=site, released_at__isnull=True).first()
    if holding is None:
        raise ValidationError({"site": _(ERR_RELEASE_NONE)})
    holding.released_at = timezone.now()
    holding.save(update_fields=["released_at"])
    audit_record(actor=actor, action=AuditLog.Action.UPDATE, obj=holding, after=snapshot(holding), detail="释放载体")
    return holding


@transaction.atomic
def site_confirm(*, actor: User, site: Site, on: dt.date | None = None) -> Site:
    """The park confirms a site's data is current (clears the stale flag)."""
    _check_site_place(actor, site)
    before = site.confirmed_on
    site.confirmed_on = on or _today()
    site.full_clean()
    site.save(update_fields=["confirmed_on"])
    _audit_fields(actor=actor, row=site, before={"confirmed_on": before}, detail="确认载体信息")
    return site


ERR_SITE_LAND_AREA = gettext_noop("土地须填写土地面积（亩）")
ERR_SITE_FLOOR_AREA = gettext_noop("厂房楼层须填写建筑面积（平方米）")
SITE_IMPORT_FIELDS = (
    "name",
    "kind",
    "district_id",
    "park_id",
    "planned_use",
    "area_mu",
    "plot_ratio",
    "floor_area_m2",
    "floor_load_kn",
    "clear_height_m",
    "power_kva",
    "price",
    "available_on",
    "owner_name",
    "confirmed_on",
    "lon",
    "lat",
)


@transaction.atomic
def site_upsert(*, actor: User, code: str, values: dict[str, object], detail: str = "") -> str:
    """Add a 载体 or update the one with this code (the 载体 import): in the actor's place, before and
    after; a land parcel needs its area (亩), a floor its floor area (m²). Answers "created",
    "updated" or "unchanged" (the same row again changes nothing, so an import may be repeated)."""
    site = Site.objects.select_for_update().filter(code=code).first()
    if site is not None:
        _check_site_place(actor, site)
    fields = {key: value for key, value in values.items() if key in SITE_IMPORT_FIELDS}
    target = site or Site(code=code, confirmed_on=_today())
    before = snapshot(target) if site is not None else {}
    changed = {key: value for key, value in fields.items() if getattr(target, key) != value}
    if site is not None and not changed:
        return "unchanged"
    for key, value in changed.items():
        setattr(target, key, value)
    _check_site_place(actor, target)
    if target.kind == Site.Kind.LAND and target.area_mu is None:
        raise ValidationError({"area_mu": _(ERR_SITE_LAND_AREA)})
    if target.kind == Site.Kind.FLOOR and target.floor_area_m2 is None:
        raise ValidationError({"floor_area_m2": _(ERR_SITE_FLOOR_AREA)})
    save_audited(
        actor=actor,
        row=target,
        action=AuditLog.Action.UPDATE if site is not None else AuditLog.Action.CREATE,
        before={key: before.get(key) for key in changed} if site is not None else None,
        detail=detail or "登记载体",
    )
    return "updated" if site is not None else "created"


# ── 链主 supply links ──────────────────────────────────────────────────────────────────────────

ERR_SUPPLY_PLACE = gettext_noop("只能登记本区或本园区链主企业的采购环节")


@transaction.atomic
def supply_link_upsert(*, actor: User, leader: Enterprise, node: ChainNode, source: str = "", detail: str = "") -> str:
    """Record that a local 链主 buys from a chain node (the supply-link import): in the actor's place
    (the firm's district or park), audited. Answers "created", "updated" (a new source) or
    "unchanged", so the same rows imported again change nothing."""
    if not may_register_investment(actor):
        raise WriteDenied(_(ERR_ROLE), code="no_write")
    if not may_place(actor, district_id=leader.district_id, park_id=leader.park_id):
        raise WriteDenied(_(ERR_SUPPLY_PLACE), code="out_of_scope")
    text = source.strip()[:100]
    link = SupplyLink.objects.select_for_update().filter(leader=leader, node=node).first()
    if link is not None and (not text or link.source == text):
        return "unchanged"
    before = snapshot(link) if link is not None else None
    target = link or SupplyLink(leader=leader, node=node)
    target.source = text or target.source
    save_audited(
        actor=actor,
        row=target,
        action=AuditLog.Action.UPDATE if link is not None else AuditLog.Action.CREATE,
        before=before,
        detail=detail or "登记链主采购环节",
    )
    return "updated" if link is not None else "created"


# ── stagnation ───────────────────────────────────────────────────────────────────────────────


@transaction.atomic
def projects_stagnation_notify(*, today: dt.date | None = None) -> tuple[int, int]:
    """Tell the owner of each project that stayed in its stage longer than the pack allows (once per
    stage), and tell the district's users when it stays the pack's escalation days more. Returns
    (owners told, escalations). Safe to run again: each notice is sent once per stage entry."""
    day = today or _today()
    config = rules()
    told = escalated = 0
    from yuanqu.core.models import User as Member

    for rule in config.stages:
        if rule.max_days is None:
            continue
        limit = day - dt.timedelta(days=rule.max_days)
        late = Project.objects.filter(stage=rule.code, stage_since__lt=limit).select_related("owner")
        for project in late.filter(stagnation_notified_on__isnull=True):
            notification_send(
                recipients=[project.owner],
                kind=KIND_STAGNANT,
                title=f"招商项目停滞：{project.number} {project.name}",
                body=f"项目已在“{rule.name}”阶段停留超过{rule.max_days}天（自{project.stage_since.isoformat()}）。",
                link=f"/investment/projects/{project.number}/",
                key=f"inv-stagnant:{project.pk}:{project.stage}:{project.stage_since.isoformat()}",
            )
            Project.objects.filter(pk=project.pk).update(stagnation_notified_on=day)
            told += 1
        escalate_before = day - dt.timedelta(days=config.escalate_after_days)
        for project in late.filter(stagnation_notified_on__lte=escalate_before, stagnation_escalated_on__isnull=True):
            leads = Member.objects.filter(role=Role.DISTRICT, district_id=project.district_id, is_active=True)
            notification_send(
                recipients=list(leads),
                kind=KIND_STAGNANT_ESCALATED,
                title=f"招商项目停滞上报：{project.number} {project.name}",
                body=f"项目在“{rule.name}”阶段停留超过{rule.max_days}天，提醒负责人{config.escalate_after_days}天后仍未推进。",
                link=f"/investment/projects/{project.number}/",
            )
            Project.objects.filter(pk=project.pk).update(stagnation_escalated_on=day)
            escalated += 1
    if told or escalated:
        audit_record(
            actor=None,
            action=AuditLog.Action.UPDATE,
            object_type="investment.Project",
            object_repr="招商项目停滞巡检",
            after={"owners": told, "escalated": escalated, "day": day},
            detail="招商项目停滞提醒",
        )
    return told, escalated


# ── 招商目标企业库 ──────────────────────────────────────────────────────────────────────────────

ERR_CANDIDATE_USCC = gettext_noop("目标企业库已有统一社会信用代码为“%(uscc)s”的企业：%(name)s")
ERR_CANDIDATE_SIMILAR = gettext_noop("目标企业库已有名称相近的企业：%(names)s；确认不是同一企业后再提交")


def candidate_library() -> LibraryIndex:
    """The whole library, read once, for the duplicate checks of many firms (an import)."""
    rows = Candidate.objects.order_by("name", "id").values_list("pk", "name", "name_key", "uscc")
    return LibraryIndex(LibraryEntry(pk, name, key, uscc) for pk, name, key, uscc in rows)


def candidate_duplicates(
    *, name: str, uscc: str = "", library: LibraryIndex | None = None
) -> tuple[LibraryEntry | None, list[LibraryEntry]]:
    """The library entry with the same credit code, and the entries whose normalised names are close
    (rapidfuzz ratio ≥ SIMILAR_NAME_RATIO): what the importer is shown before a new entry is saved.
    An import passes the `library` it read once; one firm alone reads it here."""
    index = library if library is not None else candidate_library()
    return index.by_uscc(uscc), index.similar(investor_key(name), uscc=uscc)


@transaction.atomic
def candidate_create(
    *,
    actor: User,
    name: str,
    uscc: str = "",
    industry_id: str | None = None,
    nodes: Sequence[ChainNode] = (),
    hq_region: str = "",
    size_band: str = Candidate.SizeBand.MEDIUM,
    listing: str = "",
    top500: Sequence[dict[str, object]] = (),
    ties: Sequence[str] = (),
    source: str = "",
    source_date: dt.date | None = None,
    confirm_similar: bool = False,
    library: LibraryIndex | None = None,
) -> Candidate:
    """Add a firm to the library: refused when its credit code is there already; when a close name is
    there (and the credit codes do not tell them apart), refused until the importer confirms."""
    if not may_register_investment(actor):
        raise WriteDenied(_(ERR_ROLE), code="no_write")
    code = uscc.strip().upper()
    if code and not uscc_is_valid(code):
        raise ValidationError({"uscc": _(ERR_USCC) % {"uscc": code}})
    if not name.strip():
        raise ValidationError({"name": _(ERR_NAME) % {"field": "企业名称"}})
    same, similar = candidate_duplicates(name=name, uscc=code, library=library)
    if same is not None:
        raise ValidationError({"uscc": _(ERR_CANDIDATE_USCC) % {"uscc": code, "name": same.name}})
    if similar and not confirm_similar:
        raise ValidationError({"name": _(ERR_CANDIDATE_SIMILAR) % {"names": "、".join(c.name for c in similar[:5])}})
    candidate = Candidate(
        uscc=code,
        name=name.strip(),
        name_key=investor_key(name),
        industry_id=industry_id,
        hq_region=hq_region.strip(),
        size_band=size_band,
        listing=listing,
        top500=list(top500),
        ties=[tie.strip().upper() for tie in ties],
        source=source.strip(),
        source_date=source_date,
    )
    candidate.full_clean()
    candidate.save()
    candidate.nodes.set(nodes)
    if library is not None:
        library.add(LibraryEntry(candidate.pk, candidate.name, candidate.name_key, candidate.uscc))
    audit_record(
        actor=actor, action=AuditLog.Action.CREATE, obj=candidate, after=snapshot(candidate), detail="新增目标企业"
    )
    return candidate


# ── a park's 招商方案: plan items ─────────────────────────────────────────────────────────────

ERR_PLAN_STAFF = gettext_noop("负责人“%(name)s”须为本园区、园区所在区或市级的在用账号")
ERR_PLAN_HELD = gettext_noop("该事项已于%(on)s完成，不能再修改或删除")
ERR_PLAN_OUTCOME = gettext_noop("请填写事项结果")


def _check_plan_staff(staff: User | None, park: Park) -> None:
    if staff is None:
        return
    # Someone who registers projects and whose scope holds the park: the city, its district, its operators.
    if not (may_register_investment(staff) and may_place(staff, district_id=park.district_id, park_id=park.pk)):
        raise ValidationError({"staff": _(ERR_PLAN_STAFF) % {"name": staff.display_name or staff.username}})


@transaction.atomic
def plan_item_create(
    *,
    actor: User,
    park: Park,
    kind: str,
    title: str,
    planned_on: dt.date,
    staff: User | None = None,
    candidate: Candidate | None = None,
) -> PlanItem:
    """Add an event, a visit or a promotion to a park's 招商方案, carried by a staff member whose scope
    covers the park, aimed at a target firm of the library when given."""
    _check_writer(actor, district_id=park.district_id, park_id=park.pk)
    if not title.strip():
        raise ValidationError({"title": _(ERR_NAME) % {"field": "事项"}})
    _check_plan_staff(staff, park)
    item = PlanItem(
        park=park,
        kind=kind,
        title=title.strip(),
        planned_on=planned_on,
        staff=staff,
        candidate=candidate,
        created_by=actor,
    )
    return create_audited(actor=actor, row=item, detail="登记招商方案事项")


@transaction.atomic
def plan_item_record(*, actor: User, item: PlanItem, held_on: dt.date, outcome: str) -> PlanItem:
    """Record that an item was held and what came of it (once)."""
    item = PlanItem.objects.select_for_update().select_related("park").get(pk=item.pk)
    _check_writer(actor, district_id=item.park.district_id, park_id=item.park_id)
    if item.held_on is not None:
        raise ValidationError({"held_on": _(ERR_PLAN_HELD) % {"on": item.held_on.isoformat()}})
    errors = {}
    if not outcome.strip():
        errors["outcome"] = _(ERR_PLAN_OUTCOME)
    if held_on > _today():
        errors["held_on"] = _(ERR_FUTURE) % {"field": "完成日期"}
    if errors:
        raise ValidationError(errors)
    before = snapshot(item)
    item.held_on, item.outcome = held_on, outcome.strip()
    item.full_clean()
    item.save(update_fields=["held_on", "outcome"])
    audit_change(actor=actor, row=item, before=before, detail="记录招商方案事项结果")
    return item


@transaction.atomic
def plan_item_delete(*, actor: User, item: PlanItem) -> None:
    """Remove an item not yet held (one that was held is part of the record)."""
    item = PlanItem.objects.select_for_update().select_related("park").get(pk=item.pk)
    _check_writer(actor, district_id=item.park.district_id, park_id=item.park_id)
    if item.held_on is not None:
        raise ValidationError({"held_on": _(ERR_PLAN_HELD) % {"on": item.held_on.isoformat()}})
    audit_record(actor=actor, action=AuditLog.Action.DELETE, obj=item, before=snapshot(item), detail="删除招商方案事项")
    item.delete()
