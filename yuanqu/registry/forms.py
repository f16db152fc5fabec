"""What the registry pages accept when posted: a park change request (filed, approved, rejected,
withdrawn). The values are checked with the API's schemas for the same input
(`registry.api.ChangeRequestIn`, `ChangeDecisionIn`), so the page and the API refuse the same text with the
same message; the services then apply the request's own rules (which fields, which values, who)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from yuanqu.core.confirm import CONFIRM_FIELD, NOT_CONFIRMED, is_ticked
from yuanqu.core.contract.schemas import MAX_BIGINT
from yuanqu.core.forms import ChooserForm, PageForm, choice_field, date_field, integer_field, text_field
from yuanqu.registry.api import ChangeDecisionIn, ChangeRequestIn
from yuanqu.registry.change_requests import park_field
from yuanqu.registry.models import Park, RegistrationStatus

# The fields a change request form offers, with how each is entered.
CHANGE_REQUEST_INPUTS = (
    ("name", "text"),
    ("park_type", "choice"),
    ("status", "choice"),
    ("status_since", "date"),
    ("recognised_on", "date"),
    ("planned_area_km2", "number"),
    ("smart_platform", "yesno"),
    ("smart_subsystems", "number"),
    ("green_level", "choice"),
)
ERR_ACTION = gettext_noop("未知操作")


class ChangeRequestActionForm(ChooserForm):
    """Which of the page's forms was posted: a request filed, or a decision on one."""

    action = forms.ChoiceField(
        choices=[("file", "file"), ("approve", "approve"), ("reject", "reject"), ("withdraw", "withdraw")],
        error_messages={"required": _(ERR_ACTION), "invalid_choice": _(ERR_ACTION)},
    )


class ChangeRequestFileForm(PageForm):
    """A request: one optional `change_<field>` input per requestable field (blank: not asked for)
    and the reason. The values stay text: the service reads each as the park's field would."""

    schema = ChangeRequestIn

    reason = text_field(_("申请理由"), required=False)

    def __init__(self, *args: Any, park: Park, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.park = park
        for name, _kind in CHANGE_REQUEST_INPUTS:
            label = park_field(name).verbose_name
            self.fields[f"change_{name}"] = text_field(label, required=False, max_length=1000)

    def changes(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for name, kind in CHANGE_REQUEST_INPUTS:
            raw = (self.cleaned_data.get(f"change_{name}") or "").strip()
            if raw:
                found[name] = (raw == "1") if kind == "yesno" else raw
        return found

    def schema_data(self) -> dict[str, Any]:
        return {"park": self.park.code, "changes": self.changes(), "reason": self.cleaned_data["reason"]}


class ChangeRequestDecisionForm(PageForm):
    """Approve, reject (both ticked as confirmed) or withdraw one request."""

    schema = ChangeDecisionIn

    action = choice_field(_("操作"), [("approve", _("批准")), ("reject", _("驳回")), ("withdraw", _("撤回"))])
    request = integer_field(_("变更申请"), min_value=1, max_value=MAX_BIGINT)
    note = text_field(_("审核意见"), required=False)
    # The platform's one confirmation box (core.confirm): approving changes the park at once.
    confirm = forms.CharField(required=False, strip=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("action") in {"approve", "reject"} and not is_ticked(cleaned.get(CONFIRM_FIELD)):
            self.add_error(CONFIRM_FIELD, gettext(NOT_CONFIRMED))
        return cleaned

    def schema_data(self) -> dict[str, Any]:
        return {"note": self.cleaned_data["note"]}


# ── dated history (时点口径) ──────────────────────────────────────────────────────────────────

UNCHANGED = ""
OUTSIDE_PARKS = "outside"
# A park's green level "none" is the empty code, which the form keeps for 不变.
GREEN_NONE = "none"


class EnterpriseStateForm(PageForm):
    """A change of an enterprise's state from a day, posted from its page: the park (among the
    parks the user sees, or out of every park) and the registration status, each left as it is when
    not chosen. The service refuses a change that changes nothing."""

    valid_from = date_field(_("起始日期"))
    park = choice_field(_("所在园区"), [], required=False)
    industry = text_field(_("行业小类代码（不变则留空）"), required=False, max_length=5)
    registration_status = choice_field(
        _("登记状态"), [(UNCHANGED, _("不变")), *RegistrationStatus.choices], required=False
    )

    def __init__(self, data: Any = None, *, parks: list[tuple[str, str]]) -> None:
        super().__init__(data)
        field = self.fields["park"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(UNCHANGED, _("不变")), (OUTSIDE_PARKS, _("园区外")), *parks]


class ParkStateForm(PageForm):
    """A change of a park's type, recognition status or green level from a day, posted from its
    page; each left as it is when not chosen."""

    valid_from = date_field(_("起始日期"))
    park_type = choice_field(_("园区类型"), [], required=False)
    status = choice_field(_("认定状态"), [(UNCHANGED, _("不变")), *Park.Status.choices], required=False)
    recognised_on = date_field(_("认定日期（不变则留空）"), required=False)
    green_level = choice_field(
        _("绿色园区等级"),
        [
            (UNCHANGED, _("不变")),
            *[(GREEN_NONE if code == "" else code, label) for code, label in Park.GreenLevel.choices],
        ],
        required=False,
    )

    def __init__(self, data: Any = None, *, park_types: list[tuple[str, str]]) -> None:
        super().__init__(data)
        field = self.fields["park_type"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(UNCHANGED, _("不变")), *park_types]


class VersionCorrectForm(PageForm):
    """The corrected first day of a version of history (a move, 注销 or a park's change dated wrong)."""

    valid_from = date_field(_("更正后的起始日期"))
