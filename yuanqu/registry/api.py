"""Registry API: districts, chains, parks and enterprises, read through `visible_to` and written
through the services (so writes are scoped, validated and audited)."""

# No `from __future__ import annotations` here: Django Ninja reads the annotations at runtime.
import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.db import models
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import AfterValidator

from yuanqu.core.access import get_visible_or_404
from yuanqu.core.apiauth import api_user
from yuanqu.core.contract.pagination import Mapped, Page
from yuanqu.core.contract.published import RelatedPark, RelatedParkName, published, published_values
from yuanqu.core.contract.schemas import (
    Code,
    CodePath,
    IdPath,
    InputSchema,
    PlausibleDate,
    check_text,
    decimal_schema,
    filters_taken,
    if_sent,
    query_schema,
)
from yuanqu.core.models import User
from yuanqu.core.permissions import check_fields, get_writable_or_403
from yuanqu.registry import change_requests, history, selectors, services
from yuanqu.registry.models import (
    District,
    Enterprise,
    EnterpriseVersion,
    IndustryChain,
    Park,
    ParkChangeRequest,
    ParkVersion,
)

router = Router(tags=["布局体系"])


class DistrictOut(Schema):
    code: str
    name: str
    kind: str


class ChainOut(Schema):
    code: str
    name: str
    kind: str
    illustrative: bool


# The park's details as registering and changing a park take them, with the service's types
# (registry/services.ParkDetails).
if TYPE_CHECKING:
    ParkDetailFields = Schema
else:
    ParkDetailFields = published(
        services.ParkDetails,
        (
            "status",
            "recognised_on",
            "operator_name",
            "operator_uscc",
            "management_model",
            "smart_platform",
            "smart_subsystems",
            "green_level",
            "synthetic",
        ),
        name="ParkDetailFields",
    )


class ParkOut(ParkDetailFields):
    code: str
    name: str
    district: str = Field(..., alias="district.code")
    park_type: str
    planned_area_km2: Decimal
    boundary_area_km2: Decimal | None
    lead_chains: list[str]

    @staticmethod
    def resolve_lead_chains(obj: Park) -> list[str]:
        return [chain.code for chain in obj.lead_chains.all()]


class ParkVersionOut(Schema):
    """One stretch of a park's dated state (valid_from null: since the first record; valid_to null:
    still in force)."""

    valid_from: dt.date | None
    valid_to: dt.date | None
    park_type: str
    status: str
    recognised_on: dt.date | None
    green_level: str


class ParkDetailOut(ParkOut):
    boundary: dict[str, Any] | None
    history: list[ParkVersionOut]

    @staticmethod
    def resolve_history(obj: Park) -> list[Any]:
        return list(obj.versions.order_by(models.F("valid_from").asc(nulls_first=True)))


ParkTypeCode = Literal["modern", "featured", "urban", "unclassified"]
ParkStatus = Literal["creating", "recognised"]
GreenLevel = Literal["", "provincial", "national"]
ManagementModel = Annotated[str, Field(max_length=20)]
AreaKm2 = Annotated[Decimal, Field(max_digits=9, decimal_places=3), decimal_schema(9, 3)]
SmartSubsystems = Annotated[int, Field(ge=0, le=32767)]
ParkCode = Annotated[str, Field(max_length=20)]
ParkName = Annotated[str, Field(max_length=80)]
OperatorName = Annotated[str, Field(max_length=100)]
UsccText = Annotated[str, Field(max_length=18)]
ChainCodes = Annotated[list[Annotated[str, Field(max_length=40)]], Field(max_length=20)]


class ParkIn(InputSchema):
    code: ParkCode
    name: ParkName
    district: Annotated[str, Field(max_length=12)]
    park_type: ParkTypeCode = "unclassified"
    status: ParkStatus = "creating"
    recognised_on: PlausibleDate | None = None
    planned_area_km2: AreaKm2
    boundary: dict[str, Any] | None = None
    operator_name: OperatorName = ""
    operator_uscc: UsccText = ""
    management_model: ManagementModel = "committee_company"
    smart_platform: bool = False
    smart_subsystems: SmartSubsystems = 0
    green_level: GreenLevel = ""
    lead_chains: ChainCodes = []


class ParkPatch(InputSchema):
    """Only the fields sent are changed. A field the park must have cannot be sent as null (422);
    `recognised_on` and `boundary` can (cleared)."""

    name: ParkName = if_sent()
    park_type: ParkTypeCode = if_sent()
    status: ParkStatus = if_sent()
    recognised_on: PlausibleDate | None = None
    planned_area_km2: AreaKm2 = if_sent()
    boundary: dict[str, Any] | None = None
    operator_name: OperatorName = if_sent()
    operator_uscc: UsccText = if_sent()
    management_model: ManagementModel = if_sent()
    smart_platform: bool = if_sent()
    smart_subsystems: SmartSubsystems = if_sent()
    green_level: GreenLevel = if_sent()
    lead_chains: ChainCodes = if_sent()


class EnterpriseOut(Schema):
    uscc: str
    name: str
    industry: str = Field(..., alias="industry_id")
    district: str = Field(..., alias="district.code")
    park: str | None
    park_assignment: str
    address: str
    lon: float | None
    lat: float | None
    founded_on: dt.date | None
    registration_status: str
    synthetic: bool

    @staticmethod
    def resolve_park(obj: Enterprise) -> str | None:
        return obj.park.code if obj.park else None


class LabelOut(Schema):
    kind: str
    level: str
    certificate_no: str
    valid_from: dt.date
    valid_to: dt.date | None


class EnterpriseVersionOut(Schema):
    """One stretch of an enterprise's dated state: the park (null: outside parks), district,
    industry class and registration status in force from valid_from (null: since the first record)
    to valid_to (null: still in force)."""

    valid_from: dt.date | None
    valid_to: dt.date | None
    park: str | None
    district: str
    industry: str = Field(..., alias="industry_id")
    registration_status: str

    @staticmethod
    def resolve_park(obj: EnterpriseVersion) -> str | None:
        return obj.park.code if obj.park else None

    @staticmethod
    def resolve_district(obj: EnterpriseVersion) -> str:
        return obj.district.code


class EnterpriseDetailOut(EnterpriseOut):
    labels: list[LabelOut]
    history: list[EnterpriseVersionOut]

    @staticmethod
    def resolve_labels(obj: Enterprise) -> list[Any]:
        return list(obj.labels.all())

    @staticmethod
    def resolve_history(obj: Enterprise) -> list[Any]:
        versions = obj.versions.select_related("park", "district")
        return list(versions.order_by(models.F("valid_from").asc(nulls_first=True)))


EnterpriseName = Annotated[str, Field(max_length=120)]
IndustryCode = Annotated[str, Field(max_length=5)]
DistrictCode = Annotated[str, Field(max_length=12)]
Address = Annotated[str, Field(max_length=200)]


class EnterpriseIn(InputSchema):
    uscc: UsccText
    name: EnterpriseName
    industry: IndustryCode
    district: DistrictCode
    park: ParkCode | None = None
    address: Address = ""
    lon: float | None = None
    lat: float | None = None
    coordinate_system: Literal["wgs84", "gcj02"] = "wgs84"
    founded_on: PlausibleDate | None = None


class EnterprisePatch(InputSchema):
    """Only the fields sent are changed; `park` (null: outside any park), `lon`, `lat` and
    `founded_on` may be cleared with null, the others not (422)."""

    name: EnterpriseName = if_sent()
    industry: IndustryCode = if_sent()
    district: DistrictCode = if_sent()
    park: ParkCode | None = None
    address: Address = if_sent()
    lon: float | None = None
    lat: float | None = None
    coordinate_system: Literal["wgs84", "gcj02"] = "wgs84"
    founded_on: PlausibleDate | None = None


def _district_id(code: str | None, field: str = "district") -> int | None:
    from django.core.exceptions import ValidationError

    if code is None:
        return None
    found: int | None = District.objects.filter(code=code).values_list("pk", flat=True).first()
    if found is None:
        raise ValidationError({field: f"区代码“{code}”不存在"})
    return found


def _park_id(user: User, code: str | None) -> int | None:
    from django.core.exceptions import ValidationError

    if code is None:
        return None
    found = Park.objects.visible_to(user).filter(code=code).values_list("pk", flat=True).first()
    if found is None:
        raise ValidationError({"park": f"园区“{code}”不存在或不在您的权限范围内"})
    return found


def _chain_ids(codes: list[str] | None) -> list[int] | None:
    from django.core.exceptions import ValidationError

    if codes is None:
        return None
    found = dict(IndustryChain.objects.filter(code__in=codes).values_list("code", "pk"))
    missing = [code for code in codes if code not in found]
    if missing:
        raise ValidationError({"lead_chains": f"产业链不存在：{'、'.join(missing)}"})
    return [found[code] for code in codes]


@router.get("/districts", response=list[DistrictOut], summary="区与开发区列表")
@paginate(Page, page_size=100)
def list_districts(request: HttpRequest) -> Any:
    return District.objects.visible_to(api_user(request))


@router.get("/chains", response=list[ChainOut], summary="产业链列表")
@paginate(Page, page_size=100)
def list_chains(request: HttpRequest) -> Any:
    return IndustryChain.objects.visible_to(api_user(request))


if TYPE_CHECKING:
    ParkQuery = InputSchema
    EnterpriseQuery = InputSchema
else:
    ParkQuery = query_schema(selectors.ParkFilters, name="ParkQuery", names=selectors.PARK_QUERY_NAMES)
    EnterpriseQuery = query_schema(selectors.EnterpriseFilters, name="EnterpriseQuery")


@router.get("/parks", response=list[ParkOut], summary="园区列表（按权限范围）")
@paginate(Page, page_size=100)
def list_parks(request: HttpRequest, filters: Query[ParkQuery]) -> Any:
    user = api_user(request)
    return selectors.park_list(
        user, filters_taken(selectors.ParkFilters.from_query(filters.dict(), user))
    ).prefetch_related("lead_chains")


@router.get("/parks/{code}", response=ParkDetailOut, summary="园区详情")
def get_park(request: HttpRequest, code: CodePath) -> Any:
    return get_visible_or_404(Park.objects.select_related("district"), api_user(request), code=code)


@router.post("/parks", response={201: ParkDetailOut}, summary="新建园区")
def create_park(request: HttpRequest, payload: ParkIn) -> Any:
    user = api_user(request)
    data = payload.dict()
    chains = _chain_ids(data.pop("lead_chains"))
    data["district_id"] = _district_id(data.pop("district"))
    park = services.park_create(actor=user, lead_chain_ids=chains, **data)
    return Status(201, park)


@router.patch("/parks/{code}", response=ParkDetailOut, summary="修改园区（只改所发送的字段）")
def update_park(request: HttpRequest, code: CodePath, payload: ParkPatch) -> Any:
    user = api_user(request)
    park = get_writable_or_403(Park.objects.all(), user, code=code)
    data = payload.dict(exclude_unset=True)
    chains = _chain_ids(data.pop("lead_chains", None))
    return services.park_update(actor=user, park=park, lead_chain_ids=chains, **data)


@router.get("/enterprises", response=list[EnterpriseOut], summary="企业列表（按权限范围）")
@paginate(Page, page_size=100)
def list_enterprises(request: HttpRequest, filters: Query[EnterpriseQuery]) -> Any:
    user = api_user(request)
    return selectors.enterprise_list(user, filters_taken(selectors.EnterpriseFilters.from_query(filters.dict(), user)))


@router.get("/enterprises/{uscc}", response=EnterpriseDetailOut, summary="企业详情")
def get_enterprise(request: HttpRequest, uscc: CodePath) -> Any:
    return get_visible_or_404(Enterprise.objects.select_related("district", "park"), api_user(request), uscc=uscc)


def _enterprise_fields(user: User, data: dict[str, Any]) -> dict[str, Any]:
    if "industry" in data:
        data["industry_id"] = (data.pop("industry") or "").strip().upper()
    if "district" in data:
        data["district_id"] = _district_id(data.pop("district"))
    if "park" in data:
        data["park_id"] = _park_id(user, data.pop("park"))
    return data


@router.post("/enterprises", response={201: EnterpriseDetailOut}, summary="新建企业")
def create_enterprise(request: HttpRequest, payload: EnterpriseIn) -> Any:
    user = api_user(request)
    # The role first: a role that writes no enterprise hears so, not that the park named is unknown.
    check_fields(user, Enterprise, [])
    data = _enterprise_fields(user, payload.dict())
    if data.get("park_id") is None:
        data.pop("park_id", None)
    return Status(201, services.enterprise_create(actor=user, **data))


@router.patch("/enterprises/{uscc}", response=EnterpriseDetailOut, summary="修改企业（只改所发送的字段）")
def update_enterprise(request: HttpRequest, uscc: CodePath, payload: EnterprisePatch) -> Any:
    user = api_user(request)
    enterprise = get_writable_or_403(Enterprise.objects.all(), user, uscc=uscc)
    data = _enterprise_fields(user, payload.dict(exclude_unset=True))
    return services.enterprise_update(actor=user, enterprise=enterprise, **data)


# ── park change requests ──────────────────────────────────────────────────────────────────────


ChangeRequestText = Annotated[str, AfterValidator(check_text), Field(max_length=1000)]


class ChangeRequestIn(InputSchema):
    park: Code
    changes: dict[Code, Any] = Field(..., description='要变更的字段及申请值，如 {"park_type": "modern"}')
    reason: ChangeRequestText


class ChangeRequestOut(Schema):
    id: int
    park: RelatedPark
    park_name: RelatedParkName
    status: str
    status_label: str
    changes: dict[str, Any]
    reason: str
    proposed_by: str | None
    proposed_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_note: str


class ChangeDecisionIn(InputSchema):
    note: ChangeRequestText = ""


class ChangeRequestQuery(InputSchema):
    park: Code = ""
    status: Code = ""


def _change_request_out(request: ParkChangeRequest) -> dict[str, Any]:
    return published_values(
        request,
        ChangeRequestOut,
        status_label=request.get_status_display(),
        proposed_by=str(request.proposed_by) if request.proposed_by else None,
        decided_by=str(request.decided_by) if request.decided_by else None,
    )


def _change_request(user: User, request_id: IdPath) -> ParkChangeRequest:
    return get_visible_or_404(
        ParkChangeRequest.objects.select_related("park", "proposed_by", "decided_by"), user, pk=request_id
    )


@router.get("/change-requests", response=list[ChangeRequestOut], summary="园区信息变更申请列表")
@paginate(Page, page_size=50)
def list_change_requests(request: HttpRequest, filters: Query[ChangeRequestQuery]) -> Any:
    rows = ParkChangeRequest.objects.visible_to(api_user(request)).select_related("park", "proposed_by", "decided_by")
    if filters.park:
        rows = rows.filter(park__code=filters.park)
    if filters.status:
        rows = rows.filter(status=filters.status)
    return Mapped(rows, _change_request_out)


@router.post("/change-requests", response={201: ChangeRequestOut}, summary="提交园区信息变更申请")
def file_change_request(request: HttpRequest, payload: ChangeRequestIn) -> Any:
    user = api_user(request)
    park = get_visible_or_404(Park.objects.all(), user, code=payload.park)
    filed = change_requests.park_change_request_file(
        actor=user, park=park, changes=payload.changes, reason=payload.reason
    )
    return Status(201, _change_request_out(_change_request(user, filed.pk)))


@router.get("/change-requests/{request_id}", response=ChangeRequestOut, summary="园区信息变更申请详情")
def get_change_request(request: HttpRequest, request_id: IdPath) -> Any:
    return _change_request_out(_change_request(api_user(request), request_id))


@router.post(
    "/change-requests/{request_id}/approve",
    response={200: ChangeRequestOut},
    summary="批准园区信息变更申请（原值已变时 409）",
)
def approve_change_request(request: HttpRequest, request_id: IdPath, payload: ChangeDecisionIn) -> Any:
    user = api_user(request)
    target = _change_request(user, request_id)
    change_requests.park_change_request_approve(actor=user, request=target, note=payload.note)
    return _change_request_out(_change_request(user, request_id))


@router.post("/change-requests/{request_id}/reject", response=ChangeRequestOut, summary="驳回园区信息变更申请")
def reject_change_request(request: HttpRequest, request_id: IdPath, payload: ChangeDecisionIn) -> Any:
    user = api_user(request)
    change_requests.park_change_request_reject(actor=user, request=_change_request(user, request_id), note=payload.note)
    return _change_request_out(_change_request(user, request_id))


@router.post("/change-requests/{request_id}/withdraw", response=ChangeRequestOut, summary="撤回园区信息变更申请")
def withdraw_change_request(request: HttpRequest, request_id: IdPath) -> Any:
    user = api_user(request)
    change_requests.park_change_request_withdraw(actor=user, request=_change_request(user, request_id))
    return _change_request_out(_change_request(user, request_id))


# ── dated history (时点口径) ──────────────────────────────────────────────────────────────────


class EnterpriseStateIn(InputSchema):
    """A change of the enterprise's state from `valid_from`: send only what changed. `park` null:
    out of every park; `registration_status` active (存续), cancelled (注销) or moved_out (迁出)."""

    valid_from: PlausibleDate
    park: ParkCode | None = None
    district: DistrictCode = if_sent()
    industry: IndustryCode = if_sent()
    registration_status: Literal["active", "cancelled", "moved_out"] = if_sent()


class VersionStartIn(InputSchema):
    """The corrected first day of a version (the version before it then ends the day before)."""

    valid_from: PlausibleDate


class ParkStateIn(InputSchema):
    """A change of the park's type, recognition status or green level from `valid_from`."""

    valid_from: PlausibleDate
    park_type: ParkTypeCode = if_sent()
    status: ParkStatus = if_sent()
    recognised_on: PlausibleDate | None = None
    green_level: GreenLevel = if_sent()


@router.post(
    "/enterprises/{uscc}/history",
    response={201: EnterpriseVersionOut},
    summary="记录企业自某日起的状态变更（迁园、行业、注销、迁出）",
)
def record_enterprise_state(request: HttpRequest, uscc: CodePath, payload: EnterpriseStateIn) -> Any:
    user = api_user(request)
    enterprise = get_writable_or_403(Enterprise.objects.all(), user, uscc=uscc)
    data = payload.dict(exclude_unset=True)
    valid_from = data.pop("valid_from")
    fields = _enterprise_fields(user, data)
    version = history.enterprise_state_change(actor=user, enterprise=enterprise, valid_from=valid_from, **fields)
    return Status(201, version)


@router.patch(
    "/enterprises/{uscc}/history/{version_id}",
    response=EnterpriseVersionOut,
    summary="更正企业某段历史状态的起始日期",
)
def correct_enterprise_version(
    request: HttpRequest, uscc: CodePath, version_id: IdPath, payload: VersionStartIn
) -> Any:
    user = api_user(request)
    enterprise = get_writable_or_403(Enterprise.objects.all(), user, uscc=uscc)
    version = get_visible_or_404(EnterpriseVersion.objects.all(), user, pk=version_id, enterprise=enterprise)
    return history.enterprise_version_correct(actor=user, version=version, valid_from=payload.valid_from)


@router.post(
    "/parks/{code}/history",
    response={201: ParkVersionOut},
    summary="记录园区自某日起的类型、认定状态或绿色园区等级变更",
)
def record_park_state(request: HttpRequest, code: CodePath, payload: ParkStateIn) -> Any:
    user = api_user(request)
    park = get_writable_or_403(Park.objects.all(), user, code=code)
    data = payload.dict(exclude_unset=True)
    valid_from = data.pop("valid_from")
    return Status(201, history.park_state_change(actor=user, park=park, valid_from=valid_from, **data))


@router.patch(
    "/parks/{code}/history/{version_id}",
    response=ParkVersionOut,
    summary="更正园区某段历史状态的起始日期",
)
def correct_park_version(request: HttpRequest, code: CodePath, version_id: IdPath, payload: VersionStartIn) -> Any:
    user = api_user(request)
    park = get_writable_or_403(Park.objects.all(), user, code=code)
    version = get_visible_or_404(ParkVersion.objects.all(), user, pk=version_id, park=park)
    return history.park_version_correct(actor=user, version=version, valid_from=payload.valid_from)
