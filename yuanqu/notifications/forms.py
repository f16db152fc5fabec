"""The notification centre's page input, one form per POST."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yuanqu.core.forms import PageForm

ID_LIMIT = 500


class IdListField(forms.Field):
    """Row ids posted as repeated `id` fields; none means all where the view allows it."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        values = value or []
        if len(values) > ID_LIMIT:
            raise forms.ValidationError(_("一次至多选择 %(limit)s 条") % {"limit": ID_LIMIT})
        try:
            return [int(item) for item in values if 0 < int(item) < 2**63]
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError(_("编号须为正整数")) from exc


class IdsForm(PageForm):
    id = IdListField(required=False)


class PreferenceForm(PageForm):
    # Posted by the page's own hidden input: a post without it was not made by the page.
    kind = forms.CharField(
        max_length=40,
        error_messages=dict.fromkeys(
            ("required", "max_length", "null_characters_not_allowed"), _("通知设置未保存：请求不完整")
        ),
    )
    email = forms.BooleanField(required=False)
    webhook = forms.BooleanField(required=False)
