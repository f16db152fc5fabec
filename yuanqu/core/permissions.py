"""Saying no, in one place: which role may write which field of which model, and the getters that
pages, the API and services use to refuse a write.

Reads go through `visible_to` (access.py) and answer 404 outside the user's scope. A write needs
more: the object must be visible, the user's role must own the field it changes (`FIELD_OWNERS`,
a table rather than a chain of ifs, printed in docs/architecture.md and tested cell by cell), and
an object the write creates or moves must land inside the user's scope (`may_place`). A refused
write raises `PermissionDenied` (403 on the API and the site) with a Chinese message naming the
fields; views call exactly one of `get_visible_or_404` (read) or `get_writable_or_403` (write),
as healthchecks does with its read and read-write check getters.

Models are named by their label ("registry.Park"), so core imports no application code.

`write_gate(allowed, message, code)`: a write's first question — may this actor ask for it at all?
— stated in one line beside its refusal; the check raises `WriteDenied` for an actor `allowed`
refuses (the row's scope is the service's later question)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.utils.translation import gettext

from yuanqu.core.access import ScopedQuerySet, active_user, get_visible_or_404
from yuanqu.core.models import User
from yuanqu.core.roles import CITY_WIDE_ROLES, HOLIDAY_TABLE_KEEPERS, REGISTRY_WRITER_ROLES, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from yuanqu.core.models import User

M = TypeVar("M", bound=models.Model)

# ── role checks ──────────────────────────────────────────────────────────────────────────────

# Roles that decide for the whole city (the fields the city owns, approvals, the city's task steps).
CITY_ADMIN_ROLES = frozenset({Role.CITY_ADMIN, Role.SYSADMIN})


def role_of(user: User | AnonymousUser | None) -> Role | None:
    """The role a user acts in (a Django superuser acts as system administrator); None when the user
    is anonymous or inactive."""
    member = active_user(user)
    if member is None:
        return None
    if member.is_superuser:
        return Role.SYSADMIN
    return Role(member.role)


def has_role(user: User | AnonymousUser | None, roles: Iterable[Role]) -> bool:
    return role_of(user) in set(roles)


def require_role(user: User, roles: Iterable[Role | str], message: str, *, superuser: bool = True) -> None:
    """Refuse (403, with the page's or endpoint's own `message`) a user whose role is not among
    `roles`; a Django superuser passes unless `superuser=False` (a person's or a firm's own data,
    which no administrator acts for)."""
    if user.role not in set(roles) and not (superuser and user.is_superuser):
        raise PermissionDenied(message)


def is_city_admin(user: User | AnonymousUser | None) -> bool:
    """市级管理员 or the system administrator: the roles that decide city-owned fields."""
    return has_role(user, CITY_ADMIN_ROLES)


def is_finance_reader(user: User | AnonymousUser | None) -> bool:
    """The 市财政局 (`finance`): a read role with no scope object. It reads the award and subsidy ledger,
    the funds' investments and the confirmed 产业名园 selections of the whole city, and writes nothing."""
    return role_of(user) == Role.FINANCE


# API tokens serve systems that call the API for a user (`core/apiauth.py`). Every role whose work the
# API serves may create one: the 市财政局 reads the award and subsidy ledger and the funds there (its
# accounting system reconciles with them). A 人才用户 is a private person who keeps their own profile
# on the site; no long-lived key to a person's data exists outside their own session, so that role
# may not (and a token it holds authenticates nobody).
API_TOKEN_ROLES = frozenset(Role) - {Role.TALENT}


def may_hold_api_token(user: User | AnonymousUser | None) -> bool:
    return has_role(user, API_TOKEN_ROLES)


def is_holiday_keeper(user: User | AnonymousUser | None) -> bool:
    """The roles that keep the holiday table (its admin pages and the banner's link lead there)."""
    return has_role(user, HOLIDAY_TABLE_KEEPERS)


# 精准招商 (investment): the roles that work with 招商 at all (any other finds nothing there, 404),
# and those that register projects, library firms and 载体 (each within its own scope, `may_place`).
INVESTMENT_READER_ROLES = CITY_WIDE_ROLES | {Role.DISTRICT, Role.PARK_OPERATOR}
INVESTMENT_WRITER_ROLES = REGISTRY_WRITER_ROLES


def may_read_investment(user: User | AnonymousUser | None) -> bool:
    return has_role(user, INVESTMENT_READER_ROLES)


def may_register_investment(user: User | AnonymousUser | None) -> bool:
    return has_role(user, INVESTMENT_WRITER_ROLES)


def operator_park_id(user: User | AnonymousUser | None) -> int | None:
    """The park a park operator is confined to (its pages show that park only); None for any other role."""
    member = active_user(user)
    if member is None or role_of(member) != Role.PARK_OPERATOR:
        return None
    return member.park_id


# Roles that serve firms (企业服务专员, visit plans, service lists, fee registers): the city, the
# districts and the park operators, each within its scope.
FIRM_SERVICE_ROLES = frozenset({Role.CITY_ADMIN, Role.SYSADMIN, Role.DISTRICT, Role.PARK_OPERATOR})


def serves_firms(user: User | AnonymousUser | None) -> bool:
    """A user of the city, a district or a park who may serve firms (a Django superuser too)."""
    return has_role(user, FIRM_SERVICE_ROLES)


def is_enterprise_user(user: User | AnonymousUser | None) -> bool:
    """An enterprise's own account (the portal's pages and a firm's own steps)."""
    return role_of(user) == Role.ENTERPRISE


# 人才直通车: who opens its pages, who organises 专项招聘 events (park staff within their scope, the
# city), and who handles personal data and the 工匠 register (市人才局 and 市人社局 handlers work as
# city administrators).
TALENT_PAGE_ROLES = frozenset(
    {Role.CITY_ADMIN, Role.CITY_VIEWER, Role.SYSADMIN, Role.DISTRICT, Role.PARK_OPERATOR, Role.TALENT, Role.ENTERPRISE}
)
TALENT_EVENT_ORGANISER_ROLES = frozenset({Role.CITY_ADMIN, Role.SYSADMIN, Role.DISTRICT, Role.PARK_OPERATOR})


# 责任单位办理人 of task 17's lead units (units.yaml, tasks.yaml `lead_units: [rcj, rsj, jxj]`): the
# handlers of 市人才局 and 市人社局 see the whole picture and handle talent policies and personal data
# as the city's talent handlers do; those of 市经信局 see the demand (openings, 紧缺人才, events,
# challenges; no person); every other unit's handlers have no part in 人才直通车.
TALENT_WHOLE_UNITS = frozenset({"rcj", "rsj"})
TALENT_DEMAND_UNITS = frozenset({"jxj"})
TALENT_WHOLE = "whole"
TALENT_DEMAND = "demand"


def talent_unit_reach(user: User | AnonymousUser | None) -> str | None:
    """What a 责任单位办理人 reaches of 人才直通车 by their unit: TALENT_WHOLE, TALENT_DEMAND or None
    (None for every other role too)."""
    if role_of(user) != Role.HANDLER:
        return None
    unit = getattr(user, "unit", None)
    code = unit.code if unit is not None else ""
    if code in TALENT_WHOLE_UNITS:
        return TALENT_WHOLE
    return TALENT_DEMAND if code in TALENT_DEMAND_UNITS else None


def may_read_talent(user: User | AnonymousUser | None, roles: Iterable[Role], *, demand: bool = True) -> bool:
    """`roles` of a talent page or operation, or a handler of 市人才局/市人社局, or (with `demand`, the
    pages of openings, events and challenges) a handler of 市经信局."""
    reach = talent_unit_reach(user)
    return has_role(user, roles) or reach == TALENT_WHOLE or (demand and reach == TALENT_DEMAND)


def may_open_talent(user: User | AnonymousUser | None) -> bool:
    """The roles that open /talent/ (links to it are shown to these only)."""
    return may_read_talent(user, TALENT_PAGE_ROLES)


def is_talent_event_organiser(user: User | AnonymousUser | None) -> bool:
    """Park staff, districts and the city: they announce 专项招聘 events in their scope."""
    return has_role(user, TALENT_EVENT_ORGANISER_ROLES)


def is_talent_handler(user: User | AnonymousUser | None) -> bool:
    """The city's talent handlers: personal data in clear, its export, the 工匠 register, talent
    policies' payments (the city's administrators and the handlers of 市人才局 and 市人社局)."""
    return is_city_admin(user) or talent_unit_reach(user) == TALENT_WHOLE


# ── who owns which field ─────────────────────────────────────────────────────────────────────

ALL = "__all__"

PARK_CITY_FIELDS = (
    "code",
    "name",
    "district",
    "park_type",
    "status",
    "status_since",
    "recognised_on",
    "planned_area_km2",
    "boundary",
    "lead_chains",
    "smart_platform",
    "smart_subsystems",
    "green_level",
    "synthetic",
)
PARK_OPERATOR_FIELDS = ("operator_name", "operator_uscc", "management_model")
ENTERPRISE_OWN_FIELDS = ("address",)
ENTERPRISE_REGISTRY_FIELDS = (
    "uscc",
    "name",
    "industry",
    "address",
    "lon",
    "lat",
    "district",
    "park",
    "park_assignment",
    "founded_on",
    "registration_status",
)
LABEL_FIELDS = ("enterprise", "kind", "level", "certificate_no", "valid_from", "valid_to", "source", "products")
LAND_FIELDS = ("code", "district", "park", "enterprise", "area_mu", "use", "supply_method", "supplied_on")
FACILITY_FIELDS = ("park", "kind", "name", "floor_area_m2", "opened_on", "shared")

# Every model a person writes field by field, its fields, and per role the fields that role owns on
# the objects in its scope. A role that is not listed owns nothing of that model. `ALL` means every
# field of the row in `MODEL_FIELDS`. Casework and task supervision are mostly workflow steps, each
# with its own rule in their services; the rows here are the fields a person enters directly.
MODEL_FIELDS: dict[str, tuple[str, ...]] = {
    "registry.Park": PARK_CITY_FIELDS + PARK_OPERATOR_FIELDS,
    "registry.Enterprise": (*ENTERPRISE_REGISTRY_FIELDS, "synthetic"),
    "registry.EnterpriseLabel": LABEL_FIELDS,
    "registry.LandParcel": (*LAND_FIELDS, "synthetic"),
    "registry.ParkFacility": (*FACILITY_FIELDS, "synthetic"),
    # A case entered for an enterprise (`enterprise`) or a problem raised for a park (`park`).
    "casework.Case": ("enterprise", "park"),
    # A visit logged at an enterprise.
    "casework.Visit": ("enterprise",),
    # `status`: 办结/重新打开; `comments`: 批示/催办; `reports`: 季度进展 by an assigned unit.
    "targets.SupervisedTask": ("status", "comments", "reports"),
}

FIELD_OWNERS: dict[str, dict[Role, tuple[str, ...] | str]] = {
    "registry.Park": {
        Role.CITY_ADMIN: ALL,
        Role.SYSADMIN: ALL,
        Role.DISTRICT: ("name", *PARK_OPERATOR_FIELDS),
        Role.PARK_OPERATOR: PARK_OPERATOR_FIELDS,
    },
    "registry.Enterprise": {
        Role.CITY_ADMIN: ALL,
        Role.SYSADMIN: ALL,
        Role.DISTRICT: ENTERPRISE_REGISTRY_FIELDS,
        Role.PARK_OPERATOR: ENTERPRISE_REGISTRY_FIELDS,
        Role.ENTERPRISE: ENTERPRISE_OWN_FIELDS,
    },
    "registry.EnterpriseLabel": {
        Role.CITY_ADMIN: ALL,
        Role.SYSADMIN: ALL,
        Role.DISTRICT: LABEL_FIELDS,
        Role.PARK_OPERATOR: LABEL_FIELDS,
    },
    "registry.LandParcel": {
        Role.CITY_ADMIN: ALL,
        Role.SYSADMIN: ALL,
        Role.DISTRICT: LAND_FIELDS,
        Role.PARK_OPERATOR: LAND_FIELDS,
    },
    "registry.ParkFacility": {
        Role.CITY_ADMIN: ALL,
        Role.SYSADMIN: ALL,
        Role.DISTRICT: FACILITY_FIELDS,
        Role.PARK_OPERATOR: FACILITY_FIELDS,
    },
    "casework.Case": {
        Role.CITY_ADMIN: ALL,
        Role.SYSADMIN: ALL,
        Role.DISTRICT: ALL,
        Role.PARK_OPERATOR: ALL,
        Role.ENTERPRISE: ("enterprise",),
    },
    "casework.Visit": {
        Role.CITY_ADMIN: ALL,
        Role.SYSADMIN: ALL,
        Role.DISTRICT: ALL,
        Role.PARK_OPERATOR: ALL,
    },
    "targets.SupervisedTask": {
        Role.CITY_ADMIN: ("status", "comments"),
        Role.SYSADMIN: ("status", "comments"),
        Role.DISTRICT: ("reports",),
        Role.HANDLER: ("reports",),
    },
}

# Where a role may ask for a change to a field it does not own: the model and the roles that may
# file a change request there for the city to decide (registry.ParkChangeRequest).
CHANGE_REQUEST_ROLES: dict[str, frozenset[Role]] = {
    "registry.Park": frozenset({Role.PARK_OPERATOR, Role.DISTRICT}),
}

# ── messages ────────────────────────────────────────────────────────────────────────────────

ERR_ROLE_NO_WRITE = "您的角色（{role}）无权修改{model}"
ERR_FIELDS_NOT_OWNED = "您的角色（{role}）不能修改{model}的{fields}：{owner}"
ERR_OWNER_CITY = "由市级管理员负责"
ERR_OWNER_OTHERS = "由{roles}负责"
ERR_CHANGE_REQUEST_HINT = "；如需变更，可提交变更申请，由市级管理员审核"
ERR_OUT_OF_SCOPE = "超出您的权限范围：不能在其他区或园区登记数据"


class WriteDenied(PermissionDenied):
    """A refused write: 403 with a Chinese message; `code` says which rule refused, `fields` which
    fields it was about."""

    def __init__(self, message: str, *, code: str = "permission_denied", fields: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.fields = tuple(fields)

    def __str__(self) -> str:
        return self.message


# ── the table, asked ────────────────────────────────────────────────────────────────────────


def _label(model: type[models.Model] | models.Model | str) -> str:
    if isinstance(model, str):
        return model
    return str(model._meta.label)


def owned_fields(role: Role | None, model: type[models.Model] | models.Model | str) -> frozenset[str]:
    """The fields of the model that the role owns (empty for a role that owns none)."""
    if role is None:
        return frozenset()
    label = _label(model)
    cell = FIELD_OWNERS.get(label, {}).get(role, ())
    if cell == ALL:
        return frozenset(MODEL_FIELDS[label])
    return frozenset(cell)


def writable_fields(
    user: User | AnonymousUser | None, model: type[models.Model] | models.Model | str
) -> frozenset[str]:
    return owned_fields(role_of(user), model)


def owners_of(model: type[models.Model] | models.Model | str, field: str) -> list[Role]:
    label = _label(model)
    return [role for role in Role if field in owned_fields(role, label)]


def field_name(model: type[models.Model] | models.Model | str, name: str) -> str:
    """The table's name for a service keyword: a foreign key's `district_id` is `district`."""
    if name.endswith("_id") and not isinstance(model, str):
        try:
            field = model._meta.get_field(name[:-3])
        except FieldDoesNotExist:
            return name
        if field.is_relation:
            return name[:-3]
    return name


def _model_name(model: type[models.Model] | models.Model | str) -> str:
    if isinstance(model, str):
        return model
    return str(model._meta.verbose_name)


def _verbose(model: type[models.Model] | models.Model, name: str) -> str | None:
    """A field's name for people; a reverse relation (a task's reports) by its model's name."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    verbose = getattr(field, "verbose_name", None)
    if verbose is None and field.related_model is not None and not isinstance(field.related_model, str):
        verbose = field.related_model._meta.verbose_name
    return str(verbose) if verbose is not None else None


def _field_label(model: type[models.Model] | models.Model | str, name: str) -> str:
    verbose = None if isinstance(model, str) else _verbose(model, name)
    return f"“{verbose}”（{name}）" if verbose else f"“{name}”"


def check_fields(
    user: User | AnonymousUser | None,
    model: type[models.Model] | models.Model | str,
    fields: Iterable[str],
) -> None:
    """Raise WriteDenied unless the user's role owns every one of the fields (service keywords such
    as `district_id` count as their field). Does not look at the object's scope: see `may_write`."""
    role = role_of(user)
    label = _label(model)
    owned = owned_fields(role, label)
    role_name = Role(role).label if role is not None else "未登录"
    if not owned:
        raise WriteDenied(ERR_ROLE_NO_WRITE.format(role=role_name, model=_model_name(model)), code="no_write")
    names = sorted({field_name(model, name) for name in fields})
    refused = [name for name in names if name not in owned]
    if not refused:
        return
    owner_roles = {owner for name in refused for owner in owners_of(label, name)}
    if owner_roles <= CITY_ADMIN_ROLES:
        owner = ERR_OWNER_CITY
    else:
        owner = ERR_OWNER_OTHERS.format(roles="、".join(str(r.label) for r in Role if r in owner_roles))
    message = ERR_FIELDS_NOT_OWNED.format(
        role=role_name,
        model=_model_name(model),
        fields="、".join(_field_label(model, name) for name in refused),
        owner=owner,
    )
    if role in CHANGE_REQUEST_ROLES.get(label, frozenset()):
        message += ERR_CHANGE_REQUEST_HINT
    raise WriteDenied(message, code="field_not_owned", fields=refused)


def _visible(user: User, obj: models.Model) -> bool:
    if obj.pk is None:
        return True
    manager = type(obj)._default_manager
    queryset = manager.all()
    if not isinstance(queryset, ScopedQuerySet):
        return user.is_city_wide
    return bool(queryset.visible_to(user).filter(pk=obj.pk).exists())


def may_write(user: User | AnonymousUser | None, obj: models.Model, field: str | None = None) -> bool:
    """Whether the user may write the object (any field it owns), or the one field: the object is
    in the user's scope (`visible_to`) and the user's role owns the field."""
    member = active_user(user)
    if member is None:
        return False
    owned = writable_fields(member, obj)
    if not owned or (field is not None and field_name(obj, field) not in owned):
        return False
    return _visible(member, obj)


def writes_within_park(user: User | AnonymousUser | None) -> bool:
    """A park operator: what it writes must lie in its own park (`may_place` asks the park only, and a
    refusal names the park rather than the district)."""
    return role_of(user) == Role.PARK_OPERATOR


def may_place(user: User | AnonymousUser | None, *, district_id: int | None, park_id: int | None) -> bool:
    """Whether a row that lies in this district and park (after the write) is inside the user's
    scope: the whole city for city roles, its district for a district user, its park for a park
    operator. The one write-scope rule: registry services and the intake checks both ask it."""
    member = active_user(user)
    if member is None:
        return False
    if member.is_city_wide:
        return True
    if member.role == Role.DISTRICT:
        return district_id is not None and district_id == member.district_id
    if writes_within_park(member):
        return park_id is not None and park_id == member.park_id
    return False


def check_place(user: User | AnonymousUser | None, *, district_id: int | None, park_id: int | None) -> None:
    if not may_place(user, district_id=district_id, park_id=park_id):
        raise WriteDenied(ERR_OUT_OF_SCOPE, code="out_of_scope")


def get_writable_or_403(
    queryset: ScopedQuerySet[M], user: User | AnonymousUser | None, *, field: str | None = None, **lookup: Any
) -> M:
    """The object for a write: 404 if the user may not see it (exactly as if it did not exist),
    403 if it may see it but its role owns no field of it (or not `field`)."""
    obj = get_visible_or_404(queryset, user, **lookup)
    if field is not None:
        check_fields(user, obj, [field])
    elif not writable_fields(user, obj):
        check_fields(user, obj, [])
    return obj


# ── the table, printed ──────────────────────────────────────────────────────────────────────

# The roles in the printed table, in the order of DESIGN.md.
TABLE_ROLES = (
    Role.CITY_ADMIN,
    Role.SYSADMIN,
    Role.DISTRICT,
    Role.PARK_OPERATOR,
    Role.ENTERPRISE,
    Role.HANDLER,
    Role.CITY_VIEWER,
    Role.AUDITOR,
)


def ownership_markdown() -> str:
    """FIELD_OWNERS as the Markdown tables of docs/architecture.md (a test keeps the two equal)."""
    from django.apps import apps

    blocks: list[str] = []
    for label, fields in MODEL_FIELDS.items():
        model = apps.get_model(label)
        header = "| 字段 | " + " | ".join(str(role.label) for role in TABLE_ROLES) + " |"
        rule = "|---|" + "---|" * len(TABLE_ROLES)
        rows = [f"**{model._meta.verbose_name}** (`{label}`)", "", header, rule]
        for field in fields:
            verbose = _verbose(model, field)
            name = f"{verbose} `{field}`" if verbose else f"`{field}`"
            marks = " | ".join("✓" if field in owned_fields(role, label) else "" for role in TABLE_ROLES)
            rows.append(f"| {name} | {marks} |")
        blocks.append("\n".join(rows))
    return "\n\n".join(blocks) + "\n"


def write_gate(allowed: Callable[[User], bool], message: str, code: str) -> Callable[[User], None]:
    """The check refusing an actor `allowed` says no to with `message` (marked with `gettext_noop`
    where it is defined) and the API's error `code`."""

    def check(actor: User) -> None:
        if not allowed(actor):
            raise WriteDenied(gettext(message), code=code)

    return check
