"""How a page reads what a user posts: a Django form per POST, with Chinese messages that name the
field and the rule. Where the API takes the same input, the form names the API's input schema
(`schema`) and checks its cleaned values with it, so the page and the API refuse the same input with
the same message (`core.contract.errors.schema_message`). Views bind a form, call `is_valid()`, and
show `error_messages()`, as they show a service's ValidationError's `messages`; a post that runs one
step and returns to its page hands the form and the step to `take_post`, which does exactly that.

Every page post goes through `take_post`; the few shapes a post takes each have one way:
- the refusals shown in place on the page it renders again (a long form kept as typed):
  `take_post(..., refused=errors.extend)`; or all in one message: `refused=one_message(request)`;
- a step whose service refuses a role with PermissionDenied, shown as a refusal: `denied=True`;
- a form whose every value the page fills in itself (hidden ids): `forbidden` or `not_found` on the
  form, so its refusal answers 403 or 404 rather than a message;
- a form that names an object (a job, a row): the form's `clean_<field>` turns the id into the object
  within the user's reach, so the step receives the object and an id out of reach is the refusal;
- a page with several forms, where one field says which was posted: a `ChooserForm` and
  `take_chosen(request, chooser, {choice: take})`.

Fields are made with the helpers below (`integer_field`, `text_field`, …) so that every message has
one wording: 请填写…, …应为整数, …不能超过…个字符."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar, Protocol, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy, gettext_noop
from ninja import Schema
from pydantic import ValidationError as SchemaError

from yuanqu.core.contract.errors import PERMISSION_DENIED, schema_message
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
EMPTY_FILE = gettext_noop("%(field)s是空文件")
# A rule message of the API's schema, shown on the page with the field's label.
FIELD_RULE = gettext_noop("%(field)s：%(rule)s")
# Refusals joined into one message (`one_message`).
JOINED = "；"


def _render(template: str, label: object, values: dict[str, object]) -> str:
    return gettext(template) % {"field": str(label), **values}


_lazy_render = lazy(_render, str)


def _say(template: str, label: object, **values: object) -> Any:
    """A message naming the field, in the language of the request that shows it (the form class is
    built once, at import). Django fills `%(limit_value)s` afterwards, so it is kept as such."""
    return _lazy_render(template, label, values)


def field_message(template: str, label: Any, **values: object) -> Any:
    """One of the messages above for a field made otherwise (a limit given as a number)."""
    return _say(template, label, **values)


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


def file_field(label: Any, *, required: bool = True) -> forms.FileField:
    messages = {"required": CHOOSE, "missing": CHOOSE, "empty": EMPTY_FILE, "invalid": CHOOSE}
    return _field(forms.FileField, label, required, messages)


def choice_field(label: Any, choices: Iterable[tuple[str, Any]], *, required: bool = True) -> forms.ChoiceField:
    messages = {"required": CHOOSE, "invalid_choice": NOT_A_CHOICE}
    return _field(forms.ChoiceField, label, required, messages, choices=list(choices))


class PageForm(forms.Form):
    """A form of a page. `schema`, when set, is the API's input schema for the same input: the
    cleaned values (those the schema has, blanks left out) must pass it too, and its refusals are
    put on the field with the field's label."""

    schema: ClassVar[type[Schema] | None] = None
    # A form whose every value the page fills in itself (hidden ids, the row a button acts on): a
    # user of the page cannot post it refused, so its refusal is no message but an answer, 403 with
    # the message `forbidden` or 404 with the message `not_found`.
    forbidden: ClassVar[str | None] = None
    not_found: ClassVar[str | None] = None
    # The schema's optional fields that the page sends only when filled in: a blank (or a zero) is
    # the API's field left out, so the schema's own default applies.
    sent_if_filled: ClassVar[tuple[str, ...]] = ()

    def refusal(self) -> Exception | None:
        """What a refusal of this form answers when it is not shown as messages (see above)."""
        if self.forbidden is not None:
            return PermissionDenied(gettext(self.forbidden))
        if self.not_found is not None:
            return Http404(gettext(self.not_found))
        return None

    def schema_data(self) -> dict[str, Any]:
        """The cleaned values as the API would receive them; a form may add fixed values."""
        assert self.schema is not None
        names = self.schema.model_fields
        data = {name: value for name, value in self.cleaned_data.items() if name in names and value is not None}
        for name in self.sent_if_filled:
            if not data.get(name):
                data.pop(name, None)
        return data

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


class Posted(Protocol):
    """What `take_post` reads a post through: a `PageForm`, or a reader of the API's schema that the
    same way says whether the post is valid, its cleaned values and its refusals."""

    @property
    def cleaned_data(self) -> dict[str, Any]: ...

    def is_valid(self) -> bool: ...

    def error_messages(self) -> list[str]: ...

    def refusal(self) -> Exception | None: ...


Act = Callable[[dict[str, Any]], str]
Refused = Callable[[list[str]], None]


def take_post(
    request: HttpRequest, form: Posted, act: Act, *, refused: Refused | None = None, denied: bool = False
) -> bool:
    """A page's post as every page takes it: the form checked, the step taken by `act` with the
    cleaned values (it returns the message that says the step was done, or "" where the page the
    view answers with shows the outcome itself: the new token, the job's progress), and each
    refusal — the form's or the service's `ValidationError` — shown as a message, in that order.
    True when the step was taken. The view redirects either way.

    `refused` shows the refusals otherwise (a page that renders them in place: `errors.extend`;
    one message: `one_message(request)`). With `denied`, a PermissionDenied of the step is a refusal
    too (its message, or the API's PERMISSION_DENIED), where a page shows a service's role check
    beside its other refusals; without it, it answers 403. A form with a `refusal()` (a post the page could not have
    made) answers with it instead of showing its refusals."""
    refusals: list[str]
    if not form.is_valid():
        answer = form.refusal()
        if answer is not None:
            raise answer
        refusals = form.error_messages()
    else:
        try:
            done = act(form.cleaned_data)
        except ValidationError as exc:
            refusals = [str(message) for message in exc.messages]
        except PermissionDenied as exc:
            if not denied:
                raise
            refusals = [str(exc) or gettext(PERMISSION_DENIED)]
        else:
            if done:
                messages.success(request, done)
            return True
    if refused is not None:
        refused(refusals)
    else:
        for message in refusals:
            messages.error(request, message)
    return False


def one_message(request: HttpRequest) -> Refused:
    """Refusals shown as one message, joined by ；(a page whose message area holds one line)."""
    return lambda refusals: messages.error(request, JOINED.join(refusals))


class ChooserForm(PageForm):
    """The field of a post that says which of a page's forms was posted (a hidden `form`, the
    pressed button's `action`); an unknown choice is its refusal (…不是可选的值)."""

    chosen_by: ClassVar[str] = "action"
    # The choice when the field is left out (a page whose first form has no chooser of its own).
    default_choice: ClassVar[str] = ""

    def choice(self) -> str:
        return str(self.cleaned_data.get(self.chosen_by) or self.default_choice)


def take_chosen(
    request: HttpRequest,
    chooser: ChooserForm,
    takes: Mapping[str, Callable[[], bool]],
    *,
    refused: Refused | None = None,
) -> bool:
    """A post where one field decides which form is read and which step is taken: the chooser
    checked as any form (its refusal shown as `refused` says, like the chosen form's), then the
    chosen take — a `take_post` of the chosen form with its step. True when the step was taken."""
    if not take_post(request, chooser, lambda _cleaned: "", refused=refused):
        return False
    return takes[chooser.choice()]()


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
