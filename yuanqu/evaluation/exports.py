"""The evaluation's spreadsheets as registered exports (core.exports): a run's ranking workbook and a
year's 亩均 grades, read through the selectors (`visible_to`) for the user who asked; an export of
more than YUANQU_EXPORT_INLINE_ROWS rows is written by a background job. Registered in
EvaluationConfig.ready(). The views check the request (a finished run, a year) before answering; the
query carries the run or year as a string. File names stay in the platform's language (they are also
the audit log's object_repr); sheets and headers follow the page's language, a job's are Chinese."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext, gettext_noop

from yuanqu.core.exports import Export, ExportData
from yuanqu.core.models import User
from yuanqu.evaluation import documents, labels, selectors
from yuanqu.evaluation.models import EnterpriseGrade, EvaluationRun
from yuanqu.evaluation.pack import installed_pack

RANKING = "evaluation_ranking"
GRADES = "evaluation_grades"
ERR_NOT_DONE = gettext_noop("该评价未完成，没有可导出的排名")
ERR_YEAR = gettext_noop("年度无效")
GRADE_HEADERS = [
    gettext_noop("企业名称"),
    gettext_noop("统一社会信用代码"),
    gettext_noop("所在园区"),
    gettext_noop("所属区"),
    gettext_noop("等级"),
    gettext_noop("得分"),
    gettext_noop("名次"),
    gettext_noop("参评企业数"),
    gettext_noop("不参评原因"),
]


def _number(query: dict[str, str], key: str, message: str) -> int:
    value = query.get(key, "")
    if not value.isdigit() or len(value) > 9:
        raise Http404(gettext(message))
    return int(value)


def finished_run(user: User, query: dict[str, str]) -> EvaluationRun:
    """The finished run the query names, if the user may read it (else Http404)."""
    run = selectors.run(user, _number(query, "run", ERR_NOT_DONE))
    if run.status != EvaluationRun.Status.DONE:
        raise Http404(gettext(ERR_NOT_DONE))
    return run


def ranking_export(user: User, query: dict[str, str]) -> ExportData:
    """The run's ranking (the rows `user` may see) and every listed park's dimension scores."""
    run = finished_run(user, query)
    rankings = selectors.ranking(user, run)
    ranking_rows = documents.ranking_rows(rankings)
    dimension_rows = documents.dimension_rows(run, rankings)
    return ExportData(
        rows=len(ranking_rows) + len(dimension_rows),
        sheets=[
            (gettext("排名"), documents.headers(documents.RANKING_HEADERS), ranking_rows),
            (gettext("维度得分"), documents.headers(documents.DIMENSION_HEADERS), dimension_rows),
        ],
        detail=f"评价 #{run.pk}",
    )


def grades_year(query: dict[str, str]) -> int:
    return _number(query, "year", ERR_YEAR)


def _grade_rows(grades: QuerySet[EnterpriseGrade], codes: list[str]) -> Iterator[list[Any]]:
    for grade in grades.iterator(chunk_size=2000):
        values = {item["code"]: item["value"] for item in grade.detail.get("indicators", [])}
        yield [
            grade.enterprise.name,
            grade.enterprise.uscc,
            grade.park.name if grade.park else gettext("园区外"),
            grade.district.name,
            grade.grade,
            None if grade.score is None else round(grade.score, 2),
            grade.rank,
            grade.rated_count,
            labels.stored(grade.reason),
            *[None if values.get(code) is None else round(values[code], 4) for code in codes],
        ]


def grades_export(user: User, query: dict[str, str]) -> ExportData:
    """The year's 亩均 grades of the enterprises `user` may see, with each graded indicator's value."""
    year = grades_year(query)
    rules = installed_pack().mujun
    headers = [gettext(header) for header in GRADE_HEADERS] + [item.name for item in rules.indicators]
    grades = selectors.grades(user, year)
    return ExportData(
        rows=grades.count(),
        sheets=[(gettext("亩均效益等级"), headers, _grade_rows(grades, [item.code for item in rules.indicators]))],
        detail=f"{year}年",
    )


RANKING_EXPORT = Export(
    code=RANKING,
    label=gettext_noop("园区评价排名"),
    filename="园区评价排名",
    object_type="evaluation.ParkResult",
    build=ranking_export,
    name=lambda query: f"园区评价排名-{query.get('year', '')}-{query.get('run', '')}",
)
GRADES_EXPORT = Export(
    code=GRADES,
    label=gettext_noop("亩均效益评价"),
    filename="亩均效益评价",
    object_type="evaluation.EnterpriseGrade",
    build=grades_export,
    name=lambda query: f"亩均效益评价-{query.get('year', '')}",
)
