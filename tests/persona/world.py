"""The persona matrix's world: the shared test world (`conftest.World`: three parks in two districts,
four enterprises, one persona per role) plus a person out of scope for every scoped role, and one
object of each kind a route can address (a case with an attachment, a visit, a park change request,
an import batch, jobs and their kept files, an evaluation run, a supervised task with an attachment,
a notification). Built once per test module by `tests/persona/conftest.py`.

`refs` holds what the matrix's paths and bodies name (`"/registry/parks/{park}/"`); every name is a
string, so a row of the table reads like the request it makes."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import World
    from yuanqu.core.models import User

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
DOCX = b"PK\x03\x04 persona-matrix kept report"

# Every persona of the matrix: the shared world's (anonymous, one per role, and a second district)
# and the out-of-scope person of each remaining scoped role, added here.
PERSONAS = (
    "anonymous",
    "city_admin",
    "city_viewer",
    "sysadmin",
    "auditor",
    "district_jiangxia",
    "district_caidian",
    "park_operator",
    "park_operator_pc",
    "enterprise",
    "enterprise_e3",
    "handler",
    "handler_other",
    "talent_person",
    "finance_bureau",
)


@dataclass
class PersonaWorld:
    base: World
    users: dict[str, User]
    refs: dict[str, str] = field(default_factory=dict)

    def user(self, persona: str) -> User | None:
        return None if persona == "anonymous" else self.users[persona]


def _kept(path_of: object, content: bytes) -> None:
    from pathlib import Path

    assert isinstance(path_of, Path)
    path_of.parent.mkdir(parents=True, exist_ok=True)
    path_of.write_bytes(content)


def _evaluation_values(base: World) -> None:
    """The evaluation tests' world of parks and indicator values (`yuanqu/evaluation/tests/conftest.py`)."""
    from yuanqu.evaluation.tests import conftest as evaluation

    fixture = evaluation.ew
    wrapped = getattr(fixture, "_get_wrapped_function", None)
    (wrapped() if wrapped is not None else fixture)(base)


def build(base: World) -> PersonaWorld:
    """Everything on top of `base`, written through the services where a route's rule depends on how
    the object came to be (a case's lifecycle, a task's assignments), directly otherwise."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from conftest import make_user
    from yuanqu.casework import services as casework
    from yuanqu.casework.models import CaseKind, Category
    from yuanqu.core.pack.loaded import installed_pack
    from yuanqu.core.roles import Role
    from yuanqu.core.uscc import make as make_uscc
    from yuanqu.evaluation.models import EvaluationRun, ParkResult
    from yuanqu.evaluation.services import evaluation_run
    from yuanqu.indicators.catalogue import indicators
    from yuanqu.jobs.models import Job
    from yuanqu.notifications.models import Notification
    from yuanqu.notifications.services import kinds as notice_kinds
    from yuanqu.registry import change_requests
    from yuanqu.registry.models import EnterpriseLabel, ResponsibleUnit
    from yuanqu.registry.services import policy_pack_apply
    from yuanqu.reports import jobs as report_jobs
    from yuanqu.stats.models import ImportBatch
    from yuanqu.targets.models import SupervisedTask, TaskAssignment
    from yuanqu.targets.pack import TARGETS
    from yuanqu.targets.services import supervised_tasks_sync, task_report_submit

    policy_pack_apply()
    supervised_tasks_sync()
    jxj = ResponsibleUnit.objects.get(code="jxj")
    rcj = ResponsibleUnit.objects.get(code="rcj")
    parks, firms = base.parks, base.enterprises
    users: dict[str, User] = {
        **{name: user for name, user in base.users.items() if name != "handler"},
        "park_operator_pc": make_user("t-park-pc", Role.PARK_OPERATOR, park=parks["PC"]),
        "enterprise_e3": make_user("t-ent-e3", Role.ENTERPRISE, enterprise=firms["E3"]),
        # The handlers act for units of the pack, so that a supervised task is assigned to one of them.
        "handler": make_user("t-handler-jxj", Role.HANDLER, unit=jxj),
        "handler_other": make_user("t-handler-rcj", Role.HANDLER, unit=rcj),
    }
    world = PersonaWorld(base=base, users=users)

    # A request of E1 (park PA, 江夏) to 市经信局, with an attachment, and a visit to E1.
    category = Category.objects.create(
        code="t_matrix",
        name="矩阵测试类别",
        kind=CaseKind.REQUEST,
        time_limit_days=10,
        default_unit=jxj,
        sort_order=900,
    )
    case = casework.case_submit(
        actor=users["enterprise"],
        category=category,
        title="厂区用电增容",
        description="新增产线需要增容800千伏安。",
        files=[SimpleUploadedFile("说明.pdf", PDF, content_type="application/pdf")],
    )
    attachment = case.attachments.get()
    visit = casework.visit_log(
        actor=users["park_operator"], enterprise=firms["E1"], visited_on=dt.date(2025, 3, 3), summary="走访了解用电需求"
    )

    # A change request for park PA, filed by its operator.
    change_request = change_requests.park_change_request_file(
        actor=users["park_operator"], park=parks["PA"], changes={"name": "江夏现代产业园（新）"}, reason="更名"
    )

    # An import batch of the 江夏 district user.
    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.MONTHLY,
        status=ImportBatch.Status.APPLIED,
        uploaded_by=users["district_jiangxia"],
        district=base.districts["jiangxia"],
        file_name="月报.xlsx",
    )

    # A supervised task led by 市经信局 and not assigned to 市人才局, with a report and its attachment.
    led = TaskAssignment.objects.filter(unit=jxj, role=TaskAssignment.Role.LEAD).values_list("task_id", flat=True)
    task = SupervisedTask.objects.filter(pk__in=led).exclude(assignments__unit=rcj).order_by("code").first()
    assert task is not None, "the pack has no task led by 市经信局 alone"
    report = task_report_submit(
        actor=users["handler"],
        task=task,
        period=timezone.localdate(),
        text="本季度完成园区摸底。",
        percent_done=30,
        files=[SimpleUploadedFile("进展.pdf", PDF, content_type="application/pdf")],
    )
    task_attachment = report.attachments.get()

    # An evaluation of 2025 over the evaluation tests' parks and values (PA and PC among them), and
    # the kept diagnosis report of PA.
    _evaluation_values(base)
    run = evaluation_run(actor=users["city_admin"], year=2025, params={"runs": 20})
    assert run.status == EvaluationRun.Status.DONE, run.message
    results = {result.park.code: result for result in ParkResult.objects.filter(run=run).select_related("park")}
    from yuanqu.evaluation.jobs import DIAGNOSIS, diagnosis_file

    _kept(diagnosis_file(results["PA"]), DOCX)

    # Jobs: each persona's own finished job (the 江夏 district's is a kept park report of PA, the
    # city admin's a diagnosis report of PA).
    digest = hashlib.sha256(b"persona-matrix report").hexdigest()
    _kept(report_jobs.file_path(digest), DOCX)
    report_job = Job.objects.create(
        kind=report_jobs.PARK_REPORT,
        started_by=users["district_jiangxia"],
        status=Job.Status.SUCCEEDED,
        arguments={"park": "PA"},
        result={"file": digest, "name": "江夏现代产业园-诊断报告.docx"},
    )
    diagnosis_job = Job.objects.create(
        kind=DIAGNOSIS,
        started_by=users["city_admin"],
        status=Job.Status.SUCCEEDED,
        arguments={"run": run.pk, "park": "PA"},
        result={},
    )
    failed_job = Job.objects.create(
        kind=report_jobs.PARK_REPORT,
        started_by=users["district_jiangxia"],
        status=Job.Status.FAILED,
        arguments={"park": "PA"},
    )
    from yuanqu.jobs.exports import KIND as EXPORT
    from yuanqu.jobs.files import file_keep, kept_path, kept_result

    export_file = kept_path("exports", hashlib.sha256(b"persona-matrix export").hexdigest(), ".xlsx")
    file_keep(b"PK\x03\x04 persona-matrix kept export", export_file)
    export_job = Job.objects.create(
        kind=EXPORT,
        started_by=users["district_jiangxia"],
        status=Job.Status.SUCCEEDED,
        arguments={"export": "casework_board"},
        result={**kept_result(export_file), "name": "诉求看板.xlsx", "rows": 1},
    )
    running_job = Job.objects.create(
        kind=report_jobs.PARK_REPORT,
        started_by=users["district_jiangxia"],
        status=Job.Status.RUNNING,
        arguments={"park": "PA"},
    )

    EnterpriseLabel.objects.create(
        enterprise=firms["E1"], kind="above_scale", valid_from=dt.date(2020, 1, 1), certificate_no="GS-E1"
    )
    notice = Notification.objects.create(
        recipient=users["district_jiangxia"], kind="test", title="测试通知", created_at=dt.datetime.now(dt.UTC)
    )
    target = installed_pack().section(TARGETS).targets[0].code
    indicator = next(item.code for item in indicators() if item.reported)
    investment = _investment(world)
    service = _service(world)

    world.refs = {
        "park": "PA",
        "park_other": "PC",
        "uscc": firms["E1"].uscc,
        "uscc_other": firms["E3"].uscc,
        "district": base.districts["jiangxia"].code,
        "district_other": base.districts["caidian"].code,
        "case": case.number,
        "case_version": str(case.version),
        "attachment": str(attachment.pk),
        "visit": str(visit.pk),
        "change_request": str(change_request.pk),
        "batch": str(batch.pk),
        "task": task.code,
        "task_attachment": str(task_attachment.pk),
        "run": str(run.pk),
        "report_job": str(report_job.pk),
        "diagnosis_job": str(diagnosis_job.pk),
        "failed_job": str(failed_job.pk),
        "running_job": str(running_job.pk),
        "export_job": str(export_job.pk),
        "notice": str(notice.pk),
        "indicator": indicator,
        "new_uscc": make_uscc("91420100MA4K99999"),
        "notice_kind": next(iter(notice_kinds())),
        "target": target,
        "unit": jxj.code,
        "unit_other": rcj.code,
        **investment,
        **service,
    }
    from tests.persona.matrix import CAPABILITY_MODULES

    for module in CAPABILITY_MODULES:
        make = getattr(module, "refs", None)
        if make is not None:
            world.refs.update(make(world))
    # The two roles without a scope object, made last so that the capabilities' own objects are as
    # they were: a person registered on 人才直通车 (through its services: a profile of their own, shown to no firm)
    # and a user of the 市财政局.
    users["talent_person"] = _talent_person()
    users["finance_bureau"] = make_user("t-finance", Role.FINANCE)
    return world


def _talent_person() -> User:
    from django.utils import timezone

    from yuanqu.talent.config import config
    from yuanqu.talent.services.registration import registration_confirm, registration_start

    now = timezone.now()
    started = registration_start(contact="persona-talent@example.com", address=None, now=now)
    user = registration_confirm(
        verification_id=started.verification.pk,
        code=started.code,
        name="矩阵人才",
        password="Matrix-person-2026!",
        consent_version=config().consent.version,
        consented=True,
        now=now,
    )
    return user


def _investment(world: PersonaWorld) -> dict[str, str]:
    """精准招商: a project of the 江夏 district in park PA (moved to 接触 with a proof, so it has
    evidence) and one of 蔡甸 in PC, a first-claim conflict between two more, a site in PA and one in
    PC, a target firm; written through the app's services as its tests do."""
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from yuanqu.investment import services
    from yuanqu.investment.models import Evidence, Site
    from yuanqu.registry.models import ChainNode

    base, users = world.base, world.users
    node = ChainNode.objects.select_related("chain").order_by("chain__sort_order", "position").first()
    assert node is not None, "the pack has no industry chain"
    base.parks["PA"].lead_chains.add(node.chain)
    day = dt.date(2026, 3, 2)

    def project(persona: str, district: str, park: str, investor: str, name: str) -> str:
        return services.project_create(
            actor=users[persona],
            name=name,
            investor_name=investor,
            district=base.districts[district],
            park=base.parks[park],
            chain_node=node,
            source="capital",
            planned_investment=Decimal("12.50"),
            registered_on=day,
        ).number

    mine = project("district_jiangxia", "jiangxia", "PA", "矩阵甲科技有限公司", "江夏矩阵项目")
    other = project("district_caidian", "caidian", "PC", "矩阵乙科技有限公司", "蔡甸矩阵项目")
    project("district_jiangxia", "jiangxia", "PA", "矩阵丙科技有限公司", "江夏首报项目")
    project("district_caidian", "caidian", "PC", "矩阵丙科技有限公司", "蔡甸后报项目")
    from yuanqu.investment.models import ClaimConflict, Project

    conflict = ClaimConflict.objects.get()
    moved = Project.objects.get(number=mine)
    services.project_advance(
        actor=users["district_jiangxia"],
        project=moved,
        to_stage="contact",
        on=day + dt.timedelta(days=5),
        version=moved.version,
        files=[SimpleUploadedFile("洽谈纪要.pdf", PDF, content_type="application/pdf")],
    )
    evidence = Evidence.objects.get(change__project=moved)
    for code, district, park in (("S-PA-1", "jiangxia", "PA"), ("S-PC-1", "caidian", "PC")):
        site = Site(
            code=code,
            name=f"载体{code}",
            kind=Site.Kind.choices[0][0],
            district=base.districts[district],
            park=base.parks[park],
            available_on=day,
            confirmed_on=day,
        )
        site.full_clean()
        site.save()
    services.site_reserve(
        actor=users["district_caidian"], site=Site.objects.get(code="S-PC-1"), project=Project.objects.get(number=other)
    )
    candidate = services.candidate_create(actor=users["city_admin"], name="矩阵目标企业有限公司", nodes=[node])
    return {
        "project": mine,
        "project_other": other,
        "project_version": str(Project.objects.get(number=mine).version),
        "conflict": str(conflict.pk),
        "evidence": str(evidence.pk),
        "site": "S-PA-1",
        "site_other": "S-PC-1",
        "candidate": str(candidate.pk),
        "chain": node.chain.code,
    }


def _service(world: PersonaWorld) -> dict[str, str]:
    """陪跑/惠企: the park operator is E1's specialist and has visited it, E3's is 蔡甸's park operator;
    a confirmed 免申即享 batch grants E1 and E3 (paid to neither yet)."""
    from decimal import Decimal

    from django.utils import timezone

    from conftest import make_user
    from yuanqu.core.roles import Role
    from yuanqu.service import services
    from yuanqu.service.models import Disbursement, PolicyBatch

    base, users = world.base, world.users
    firms = base.enterprises
    services.assignment_set(actor=users["city_admin"], enterprise=firms["E1"], specialist=users["park_operator"])
    services.assignment_set(actor=users["city_admin"], enterprise=firms["E3"], specialist=users["park_operator_pc"])
    visit = services.visit_record(
        actor=users["park_operator"],
        enterprise=firms["E1"],
        visited_on=dt.date(2026, 3, 2),
        people="园区招商部",
        topics="用工需求",
        situation="生产正常",
    )
    batch = PolicyBatch.objects.create(
        policy_code="high_tech_first",
        policy_name="首次认定高新技术企业奖励",
        number="MSJX-MATRIX-1",
        confirmed_by=users["city_admin"],
        confirmed_at=timezone.now(),
    )
    paid = {
        key: Disbursement.objects.create(
            batch=batch, policy_code="high_tech_first", enterprise=firms[key], amount_wan_yuan=Decimal("30.00")
        )
        for key in ("E1", "E3")
    }
    return {
        "service_visit": str(visit.pk),
        "policy": "high_tech_first",
        "policy_other": "rd_expense_subsidy",
        "disbursement": str(paid["E1"].pk),
        "disbursement_other": str(paid["E3"].pk),
        "specialist": users["park_operator"].username,
        "specialist_other": users["park_operator_pc"].username,
        "specialist_pa": make_user("t-park-pa-2", Role.PARK_OPERATOR, park=base.parks["PA"]).username,
    }
