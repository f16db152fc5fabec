"""The input of every investment write, in one place: the API's body schemas and the page forms that
check their cleaned values with the same schema (`core.forms.PageForm`), so a page and the API refuse
the same input with the same Chinese message; and the look-ups that turn the codes in the input into
objects in the user's scope (an unknown or out-of-scope code is refused, never guessed).

Who calls it: `views.py` and `api.py`. The services check the rules of each step again."""

# No `from __future__ import annotations` here: Django Ninja and pydantic read the annotations at runtime.
from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any, Literal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from ninja import Field

from yuanqu.core.contract.schemas import (
    MAX_BIGINT,
    MAX_INT,
    Code,
    Id,
    InputSchema,
    PlausibleDate,
    decimal_schema,
)
from yuanqu.core.forms import PageForm, choice_field, date_field, integer_field, text_field
from yuanqu.core.lookups import found_or_invalid
from yuanqu.core.models import User
from yuanqu.investment.models import Candidate, ClaimConflict, PlanItem, Project, Site, Stage
from yuanqu.registry.models import ChainNode, District, Enterprise, Park

DISTRICT_UNKNOWN = gettext_noop("区“%(code)s”不存在")
PARK_UNKNOWN = gettext_noop("园区“%(code)s”不存在或不在您的权限范围内")
NODE_UNKNOWN = gettext_noop("产业链环节“%(code)s”不存在")
ENTERPRISE_UNKNOWN = gettext_noop("企业“%(code)s”不存在或不在您的权限范围内")
CANDIDATE_UNKNOWN = gettext_noop("目标企业“%(code)s”不在目标企业库中或不在您的权限范围内")
STAFF_UNKNOWN = gettext_noop("负责人账号“%(code)s”不存在")
PROJECT_UNKNOWN = gettext_noop("项目“%(code)s”不存在或不在您的权限范围内")
SITE_UNKNOWN = gettext_noop("载体“%(code)s”不存在或不在您的权限范围内")

Amount = Annotated[Decimal, Field(ge=0, max_digits=10, decimal_places=2), decimal_schema(10, 2)]
Note = Annotated[str, Field(max_length=300)]
Version = Annotated[int, Field(ge=0, le=MAX_INT)]
StageCode = Literal["contact", "negotiating", "signed", "land", "started", "producing", "full"]


class ProjectIn(InputSchema):
    name: Annotated[str, Field(max_length=120)]
    investor_name: Annotated[str, Field(max_length=120)]
    investor_uscc: Annotated[str, Field(max_length=18)] = ""
    district: Code
    park: Code | None = None
    chain_node: Id | None = None
    source: Code
    planned_investment: Amount | None = None
    fixed_asset_investment: Amount | None = None
    expected_output: Amount | None = None
    expected_tax: Amount | None = None
    land_need_mu: Amount | None = None
    floor_need_m2: Annotated[int, Field(ge=0, le=MAX_INT)] | None = None
    jobs: Annotated[int, Field(ge=0, le=MAX_INT)] | None = None
    registered_on: PlausibleDate | None = None
    candidate: Id | None = None


class Top500Label(InputSchema):
    list: Literal["世界500强", "中国500强", "中国民营500强"]
    year: Annotated[int, Field(ge=1995, le=2100)]


class CandidateIn(InputSchema):
    name: Annotated[str, Field(max_length=120)]
    uscc: Annotated[str, Field(max_length=18)] = ""
    industry: Annotated[str, Field(max_length=5)] | None = None
    nodes: Annotated[list[Id], Field(max_length=20)] = []
    hq_region: Annotated[str, Field(max_length=40)] = ""
    size_band: Literal["large", "medium", "small"] = "medium"
    listing: Literal["", "a", "hk", "us"] = ""
    top500: Annotated[list[Top500Label], Field(max_length=3)] = []
    ties: Annotated[list[Annotated[str, Field(max_length=18)]], Field(max_length=50)] = []
    source: Annotated[str, Field(max_length=100)] = ""
    source_date: PlausibleDate | None = None
    confirm_similar: bool = False


class AdvanceIn(InputSchema):
    to_stage: StageCode
    on: PlausibleDate
    version: Version
    note: Note = ""
    enterprise: Code | None = None


class TerminateIn(InputSchema):
    on: PlausibleDate
    version: Version
    reason: Note


class ConflictDecisionIn(InputSchema):
    outcome: Literal["first", "second", "distinct"]
    note: Annotated[str, Field(max_length=500)]


class ReserveIn(InputSchema):
    project: Code


class PlanItemIn(InputSchema):
    kind: Literal["event", "visit", "promotion"]
    title: Annotated[str, Field(max_length=120)]
    planned_on: PlausibleDate
    staff: Id | None = None
    candidate: Id | None = None


class PlanOutcomeIn(InputSchema):
    held_on: PlausibleDate
    outcome: Annotated[str, Field(max_length=300)]


class MatchQuery(InputSchema):
    floor_load_kn: Annotated[Decimal, Field(ge=0, max_digits=5, decimal_places=1), decimal_schema(5, 1)] | None = None
    clear_height_m: Annotated[Decimal, Field(ge=0, max_digits=4, decimal_places=1), decimal_schema(4, 1)] | None = None
    power_kva: Annotated[int, Field(ge=0, le=MAX_INT)] | None = None
    districts: Annotated[list[Code], Field(max_length=30)] = []


# ── look-ups ─────────────────────────────────────────────────────────────────────────────────


def district_by_code(code: str) -> District:
    found: District = found_or_invalid(District.objects.all(), "district", DISTRICT_UNKNOWN, code, code=code)
    return found


def park_by_code(user: User, code: str | None) -> Park | None:
    if not code:
        return None
    return found_or_invalid(Park.objects.visible_to(user), "park", PARK_UNKNOWN, code, code=code)


def node_by_id(node_id: int | None) -> ChainNode | None:
    if node_id is None:
        return None
    return found_or_invalid(ChainNode.objects.select_related("chain"), "chain_node", NODE_UNKNOWN, node_id, pk=node_id)


def candidate_by_id(user: User, candidate_id: int | None) -> Candidate | None:
    if candidate_id is None:
        return None
    rows = Candidate.objects.visible_to(user)
    return found_or_invalid(rows, "candidate", CANDIDATE_UNKNOWN, candidate_id, pk=candidate_id)


def enterprise_by_uscc(user: User, code: str | None) -> Enterprise | None:
    if not code:
        return None
    rows = Enterprise.objects.visible_to(user)
    return found_or_invalid(rows, "enterprise", ENTERPRISE_UNKNOWN, code, uscc=code.strip().upper())


def project_by_number(user: User, code: str) -> Project:
    return found_or_invalid(Project.objects.visible_to(user), "project", PROJECT_UNKNOWN, code, number=code)


def site_by_code(user: User, code: str) -> Site:
    return found_or_invalid(Site.objects.visible_to(user), "site", SITE_UNKNOWN, code, code=code)


def candidate_values(data: CandidateIn) -> dict[str, Any]:
    """The service's keywords for a candidate: industry class and chain nodes checked to exist."""
    from yuanqu.registry.models import IndustryClass

    values = data.dict()
    industry = values.pop("industry")
    if industry and not IndustryClass.objects.filter(pk=industry).exists():
        raise ValidationError({"industry": _(NODE_UNKNOWN) % {"code": industry}})
    values["industry_id"] = industry or None
    nodes = list(ChainNode.objects.filter(pk__in=data.nodes))
    if len(nodes) != len(set(data.nodes)):
        missing = sorted(set(data.nodes) - {node.pk for node in nodes})
        raise ValidationError({"nodes": _(NODE_UNKNOWN) % {"code": missing[0]}})
    values["nodes"] = nodes
    values["top500"] = [label.dict() for label in data.top500]
    return values


def project_values(user: User, data: ProjectIn) -> dict[str, Any]:
    """The service's keywords for a project's input: codes turned into objects in the user's scope."""
    values = data.dict()
    values["district"] = district_by_code(data.district)
    values["park"] = park_by_code(user, data.park)
    values["chain_node"] = node_by_id(data.chain_node)
    values["candidate"] = candidate_by_id(user, data.candidate)
    return values


# The page's cleaned form and the API's body alike (`payload.dict()`): the service's keywords.


def advance_values(user: User, data: Mapping[str, Any]) -> dict[str, Any]:
    """`project_advance`'s keywords for a move: the landed firm's credit code turned into the firm in
    the user's scope."""
    return {
        "to_stage": data["to_stage"],
        "on": data["on"],
        "version": data["version"],
        "note": data.get("note") or "",
        "enterprise": enterprise_by_uscc(user, data.get("enterprise")),
    }


def plan_item_values(user: User, data: Mapping[str, Any]) -> dict[str, Any]:
    """`plan_item_create`'s keywords for an item: its staff member and target firm turned into rows
    (the firm within the user's scope)."""
    return {
        "kind": data["kind"],
        "title": data["title"],
        "planned_on": data["planned_on"],
        "staff": staff_by_id(data.get("staff")),
        "candidate": candidate_by_id(user, data.get("candidate")),
    }


# ── page forms ───────────────────────────────────────────────────────────────────────────────


def _decimal(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        error_messages={"invalid": gettext_lazy("请输入数字")},
    )


class ProjectForm(PageForm):
    schema = ProjectIn

    name = text_field(gettext_lazy("项目名称"), max_length=120)
    investor_name = text_field(gettext_lazy("投资方"), max_length=120)
    investor_uscc = text_field(gettext_lazy("投资方统一社会信用代码"), required=False, max_length=18)
    district = text_field(gettext_lazy("所属区"), max_length=64)
    park = text_field(gettext_lazy("园区"), required=False, max_length=64)
    chain_node = integer_field(gettext_lazy("产业链环节"), required=False, min_value=1, max_value=MAX_BIGINT)
    source = text_field(gettext_lazy("招商方式"), max_length=64)
    planned_investment = _decimal(gettext_lazy("计划总投资（亿元）"))
    fixed_asset_investment = _decimal(gettext_lazy("固定资产投资（亿元）"))
    expected_output = _decimal(gettext_lazy("达产后年产值（亿元）"))
    expected_tax = _decimal(gettext_lazy("达产后年税收（亿元）"))
    land_need_mu = _decimal(gettext_lazy("用地需求（亩）"))
    floor_need_m2 = integer_field(gettext_lazy("厂房需求（平方米）"), required=False, min_value=0, max_value=MAX_INT)
    jobs = integer_field(gettext_lazy("带动就业（人）"), required=False, min_value=0, max_value=MAX_INT)
    registered_on = date_field(gettext_lazy("登记日期"), required=False)
    candidate = integer_field(gettext_lazy("目标企业"), required=False, min_value=1, max_value=MAX_BIGINT)

    sent_if_filled = ("park", "investor_uscc")


class AdvanceForm(PageForm):
    schema = AdvanceIn

    to_stage = choice_field(gettext_lazy("新阶段"), [(s.value, s.label) for s in Stage if s != Stage.TERMINATED])
    on = date_field(gettext_lazy("变更日期"))
    version = integer_field(gettext_lazy("版本"), min_value=0, max_value=MAX_INT)
    note = text_field(gettext_lazy("说明"), required=False, max_length=300)
    enterprise = text_field(gettext_lazy("落地企业统一社会信用代码"), required=False, max_length=18)

    sent_if_filled = ("enterprise",)


class TerminateForm(PageForm):
    schema = TerminateIn

    on = date_field(gettext_lazy("终止日期"))
    version = integer_field(gettext_lazy("版本"), min_value=0, max_value=MAX_INT)
    reason = text_field(gettext_lazy("终止原因"), max_length=300)


class DecisionForm(PageForm):
    schema = ConflictDecisionIn

    outcome = choice_field(gettext_lazy("裁决结果"), ClaimConflict.Outcome.choices)
    note = text_field(gettext_lazy("裁决意见"), max_length=500)


class PlanItemForm(PageForm):
    schema = PlanItemIn

    kind = choice_field(gettext_lazy("类型"), PlanItem.Kind.choices)
    title = text_field(gettext_lazy("事项"), max_length=120)
    planned_on = date_field(gettext_lazy("计划日期"))
    staff = integer_field(gettext_lazy("负责人"), required=False, min_value=1, max_value=MAX_BIGINT)
    candidate = integer_field(gettext_lazy("目标企业"), required=False, min_value=1, max_value=MAX_BIGINT)


class PlanItemDeleteForm(PageForm):
    """Deleting a plan item takes no input: the item is in the address."""


class PlanOutcomeForm(PageForm):
    schema = PlanOutcomeIn

    held_on = date_field(gettext_lazy("完成日期"))
    outcome = text_field(gettext_lazy("结果"), max_length=300)


def staff_by_id(staff_id: int | None) -> User | None:
    """The staff member by id (whether their scope covers the park is the service's check)."""
    if staff_id is None:
        return None
    return found_or_invalid(User.objects.all(), "staff", STAFF_UNKNOWN, staff_id, pk=staff_id)


class ReserveForm(PageForm):
    schema = ReserveIn

    project = text_field(gettext_lazy("项目编号"), max_length=64)


class SiteReserveForm(PageForm):
    """The 智慧选址 page's reservation: the project is the page's, the site is the one chosen."""

    site = text_field(gettext_lazy("载体编号"), max_length=64)
