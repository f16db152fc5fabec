"""What the evaluation pages accept when posted: starting a run and grading enterprises. Each form
checks its values with the API's schema for the same input (`evaluation.api.RunIn`, `GradeIn`), so
the page and the API refuse the same values with the same message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yuanqu.core.forms import PageForm, integer_field
from yuanqu.evaluation.api import GradeIn, RunIn


class RunStartForm(PageForm):
    schema = RunIn

    year = integer_field(_("评价年度"))
    runs = integer_field(_("蒙特卡洛次数"), required=False)
    seed = integer_field(_("随机种子"), required=False)


class GradesComputeForm(PageForm):
    schema = GradeIn

    year = integer_field(_("年度"))
