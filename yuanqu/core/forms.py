"""How a page reads what a user posts: a Django form per POST, with Chinese messages that name the
field and the rule. Where the API takes the same input, the form names the API's input schema
(`schema`) and checks its cleaned values with it, so the page and the API refuse the same input with
the same message (`core.contract.errors.schema_message`). Views bind a form, call `is_valid()`, and
show `error_messages()`, as they show a service's ValidationError's `messages`; a post that runs one
step and returns to its page hands the form and the step to `take_post`, which does exactly that.

Fields are made with the helpers below (`integer_field`, `text_field`, …) so that every message has
one wording: 请填写…, …应为整数, …不能超过…个字符."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy, gettext_noop
from ninja import Schema
from pydantic import ValidationError as SchemaError

from yuanqu.core.contract.errors import schema_message
from yuanqu.core.contract.schemas import MAX_BIGINT

REQUIRED = gettext_noop("请填写%(field)s")
CHOOSE = gettext_noop("请选择%(field)s")
NOT_INTEGER = gettext_noop("%(field)s应为整数")
NOT_DATE = gettext_noop("%(field)s应为日期（YYYY-MM-DD）")
TOO_SMALL = gettext_noop("%(field)s不能小于%(limit)s")
TOO_LARGE = gettext_noop("%(field)s不能大于%(limit)s")
TOO_LONG = gettext_noop("%(field)s不能超过%(limit)s个字符")
NOT_A_CHOICE = gettext_noop("%(field)s不是可选的值")
NUL = gettext_noop("%(field)s不能包含空字符")
# A rule message of the API's schema, shown on the page with the field's label.
FIELD_RULE = gettext_noop("%(field)s：%(rule)s")


def _render(template: str, label: object, values: dict[str, object]) -> str:
    return gettext(template) % {"field": str(label), **values}


_lazy_render = lazy(_render, str)


def _say(template: str, label: object, **values: object) -> Any:
    """A message naming the field, in the language of the request that shows it (the form class is
    built once, at import). Django fills `%(limit_value)s` afterwards, so it is kept as such."""
    return _lazy_render(template, label, values)


FieldT = TypeVar("FieldT", bound=forms.Field)


def _field(field_class: type[FieldT], label: Any, required: bool, messages: dict[str, str], **options: Any) -> FieldT:
    """A field whose messages name it: `messages` maps Django's error codes to the templates above
    (a limit is filled in by Django)."""
    return field_class(
        label=label,
        required=required,
        error_messages={code: _say(template, label, limit="%(limit_value)s") for code, template in messages.items()},
        **options,
    )


def integer_field(
    label: Any, *, required: bool = True, min_value: int | None = None, max_value: int | None = None
) -> forms.IntegerField:
    messages = {"required": REQUIRED, "invalid": NOT_INTEGER, "min_value": TOO_SMALL, "max_value": TOO_LARGE}
    return _field(forms.IntegerField, label, required, messages, min_value=min_value, max_value=max_value)


def text_field(label: Any, *, required: bool = True, max_length: int | None = None) -> forms.CharField:
    # Text is stored as typed (no stripping): the services decide what blank means.
    messages = {"required": REQUIRED, "max_length": TOO_LONG, "null_characters_not_allowed": NUL}
    return _field(forms.CharField, label, required, messages, max_length=max_length, strip=False)


def date_field(label: Any, *, required: bool = True) -> forms.DateField:
    messages = {"required": CHOOSE, "invalid": NOT_DATE}
    return _field(forms.DateField, label, required, messages, input_formats=["%Y-%m-%d"])


def choice_field(label: Any, choices: Iterable[tuple[str, Any]], *, required: bool = True) -> forms.ChoiceField:
    messages = {"required": CHOOSE, "invalid_choice": NOT_A_CHOICE}
    return _field(forms.ChoiceField, label, required, messages, choices=list(choices))


class PageForm(forms.Form):
    """A form of a page. `schema`, when set, is the API's input schema for the same input: the
    cleaned values (those the schema has, blanks left out) must pass it too, and its refusals are
    put on the field with the field's label."""

    schema: ClassVar[type[Schema] | None] = None

    def schema_data(self) -> dict[str, Any]:
        """The cleaned values as the API would receive them; a form may add fixed values."""
        assert self.schema is not None
        names = self.schema.model_fields
        return {name: value for name, value in self.cleaned_data.items() if name in names and value is not None}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.schema is None or self.errors:
            return cleaned
        try:
            self.schema.model_validate(self.schema_data())
        except SchemaError as exc:
            for item in exc.errors():
                loc = [part for part in item.get("loc", ()) if isinstance(part, str)]
                name = loc[0] if loc and loc[0] in self.fields else None
                rule = schema_message(dict(item))
                if name is None:
                    self.add_error(None, rule)
                else:
                    label = str(self.fields[name].label or name)
                    self.add_error(name, gettext(FIELD_RULE) % {"field": label, "rule": rule})
        return cleaned

    def error_messages(self) -> list[str]:
        """Every refusal, field by field in the form's order, then those of the whole form."""
        found: list[str] = []
        for name in [*self.fields, "__all__"]:
            found.extend(str(message) for message in self.errors.get(name, []))
        return found


def take_post(request: HttpRequest, form: PageForm, act: Callable[[dict[str, Any]], str]) -> bool:
    """A page's post as every page takes it: the form checked, the step taken by `act` with the
    cleaned values (it returns the message that says the step was done, or "" where the page the
    view answers with shows the outcome itself: the new token, the job's progress), and each
    refusal — the form's or the service's `ValidationError` — shown as a message, in that order.
    True when the step was taken. The view redirects either way."""
    refusals: list[str]
    if not form.is_valid():
        refusals = form.error_messages()
    else:
        try:
            done = act(form.cleaned_data)
        except ValidationError as exc:
            refusals = [str(message) for message in exc.messages]
        else:
            if done:
                messages.success(request, done)
            return True
    for message in refusals:
        messages.error(request, message)
    return False


# ── the account page ─────────────────────────────────────────────────────────────────────────

# Matches core.models.ApiToken.name; the service refuses a blank one (请填写令牌用途).
TOKEN_NAME_LENGTH = 60
ERR_TOKEN_UNKNOWN = gettext_noop("要吊销的令牌不存在或不属于您")


class TokenCreateForm(PageForm):
    name = text_field(gettext_lazy("用途"), required=False, max_length=TOKEN_NAME_LENGTH)


class TokenRevokeForm(PageForm):
    """Any id that is not one of the user's tokens gets the same answer (checked by the view)."""

    revoke = forms.IntegerField(
        min_value=1,
        max_value=MAX_BIGINT,
        error_messages=dict.fromkeys(
            ("required", "invalid", "min_value", "max_value"), gettext_lazy(ERR_TOKEN_UNKNOWN)
        ),
    )
