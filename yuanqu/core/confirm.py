"""The second, explicit yes before an action that cannot be undone (confirming a list, deleting an
evaluation, withdrawing or ending a case, replacing a year's grades). The form carries a checkbox
named `confirm` (template `core/confirm_field.html`) and the view refuses the action unless it was
ticked: checked on the server, so it holds without JavaScript and without the browser's dialogs.
The JSON API needs no such field: a client that calls it has already chosen."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_noop

CONFIRM_FIELD = "confirm"
NOT_CONFIRMED = gettext_noop("此操作不能撤销：请勾选确认框后再提交")
TICKED = frozenset({"1", "on", "true", "yes"})


def is_ticked(value: object) -> bool:
    """Whether a posted `confirm` value is the ticked box (a page form with a confirmation box of
    its own asks this, with `NOT_CONFIRMED` as its refusal)."""
    return isinstance(value, str) and value in TICKED


class ConfirmForm(forms.Form):
    confirm = forms.CharField(required=False, strip=False)

    def ticked(self) -> bool:
        return self.is_valid() and is_ticked(self.cleaned_data[CONFIRM_FIELD])


def confirmed(request: HttpRequest) -> bool:
    """Whether the posted form carries the ticked confirmation box."""
    return ConfirmForm(request.POST).ticked()


def unconfirmed(request: HttpRequest) -> bool:
    """Whether the posted form lacks the ticked box; if it does, the page's message saying so is
    added, and the view sends the user back to the form without acting."""
    if confirmed(request):
        return False
    messages.error(request, gettext(NOT_CONFIRMED))
    return True
