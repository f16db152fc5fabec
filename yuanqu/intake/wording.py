"""The intake pages in the reader's language. Several Chinese texts the pages show are data kept in
Chinese elsewhere: the kinds and statuses of import batches (yuanqu.stats), the kinds' names in the
upload specifications, notes of the reader and the outcome messages stored with each batch. They are
marked here for the catalogue and translated when a page is rendered; what is stored stays Chinese."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

from yuanqu.intake import services
from yuanqu.intake.kinds import KINDS
from yuanqu.jobs.wording import translated
from yuanqu.stats.models import ImportBatch

# The labels of ImportBatch.Kind and ImportBatch.Status (yuanqu.stats.models), identical text.
KIND_LABELS = (
    gettext_noop("企业名录"),
    gettext_noop("企业月度统计（规上）"),
    gettext_noop("企业年度数据"),
    gettext_noop("园区年度数据"),
    gettext_noop("认定名单"),
    gettext_noop("土地"),
)
STATUS_LABELS = (
    gettext_noop("校验中"),
    gettext_noop("校验未通过，未写入"),
    gettext_noop("已写入"),
    gettext_noop("已回滚"),
)
# Notes the reader adds to a workbook (yuanqu.intake.reading).
NOTES = (gettext_noop("旧版.xls和.ods格式无法逐格识别公式，已按单元格中保存的数值读取"),)

# Refusals of the upload page, its template download and the API, in the reader's language.
NO_UPLOAD = gettext_noop("您的角色无权上传数据")
NO_KIND = gettext_noop("没有这种数据类别")

MESSAGES = (
    services.MSG_APPLIED,
    services.MSG_REJECTED,
    services.MSG_DUPLICATE,
    services.MSG_CHECKED,
    services.MSG_CHECK_FAILED,
)


def kind_choices() -> list[tuple[str, str]]:
    return [(str(value), gettext(str(label))) for value, label in ImportBatch.Kind.choices]


def status_choices() -> list[tuple[str, str]]:
    return [(str(value), gettext(str(label))) for value, label in ImportBatch.Status.choices]


def template_links() -> list[tuple[str, str]]:
    """(code, name) of each kind, for the template downloads."""
    return [(code, gettext(spec.label)) for code, spec in KINDS.items()]


def message(text: str) -> str:
    """An outcome message (Chinese, as stored with the batch) in the active language."""
    return translated(text, MESSAGES)
