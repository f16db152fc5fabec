"""What the task pages accept when posted: a unit's progress report, the city's comment and its
reminder (催办) to a unit, and completing or reopening a task. The report and the comments are checked
with the API's schemas for the same input (`targets.api.ReportIn`, `TaskCommentIn`), so the page and the
API refuse the same values with the same message; the services then apply the task's own rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yuanqu.core.contract.schemas import MAX_BIGINT
from yuanqu.core.forms import PageForm, choice_field, date_field, integer_field, text_field
from yuanqu.registry.models import ResponsibleUnit
from yuanqu.targets.api import ReportIn, TaskCommentIn
from yuanqu.targets.services import ERR_PRESS_NO_UNIT


class TaskReportForm(PageForm):
    """Attachments are not a form field: the service checks them (count, size, type) with the one
    attachment rule, so the view passes `request.FILES.getlist("files")` to it."""

    schema = ReportIn

    period = date_field(_("报送期"))
    percent_done = integer_field(_("完成进度（%）"))
    # Blank text is the service's refusal (请填写进展情况), the same on the API.
    text = text_field(_("进展情况"), required=False)


class TaskCommentForm(PageForm):
    schema = TaskCommentIn

    text = text_field(_("批示意见"), required=False)
    report = integer_field(_("进展报告"), required=False, min_value=1, max_value=MAX_BIGINT)

    def schema_data(self) -> dict[str, Any]:
        return {"kind": "comment", "text": self.cleaned_data["text"]}


class TaskPressForm(PageForm):
    schema = TaskCommentIn

    unit = forms.ModelChoiceField(
        label=_("被催办单位"),
        queryset=ResponsibleUnit.objects.all(),
        to_field_name="code",
        error_messages={"required": _(ERR_PRESS_NO_UNIT), "invalid_choice": _(ERR_PRESS_NO_UNIT)},
    )
    text = text_field(_("催办内容"), required=False)

    def schema_data(self) -> dict[str, Any]:
        return {"kind": "press", "text": self.cleaned_data["text"], "unit": self.cleaned_data["unit"].code}


class TaskStatusForm(PageForm):
    action = choice_field(_("操作"), [("complete", _("办结（销号）")), ("reopen", _("重新打开"))])
