"""The input of every casework write, in one place: the schemas the API takes as its bodies, which the
pages read their posts through as well (`PostedForm`), and the look-ups that turn the codes in the
input into objects. A page and the API therefore refuse the same input with the same Chinese message:
a text over its length, an unknown unit code, a date that is not one.

Who calls it: `casework/actions.py` (the action table), `views.py` (the pages) and `api.py` (the
API's bodies). The services check the rules of each step again; this module checks only the form of
the input and whether the codes it names exist."""

# No `from __future__ import annotations` here: Django Ninja and pydantic read the annotations at runtime.
import types
import typing
from collections.abc import Mapping
from typing import Annotated, Any, Generic, Literal, TypeVar

import pydantic
from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from ninja import Field

from yuanqu.casework.models import ApprovalRequest, Case, Category
from yuanqu.casework.services import HANDOVER_TARGET
from yuanqu.core.contract.errors import schema_message
from yuanqu.core.contract.schemas import MAX_INT, Code, Id, InputSchema, PlausibleDate
from yuanqu.core.forms import PageForm, choice_field, date_field, text_field
from yuanqu.core.models import User
from yuanqu.registry.models import Park, ResponsibleUnit

# ── messages for a code that names nothing (tests assert on these; translated where raised) ──────────
UNIT_UNKNOWN = gettext_noop("责任单位“%(code)s”不存在")
CATEGORY_UNKNOWN = gettext_noop("诉求类别“%(code)s”不存在")
CATEGORY_REQUIRED = gettext_noop("请选择诉求类别")
PARK_UNKNOWN = gettext_noop("园区“%(code)s”不存在或不在您的权限范围内")
APPROVAL_UNKNOWN = gettext_noop("审批事项不存在")

# ── the schemas: longest texts the casework columns keep (the services refuse longer ones too) ──────
CaseTitle = Annotated[str, Field(max_length=100)]
LongText = Annotated[str, Field(max_length=5000)]
Reason = Annotated[str, Field(max_length=2000)]
Note = Annotated[str, Field(max_length=2000)]
Items = Annotated[list[Annotated[str, Field(max_length=200)]], Field(max_length=50)]
Version = Annotated[int, Field(ge=0, le=MAX_INT)]
VISIT_SUMMARY_LENGTH = 3000
AnswerValue = Annotated[str, Field(max_length=500)] | float | bool | None


class CaseIn(InputSchema):
    category: Code
    title: CaseTitle
    description: LongText
    enterprise: Code | None = None
    park: Code | None = None
    answers: Annotated[dict[Annotated[str, Field(max_length=40)], AnswerValue], Field(max_length=50)] = {}
    channel: Literal["online", "phone", "visit", "window", "hotline"] | None = None
    contact_name: Annotated[str, Field(max_length=40)] = ""
    contact_phone: Annotated[str, Field(max_length=30)] = ""


class Versioned(InputSchema):
    version: Version


class NoteIn(Versioned):
    note: Note = ""


class ReasonIn(Versioned):
    reason: Reason


class NoticeIn(Versioned):
    items: Items
    text: LongText = ""


class TextIn(Versioned):
    text: LongText


class AssignIn(Versioned):
    lead_unit: Code
    co_units: Annotated[list[Code], Field(max_length=20)] = []
    note: Note = ""


class TransferIn(Versioned):
    to_unit: Code
    reason: Reason


class RateIn(Versioned):
    # The levels are the policy pack's (the service refuses an unknown one); both answers are the
    # enterprise's own, so a missing one gets the service's question, not a bare "required".
    level: Code = ""
    resolved: bool | None = None
    comment: Annotated[str, Field(max_length=2000)] = ""
    next_step: Literal["close", "reopen", "appeal"] = "close"


class AppealDecisionIn(Versioned):
    upheld: bool
    text: LongText


class WithdrawIn(Versioned):
    reason: Reason = ""


class HandOverIn(Versioned):
    to_user: Annotated[str, Field(max_length=150)]
    reason: Reason


class ApprovalDecisionIn(Versioned):
    approve: bool
    note: Note = ""


class ExtensionIn(InputSchema):
    # Bounded for the column only: the policy's range is the service's rule, with its own message.
    days: Annotated[int, Field(ge=0, le=MAX_INT)]
    reason: Reason


class ClarificationIn(InputSchema):
    items: Items
    reason: Reason


class RemindIn(InputSchema):
    note: Annotated[str, Field(max_length=300)] = ""


class CommentIn(InputSchema):
    text: Annotated[str, Field(max_length=3000)]
    to_enterprise: bool = False


class FollowUpIn(InputSchema):
    note: Note


class ApprovalRef(InputSchema):
    """The approval request a page's decision addresses (the API has it in the path)."""

    approval: Id | None = None


class AttachIn(InputSchema):
    visible_to_enterprise: bool = True


class VisitIn(InputSchema):
    enterprise: Code
    visited_on: PlausibleDate
    summary: Annotated[str, Field(max_length=VISIT_SUMMARY_LENGTH)]


class VisitForm(PageForm):
    """The visits page's form, checked with the API's body for the same visit (`VisitIn`)."""

    schema = VisitIn

    enterprise = text_field(gettext_lazy("企业统一社会信用代码"))
    visited_on = date_field(gettext_lazy("走访日期"))
    summary = text_field(gettext_lazy("走访情况"), max_length=VISIT_SUMMARY_LENGTH)
    # Which button saved it: "case" goes on to 代录诉求 for the visited firm (not part of the visit).
    then = choice_field(gettext_lazy("保存后"), [("", ""), ("case", "case")], required=False)

    def visit(self) -> VisitIn:
        return VisitIn.model_validate(self.schema_data())


class ReadIn(InputSchema):
    ids: Annotated[list[Id], Field(max_length=1000)] | None = None


# How the pages name a field in a message (the API names it by its `loc`).
LABELS: dict[str, str] = {
    "category": gettext_noop("诉求类别"),
    "title": gettext_noop("标题"),
    "description": gettext_noop("诉求内容"),
    "enterprise": gettext_noop("企业统一社会信用代码"),
    "park": gettext_noop("园区"),
    "channel": gettext_noop("来源渠道"),
    "contact_name": gettext_noop("联系人"),
    "contact_phone": gettext_noop("联系电话"),
    "version": gettext_noop("版本"),
    "note": gettext_noop("备注"),
    "reason": gettext_noop("理由"),
    "items": gettext_noop("补正事项"),
    "text": gettext_noop("内容"),
    "lead_unit": gettext_noop("牵头单位"),
    "co_units": gettext_noop("配合单位"),
    "to_unit": gettext_noop("转至"),
    "level": gettext_noop("满意度"),
    "resolved": gettext_noop("问题是否已解决"),
    "comment": gettext_noop("意见"),
    "next_step": gettext_noop("不满意时"),
    "to_user": gettext_noop("移交给"),
    "days": gettext_noop("延期工作日"),
    "visited_on": gettext_noop("走访日期"),
    "summary": gettext_noop("走访情况"),
}

S = TypeVar("S", bound=InputSchema)
_TRUE = frozenset({"1", "true", "on", "yes"})
_FALSE = frozenset({"0", "false", "off", "no"})
# Separators a person types between the items of a list written one per line.
_ITEM_STRIP = " \u3000;；、"


def _shape(annotation: Any) -> tuple[type | None, bool]:
    """(list, dict, bool or None for anything else; whether None is allowed) of a schema field."""
    optional = False
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        optional = len(members) < len(typing.get_args(annotation))
        annotation = members[0] if len(members) == 1 else None
    if typing.get_origin(annotation) is Annotated:
        annotation = typing.get_args(annotation)[0]
    origin = typing.get_origin(annotation) or annotation
    return (origin if origin in (list, dict, bool) else None), optional


class PostedForm(Generic[S]):
    """A page's post read into an input schema, the way a browser sends it: a list as repeated
    fields or one item per line, a checkbox as present or absent (a yes/no question that may stay
    unanswered as 1, 0 or nothing), a mapping as fields with a prefix (`answer_<code>`), an empty
    optional field as None. A field the post lacks is left to the schema's default, so a page
    missing a required field is refused like the API is."""

    def __init__(self, schema: type[S], data: QueryDict, *, names: Mapping[str, str] | None = None) -> None:
        self.schema = schema
        self.names = dict(names or {})
        self.data = data
        self.errors: dict[str, list[str]] = {}
        self._cleaned: S | None = None

    def _read(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, field in self.schema.model_fields.items():
            key = self.names.get(name, name)
            kind, optional = _shape(field.annotation)
            if kind is dict:
                prefix = f"{key}_"
                values[name] = {k[len(prefix) :]: v for k, v in self.data.items() if k.startswith(prefix)}
            elif kind is bool and not optional:
                values[name] = self.data.get(key, "").lower() in _TRUE
            elif key not in self.data:
                continue
            elif kind is list:
                lines = (line.strip(_ITEM_STRIP) for raw in self.data.getlist(key) for line in raw.splitlines())
                values[name] = [line for line in lines if line]
            elif kind is bool:
                raw = self.data.get(key, "").lower()
                values[name] = True if raw in _TRUE else False if raw in _FALSE else None
            else:
                raw = self.data.get(key, "")
                values[name] = None if optional and raw == "" else raw
        return values

    def is_valid(self) -> bool:
        if self._cleaned is not None:
            return True
        try:
            self._cleaned = self.schema.model_validate(self._read())
        except pydantic.ValidationError as exc:
            for item in exc.errors():
                loc = [part for part in item.get("loc", ()) if isinstance(part, str)]
                self.errors.setdefault(loc[0] if loc else "", []).append(schema_message(dict(item)))
            return False
        return True

    @property
    def cleaned(self) -> S:
        if not self.is_valid():
            raise ValidationError(self.errors)
        assert self._cleaned is not None
        return self._cleaned

    @property
    def cleaned_data(self) -> dict[str, Any]:
        """The cleaned values by field (as `core.forms.take_post` hands them to its step)."""
        return dict(self.cleaned)

    def refusal(self) -> Exception | None:
        """A refusal of the post is shown on the page as messages (`core.forms.take_post`)."""
        return None

    def error_messages(self) -> list[str]:
        """Each refusal as the page shows it: the field's label, then the message the API gives."""
        shown = []
        for field, messages in self.errors.items():
            label = LABELS.get(field)
            shown += [f"{_(label)}：{message}" if label else message for message in messages]
        return shown


def approval_named(data: QueryDict) -> int | None:
    """The approval request a page's decision names (`ApprovalRef`), None when it names none or
    not one that could exist (`approval_for` then answers 404)."""
    reference = PostedForm(ApprovalRef, data)
    return reference.cleaned.approval if reference.is_valid() else None


# ── codes named by the input, as objects ─────────────────────────────────────────────────────────


def unit_for(code: str | None, *, field: str) -> ResponsibleUnit | None:
    """The responsible unit with this code; None when no code was given (the service asks for one);
    a code that names no unit is refused."""
    if not code:
        return None
    unit: ResponsibleUnit | None = ResponsibleUnit.objects.filter(code=code).first()
    if unit is None:
        raise ValidationError({field: _(UNIT_UNKNOWN) % {"code": code}})
    return unit


def units_for(codes: list[str], *, field: str) -> list[ResponsibleUnit]:
    return [unit for unit in (unit_for(code, field=field) for code in codes) if unit is not None]


def category_for(actor: User, code: str) -> Category:
    """The category a case is entered in: one the actor sees (the city sees every one); whether it is
    active and open to the actor's role is the service's rule."""
    if not code:
        raise ValidationError({"category": _(CATEGORY_REQUIRED)})
    category = Category.objects.visible_to(actor).filter(code=code).first()
    if category is None and actor.is_city_wide:
        category = Category.objects.filter(code=code).first()
    if category is None:
        raise ValidationError({"category": _(CATEGORY_UNKNOWN) % {"code": code}})
    return category


def park_for(actor: User, code: str | None) -> Park | None:
    if not code:
        return None
    park: Park | None = Park.objects.visible_to(actor).filter(code=code).first()
    if park is None:
        raise ValidationError({"park": _(PARK_UNKNOWN) % {"code": code}})
    return park


def handover_target(username: str) -> User:
    target = User.objects.filter(username=username, is_active=True).first() if username else None
    if target is None:
        raise ValidationError({"to_user": _(HANDOVER_TARGET)})
    return target


def approval_for(case: Case, approval_id: int | None) -> ApprovalRequest:
    approval = case.approvals.filter(pk=approval_id).first() if approval_id else None
    if approval is None:
        raise Http404(_(APPROVAL_UNKNOWN))
    approval.case = case
    return approval
