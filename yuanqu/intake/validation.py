"""Validation of an upload: find the header, map columns, read every cell, then check each row against
the registry and the stored statistics. Every problem is collected (not only the first), each with
the row, the column and the rule in Chinese; warnings (jumps, name mismatches) do not block a batch.

`validate(...)` is called by the intake services; it reads the database but never writes to it.
The result carries the clean records that the services turn into writes."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, MutableMapping, Sequence
from collections.abc import Mapping as ReadMapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from yuanqu.core.among import among
from yuanqu.core.models import User
from yuanqu.core.pack import installed_pack
from yuanqu.core.permissions import is_city_admin, may_place, writes_within_park
from yuanqu.core.roles import REGISTRY_WRITER_ROLES, Role
from yuanqu.core.uscc import USCCError
from yuanqu.core.uscc import validate as validate_uscc
from yuanqu.intake import values
from yuanqu.intake.columns import ColumnStore, RowValues
from yuanqu.intake.headers import split_header, unit_factor
from yuanqu.intake.kinds import (
    CHOICE,
    DATE,
    DECIMAL,
    INTEGER,
    MONTH,
    PERCENT,
    USCC,
    YEAR,
    Column,
    KindSpec,
)
from yuanqu.intake.pack import AUDIT, OP_SIGNS, CumulativeRule, DistributionRule, HardRule, SoftRule
from yuanqu.intake.reading import Row, Sheet, Unordered, Workbook, column_letters
from yuanqu.registry.models import (
    LEVELLED_LABEL_KINDS,
    District,
    Enterprise,
    IndustryClass,
    LabelKind,
    LandParcel,
    Park,
)
from yuanqu.stats.measures import ANNUAL_VALUE_FIELDS, FLOW_MEASURES
from yuanqu.stats.models import AnnualStat, ImportBatch, MonthlyStat, ParkAnnualStat

ERROR, WARNING = "error", "warning"
HEADER_SEARCH_ROWS = 20
# NUL, the C0 and C1 control characters (tab and line breaks are text) and lone surrogates: no
# spreadsheet cell means them, and PostgreSQL cannot store NUL.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
LOOKUP_CHUNK = 2000

MSG_NO_HEADER = "未找到表头：前{rows}行中没有识别出“{kind}”模板的列名，请使用平台提供的模板（可在“数据采集”页面下载）"
MSG_EMPTY = "文件中没有数据行"
MSG_MISSING_COLUMN = "缺少必填列“{title}”"
MSG_NO_MEASURE = "没有任何指标列，至少应有一列数值"
MSG_UNKNOWN_COLUMN = "不是“{kind}”模板中的列，请删除该列或改为模板中的列名"
MSG_DUPLICATE_COLUMN = "与{other}列重复（都对应“{title}”）"
MSG_BAD_UNIT = "单位“{unit}”无法换算为{expected}"
MSG_NO_HEADER_DATA = "没有表头但有数据"
MSG_ERROR_CELL = "是错误值“{value}”（公式或数据出错），不能作为数据导入：请修正该单元格后再上传"
MSG_CONTROL = "含有不可见的控制字符（{code}），请删除后再上传"
MSG_HIDDEN_SHEET = "数据读取自隐藏的工作表“{sheet}”，请确认这是要上传的数据"
MSG_FORMULA = "是公式，平台只读取数值、不计算公式：请复制后“选择性粘贴→数值”再上传"
MSG_REQUIRED = "必填，不能为空"
MSG_NEGATIVE = "不能为负数（{value}）"
MSG_BELOW = "不能小于{minimum}（{value}）"
MSG_ABOVE = "不能大于{maximum}（{value}）"
MSG_TOO_LONG = "超过{limit}个字符"
MSG_EXAMPLE_ROW = "与模板示例行相同，已跳过；如是真实数据请修改后重新上传"
# One answer for an enterprise that does not exist and one outside the uploader's scope: the upload
# must not tell which, nor print the name of an enterprise the uploader may not see.
MSG_UNKNOWN_ENTERPRISE = (
    "企业“{uscc}”不在企业名录中或不在您的权限范围内：请核对统一社会信用代码，新企业请先通过“企业名录”导入或登记"
)
# Registering an enterprise: a code taken by an enterprise outside the scope can be neither created
# again nor changed (its name is not shown).
MSG_USCC_TAKEN = "统一社会信用代码“{uscc}”已由您权限范围以外的企业登记，{scope}不能新增或修改该企业"
MSG_NAME_MISMATCH = "企业名称“{given}”与名录中的“{registered}”不一致，已按统一社会信用代码匹配"
MSG_DUPLICATE_ROW = "与第{other}行重复（{what}相同）"
MSG_FUTURE = "报告期{period}晚于当前月份，不能填报未来数据"
MSG_TOO_OLD = "报告期{period}早于{earliest}年，超出允许的填报范围"
MSG_FUTURE_YEAR = "年度{year}晚于当前年度"
MSG_OLD_YEAR = "年度{year}早于{earliest}年，超出允许的填报范围"
MSG_DECREASING = "1-本月累计{value}小于{month}月的累计{previous}：同一年内累计值不能减少"
MSG_DECREASING_LATER = "1-本月累计{value}大于已有{month}月的累计{later}：同一年内累计值不能减少"
MSG_MONTH_MISMATCH = "本月{value}与累计之差{expected}（{detail}）不符，相差{gap}，超出允许误差{tolerance}"
MSG_JAN_AND_COMBINED = "{year}年已有1-2月合并报送的数据，不能再单独报1月"
MSG_COMBINED_AND_JAN = "{year}年已有1月数据，2月不能按“1-2月”合并报送"
MSG_JUMP = "为{previous_label}（{previous}）的{ratio}倍，变化异常，请核实"
MSG_NO_VALUES = "该行没有任何指标数值，未写入"
MSG_NO_PERMISSION = "您的角色（{role}）无权上传数据"
MSG_PARK_UNKNOWN = "园区“{value}”不存在"
MSG_PARK_OUT_OF_SCOPE = "园区“{value}”不在您的权限范围内"
MSG_DISTRICT_UNKNOWN = "区/开发区“{value}”不存在"
MSG_DISTRICT_OUT_OF_SCOPE = "不能登记其他区的数据（您属于{own}）"
MSG_PARK_NOT_IN_DISTRICT = "园区“{park}”属于{district}，与所填的区不一致"
MSG_INDUSTRY_UNKNOWN = "行业代码“{code}”不在《国民经济行业分类》(GB/T 4754-2017)中"
MSG_INDUSTRY_NOT_CLASS = "行业代码“{code}”不是小类，请填写小类代码（如 C3976）"
MSG_NEW_NEEDS = "新企业必须填写此项"
MSG_COORDINATES_PAIR = "经度和纬度须同时填写"
MSG_OUTSIDE_REGION = "坐标（{lon}, {lat}）不在{region}范围内"
MSG_LEVEL_REQUIRED = "“{kind}”须注明级别（国家级/省级/市级）"
MSG_VALID_TO = "有效期至{valid_to}早于认定日期{valid_from}"
MSG_BEFORE_RECOGNITION = "年度{year}早于园区“{park}”的认定年度（{recognised}年），请核实年度是否填错"
MSG_PARK_ROLE = "园区运营用户只能填报本园区（{own}）的数据"
MSG_PRICE_ROLE = "价格指数是全市共用的数据，只有市级管理员可以导入（您的角色：{role}）"
MSG_DIVISION_UNKNOWN = "“{code}”不是《国民经济行业分类》(GB/T 4754-2017)的大类代码，请填写如 C39 的大类代码"
MSG_INDEX_MISSING = "“当月指数”和“1-本月累计指数”至少填写一项"
# Audit rules of the pack (audit.yaml): a hard one refuses the row, a soft one needs an explanation.
MSG_AUDIT_HARD = "未通过审核规则“{rule}”（{left} {sign} {right}）：{left}为{left_value}，{right}为{right_value}"
MSG_AUDIT_DISTRIBUTION = (
    "审核规则“{rule}”：比率{ratio}%在{year}年{division}大类{firms}家企业的第{low}至第{high}百分位"
    "（{low_value}%～{high_value}%）之外，须在上传时的“说明”中写明原因"
)
MSG_AUDIT_BOUND = "未通过审核规则“{rule}”（{left} {sign} {bound}）：{left}为{value}"
MSG_AUDIT_SOFT = (
    "审核规则“{rule}”：较上年（{year}年）的{previous}{change}{percent}%，超出{low}%～{high}%的区间，"
    "须在上传时的“说明”中写明原因"
)


@dataclass(frozen=True)
class Thresholds:
    """The configurable tolerances, read from settings once per validation."""

    month_relative: Decimal  # 本月 may differ from the difference of cumulatives by this share …
    month_absolute: Decimal  # … or by this many units, whichever is larger
    jump_factor: Decimal  # a value this many times (or this fraction of) the previous one is a warning

    @classmethod
    def from_settings(cls) -> Thresholds:
        return cls(
            month_relative=Decimal(str(getattr(settings, "INTAKE_MONTH_TOLERANCE", "0.01"))),
            month_absolute=Decimal(str(getattr(settings, "INTAKE_MONTH_TOLERANCE_ABS", "0.1"))),
            jump_factor=Decimal(str(getattr(settings, "INTAKE_JUMP_FACTOR", "5"))),
        )

    def month_tolerance(self, expected: Decimal) -> Decimal:
        return max(self.month_absolute, (abs(expected) * self.month_relative).quantize(values.CENT))


def years_back() -> int:
    return int(getattr(settings, "INTAKE_YEARS_BACK", 10))


@dataclass(frozen=True)
class Issue:
    row: int | None  # spreadsheet row (1-based); None for the file as a whole
    column: str  # the header as written in the file, "" when the issue is about the row or file
    col: int | None  # 0-based column index in the sheet
    message: str
    severity: str = ERROR
    sheet: str = ""  # the sheet the row is in (a CSV file's name); "" for the file as a whole
    rule: str = ""  # the pack's audit rule (audit.yaml) the issue comes from, if any

    def text(self) -> str:
        where = f"工作表“{self.sheet}”" if self.sheet else ""
        if self.row is not None:
            where += f" 第{self.row}行" if where else f"第{self.row}行"
        if self.col is not None:
            where += f" {column_letters(self.col)}列"
        if self.column:
            where += f"“{self.column}”"
        return f"{where}：{self.message}" if where else self.message

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "col": self.col,
            "message": self.message,
            "severity": self.severity,
            "sheet": self.sheet,
            "rule": self.rule,
            "text": self.text(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Issue:
        return cls(
            data.get("row"),
            data.get("column", ""),
            data.get("col"),
            data["message"],
            data.get("severity", ERROR),
            data.get("sheet", ""),
            data.get("rule", ""),
        )


def issue_order(issue: Issue) -> tuple[int, int]:
    """Where an issue sorts in the list shown: by row (the file's own problems first), then column."""
    return (issue.row or 0, issue.col if issue.col is not None else -1)


# Problems an upload keeps for its pages, the API and the error report: the first ones in the
# sheet's order. The rest are counted, not kept, so that a file with a problem in every row cannot
# fill the memory of the process checking it.
ISSUES_KEPT = 20000
MSG_ISSUES_MORE = (
    "另有{more}个问题未列出（共{total}个，此处列出按行排在前面的{kept}个）：请先修正列出的问题，"
    "修改后重新上传时平台会再次校验全部数据"
)


class Issues(list[Issue]):
    """The problems of one upload, at most `kept` of them held (after `trim`, the first in the
    order `issue_order` gives: the same ones a sort of every problem would put first), with the
    totals of all of them: how many errors and warnings, and in which rows."""

    def __init__(self, kept: int | None = None) -> None:
        super().__init__()
        self.kept = ISSUES_KEPT if kept is None else kept
        self.total = 0
        self.errors_total = 0
        self.warnings_total = 0
        self.explain_total = 0  # warnings of the pack's soft audit rules
        self.error_rows: set[int] = set()
        self.warning_rows: set[int] = set()
        self.explain_rows: set[int] = set()

    def append(self, issue: Issue) -> None:
        self.total += 1
        if issue.severity == ERROR:
            self.errors_total += 1
            if issue.row is not None:
                self.error_rows.add(issue.row)
        elif issue.severity == WARNING:
            self.warnings_total += 1
            if issue.row is not None:
                self.warning_rows.add(issue.row)
            if issue.rule:
                self.explain_total += 1
                if issue.row is not None:
                    self.explain_rows.add(issue.row)
        super().append(issue)
        if len(self) >= 2 * self.kept:
            self.trim()

    def extend(self, issues: Iterable[Issue]) -> None:
        for issue in issues:
            self.append(issue)

    def trim(self) -> None:
        """Sort the problems held (stably: those of one cell in the order found) and keep the first
        `kept`. Done whenever twice that many are held, and once at the end."""
        self.sort(key=issue_order)
        del self[self.kept :]

    @property
    def left_out(self) -> int:
        """Problems counted but not held."""
        return self.total - len(self)

    def left_out_message(self) -> str:
        """What the lists of problems say below their last line, or "" when every problem is there."""
        if not self.left_out:
            return ""
        return MSG_ISSUES_MORE.format(more=self.left_out, total=self.total, kept=len(self))


class Record:
    """One data row: its spreadsheet row number, the clean values of its mapped columns, and what
    the kind-specific checks resolved (enterprise id, park id …).

    `values` maps a column's key to the cell's clean value (None for an empty cell; a cell whose
    parse failed has no key). The rows `read_records` reads keep their values in the file's
    `columns.ColumnStore` (compact arrays by column, not a dict of Decimals per row), and `values`
    is a mapping over the row there; a record made with a dict keeps the dict."""

    __slots__ = ("_values", "failed", "refs", "row", "skip")

    def __init__(
        self,
        row: int,
        values: MutableMapping[str, Any] | None = None,
        refs: dict[str, Any] | None = None,
        failed: bool = False,
        skip: bool = False,
    ) -> None:
        self.row = row
        self._values: MutableMapping[str, Any] = {} if values is None else values
        self.refs: dict[str, Any] = {} if refs is None else refs
        self.failed = failed
        self.skip = skip

    @property
    def values(self) -> MutableMapping[str, Any]:
        return self._values

    @values.setter
    def values(self, values: ReadMapping[str, Any]) -> None:
        """The row's values become `values` (a key left out has no value any more)."""
        if isinstance(self._values, RowValues):
            for key in list(self._values):
                if key not in values:
                    del self._values[key]
            self._values.update(values)
        else:
            self._values = dict(values)

    def keep_in(self, store: ColumnStore) -> None:
        """Move the row's values into `store` (the file's columns), the record reading them there."""
        self._values = store.row(store.append(self._values))

    def __repr__(self) -> str:
        return f"Record(row={self.row}, values={dict(self._values.items())!r}, refs={self.refs!r})"


@dataclass
class Mapping:
    sheet_name: str
    header_row: int  # 0-based
    columns: dict[str, int]  # column key → 0-based index
    headers: dict[str, str]  # column key → header as written
    factors: dict[str, Decimal]
    width: int


@dataclass
class Validation:
    spec: KindSpec
    records: list[Record] = field(default_factory=list)
    issues: Issues = field(default_factory=Issues)
    mapping: Mapping | None = None
    rows_total: int = 0
    encoding: str = ""
    notes: list[str] = field(default_factory=list)
    thresholds: Thresholds = field(default_factory=lambda: Thresholds.from_settings())

    @property
    def errors(self) -> list[Issue]:
        """The errors held (all of them unless `issues.left_out`; `errors_total` counts all)."""
        return [issue for issue in self.issues if issue.severity == ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.severity == WARNING]

    @property
    def errors_total(self) -> int:
        return self.issues.errors_total

    @property
    def warnings_total(self) -> int:
        return self.issues.warnings_total

    @property
    def ok(self) -> bool:
        return self.issues.errors_total == 0

    @property
    def to_explain(self) -> list[Issue]:
        """Warnings from the pack's soft audit rules: the import needs a written explanation."""
        return [issue for issue in self.issues if issue.severity == WARNING and issue.rule]

    @property
    def explain_total(self) -> int:
        return self.issues.explain_total

    @property
    def explain_rows(self) -> set[int]:
        return self.issues.explain_rows

    @property
    def error_rows(self) -> set[int]:
        return self.issues.error_rows

    @property
    def warning_rows(self) -> set[int]:
        return self.issues.warning_rows

    @property
    def rows_error(self) -> int:
        return len(self.error_rows)

    @property
    def rows_ok(self) -> int:
        return max(0, self.rows_total - self.rows_error)

    @property
    def rows_warning(self) -> int:
        return len(self.warning_rows)

    def header(self, key: str) -> tuple[str, int | None]:
        if self.mapping is None or key not in self.mapping.columns:
            column = self.spec.by_key.get(key)
            return (column.title if column else key), None
        return self.mapping.headers[key], self.mapping.columns[key]

    def add(self, record: Record | None, key: str, message: str, severity: str = ERROR, rule: str = "") -> None:
        header, col = self.header(key) if key else ("", None)
        sheet = self.mapping.sheet_name if self.mapping else ""
        self.issues.append(Issue(record.row if record else None, header, col, message, severity, sheet, rule))
        if record is not None and severity == ERROR:
            record.failed = True


Progress = Callable[[str, int, int], None]
# The steps validation reports: rows read (each checked cell by cell as it comes), then the checks
# across rows and against the stored data.
STEP_READ, STEP_VALIDATE = "读取文件", "校验"


# ---------------------------------------------------------------- header and cells


def _header_score(spec: KindSpec, row: Sequence[Any]) -> tuple[int, int]:
    """How many template columns a row names, and how many of the required ones."""
    keys = {spec.matcher.match(text) for cell in row if (text := values.clean_text(cell))}
    keys.discard(None)
    required = sum(1 for column in spec.required if column.key in keys)
    return len(keys), required


def find_header(spec: KindSpec, workbook: Workbook) -> tuple[Sheet, int] | None:
    """The sheet and row holding the header: the first sheet whose header names every required
    column, else the best candidate seen (its missing columns are then reported)."""
    best: tuple[tuple[int, int], Sheet, int] | None = None
    for sheet in workbook.sheets:
        for index, row in enumerate(sheet.head(HEADER_SEARCH_ROWS)):
            score = _header_score(spec, row)
            if score[0] == 0:
                continue
            if score[1] == len(spec.required) and score[0] >= 2:
                return sheet, index
            if best is None or score > best[0]:
                best = (score, sheet, index)
    if best is None or best[0][0] < 2:
        return None
    return best[1], best[2]


def map_columns(spec: KindSpec, sheet: Sheet, header_row: int, result: Validation) -> Mapping:
    row = sheet.head(header_row + 1)[header_row]
    mapping = Mapping(sheet.name, header_row, {}, {}, {}, len(row))
    titles = [column.title for column in spec.columns]
    for index, cell in enumerate(row):
        if not values.clean_text(cell):
            continue
        text = str(cell).strip()  # shown as written, full-width brackets and all
        key = spec.matcher.match(text)
        where = Issue(header_row + 1, text, index, "", sheet=sheet.name)
        if key is None:
            if spec.matcher.ignored(text):
                continue
            message = MSG_UNKNOWN_COLUMN.format(kind=spec.label)
            guess = difflib.get_close_matches(text, titles, n=1, cutoff=0.5)
            if guess:
                message += f"（是否应为“{guess[0]}”？）"
            result.issues.append(Issue(where.row, text, index, message, sheet=sheet.name))
            continue
        column = spec.by_key[key]
        if key in mapping.columns:
            other = column_letters(mapping.columns[key])
            result.issues.append(
                Issue(
                    where.row,
                    text,
                    index,
                    MSG_DUPLICATE_COLUMN.format(other=other, title=column.title),
                    sheet=sheet.name,
                )
            )
            continue
        unit = split_header(text).unit
        factor = unit_factor(column.unit, unit) if column.unit else Decimal(1)
        if factor is None:
            message = MSG_BAD_UNIT.format(unit=unit, expected=column.unit)
            result.issues.append(Issue(where.row, text, index, message, sheet=sheet.name))
            continue
        mapping.columns[key] = index
        mapping.headers[key] = text
        mapping.factors[key] = factor
    result.mapping = mapping
    for column in spec.required:
        if column.key not in mapping.columns:
            message = MSG_MISSING_COLUMN.format(title=column.title)
            result.issues.append(Issue(header_row + 1, "", None, message, sheet=sheet.name))
    if spec.stats and not any(spec.by_key[key].is_number for key in mapping.columns):
        result.issues.append(Issue(header_row + 1, "", None, MSG_NO_MEASURE, sheet=sheet.name))
    return mapping


def _number(value: Decimal) -> str:
    return f"{value:,.2f}" if value != value.to_integral_value() else f"{value:,.0f}"


def cell_parser(column: Column, factor: Decimal, *, floor_audited: bool = False) -> Callable[[Any], Any]:
    """A function reading one cell of the column; raises values.CellError with the rule. With
    `floor_audited` the column's minimum is left to the pack's audit rule that bounds it (at least as
    high), so the refusal names that rule."""
    minimum, maximum = (None if floor_audited else column.minimum), column.maximum
    if factor == 1:
        factor = values.ONE  # lets parse_decimal skip the multiplication

    def bounded(number: Any) -> Any:
        if number is None:
            return None
        if minimum is not None and number < minimum:
            if minimum == 0:
                raise values.CellError(MSG_NEGATIVE.format(value=number))
            raise values.CellError(MSG_BELOW.format(minimum=minimum, value=number))
        if maximum is not None and number > maximum:
            raise values.CellError(MSG_ABOVE.format(maximum=maximum, value=number))
        return number

    if column.type == DECIMAL:
        parse = values.decimal_parser(factor=factor, places=column.places, max_digits=column.max_digits)
        if minimum is None and maximum is None:
            return parse
        return lambda cell: bounded(parse(cell))
    if column.type == INTEGER:
        return lambda cell: bounded(values.parse_int(cell))
    if column.type == PERCENT:
        return lambda cell: bounded(values.parse_percent(cell, max_digits=column.max_digits))
    if column.type == MONTH:
        return _memoized(values.parse_month)
    if column.type == YEAR:
        return values.parse_year
    if column.type == DATE:
        return values.parse_date
    if column.type == USCC:

        def uscc(cell: Any) -> str | None:
            if values.is_empty(cell):
                return None
            try:
                return validate_uscc(values.clean_text(cell))
            except USCCError as exc:
                raise values.CellError(str(exc)) from None

        return _memoized(uscc)
    if column.type == CHOICE and column.choices:
        synonyms = {values.clean_text(key).lower(): code for key, code in column.choice_synonyms}
        return lambda cell: values.parse_choice(cell, column.choices, synonyms=synonyms)
    limit = column.max_length

    def text(cell: Any) -> str | None:
        if values.is_empty(cell):
            return None
        clean = values.clean_text(cell)
        if limit and len(clean) > limit:
            raise values.CellError(MSG_TOO_LONG.format(limit=limit))
        return clean

    return _memoized(text)


# Distinct cells a column's memo keeps; past it the memo starts again (its values stay with the rows).
MEMO_CELLS = 50_000


def _memoized(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`parse` for a column whose cells repeat down a sheet (a firm's credit code and name in each of
    its months, the report period of every row): a cell seen before gets the same answer — the
    same value object, so the rows share one copy, or the same refusal — without being read again.
    Only for parsers whose answer depends on the cell alone and whose values are not changed later
    (text, a credit code, a frozen Month). Keyed by type and value, so 1, 1.0 and True stay apart."""
    memo: dict[tuple[type, Any], Any] = {}

    def parse_once(cell: Any) -> Any:
        key = (type(cell), cell)
        try:
            answer = memo[key]
        except TypeError:  # an unhashable cell (never from the readers): read each time
            return parse(cell)
        except KeyError:
            try:
                answer = parse(cell)
            except values.CellError as exc:
                answer = _Refusal(str(exc))
            if len(memo) >= MEMO_CELLS:
                memo.clear()
            memo[key] = answer
        if type(answer) is _Refusal:
            raise values.CellError(answer.message)
        return answer

    return parse_once


@dataclass(frozen=True, slots=True)
class _Refusal:
    """A cell's refusal as a memo keeps it (the message; a new CellError is raised each time)."""

    message: str


def _comparable(value: Any) -> Any:
    """A cell value in a form where 1250.5, “1250.50” and Decimal("1250.50") are equal."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Decimal(repr(value) if isinstance(value, float) else str(value)).normalize()
    text = values.clean_text(value)
    try:
        return Decimal(text).normalize()
    except ArithmeticError:
        return text


def _example_matcher(spec: KindSpec, mapped: Iterable[str]) -> Callable[[dict[str, Any]], bool]:
    """A test for “this row is the template's example row”, built once per file."""
    example = {column.key: _comparable(column.example) for column in spec.columns if column.example not in (None, "")}
    if not example or not set(example) <= set(mapped):
        return lambda raw: False
    first_key = next(iter(example))

    def matches(raw: dict[str, Any]) -> bool:
        if _comparable(raw[first_key]) != example[first_key]:
            return False
        return all(_comparable(raw[key]) == value for key, value in example.items())

    return matches


# Rows read between two progress reports while a sheet is streamed.
PROGRESS_ROWS = 1000


def _audited_floors(spec: KindSpec) -> set[str]:
    """The columns of the kind whose lower bound a hard rule of the pack checks (left ≥ or > a
    number no lower than the column's own minimum): their cells are read without the minimum."""
    floors: set[str] = set()
    for rule in installed_pack().section(AUDIT).hard_for(spec.code):
        if rule.value is None or rule.op not in ("ge", "gt"):
            continue
        for key in (rule.left, f"{rule.left}_month", f"{rule.left}_ytd"):
            column = spec.by_key.get(key)
            if column is not None and column.minimum is not None and Decimal(str(rule.value)) >= column.minimum:
                floors.add(key)
    return floors


def read_records(
    spec: KindSpec,
    sheet: Sheet,
    mapping: Mapping,
    result: Validation,
    rows: Iterable[Row],
    progress: Progress | None = None,
) -> None:
    """Every row below the header checked cell by cell into a record, as the rows come (a stream:
    the cells of the columns the kind does not map are let go with their row)."""
    floors = _audited_floors(spec)
    parsers = [
        (
            key,
            index,
            cell_parser(spec.by_key[key], mapping.factors[key], floor_audited=key in floors),
            spec.by_key[key].cell_required,
        )
        for key, index in mapping.columns.items()
    ]
    mapped = set(mapping.columns.values())
    header_cells = sheet.head(mapping.header_row + 1)[mapping.header_row]
    unlabelled_reported: set[int] = set()
    is_example = _example_matcher(spec, mapping.columns)
    # A row repeating an earlier one is refused as a repeat and takes no part in the other checks:
    # of its values only those the checks of a repeat read are kept (a file of repeated rows then
    # holds a few values per repeat, not all of them).
    repeat_key, repeat_keeps = REPEATS.get(spec.code, (None, frozenset()))
    keys_seen: set[Any] = set()
    # The rows' values by column; a decimal column's parser quantizes every value to its places.
    store = ColumnStore(
        (key for key, _, _, _ in parsers),
        {
            key: -int(spec.by_key[key].places.as_tuple().exponent)
            for key, _, _, _ in parsers
            if spec.by_key[key].type == DECIMAL
        },
    )
    read = 0
    for line in rows:
        index0, row = line.index, line.cells
        if index0 <= mapping.header_row:
            continue
        read += 1
        if progress and read % PROGRESS_ROWS == 0:
            progress(STEP_READ, read, max(read, sheet.size_hint - mapping.header_row - 1))
        if all(cell is None or cell == "" or (isinstance(cell, str) and not cell.strip()) for cell in row):
            continue
        result.rows_total += 1
        record = Record(index0 + 1, {})
        raw = {key: row[index] if index < len(row) else None for key, index, _, _ in parsers}
        if is_example(raw):
            result.issues.append(Issue(record.row, "", None, MSG_EXAMPLE_ROW, WARNING, sheet.name))
            result.rows_total -= 1
            continue
        formulas, errors = line.formulas, line.errors
        for key, index, parse, required in parsers:
            cell = raw[key]
            if formulas and index in formulas:
                result.add(record, key, MSG_FORMULA)
                continue
            if errors and index in errors:
                result.add(record, key, MSG_ERROR_CELL.format(value=errors[index]))
                continue
            if isinstance(cell, str) and (bad := _FORBIDDEN.search(cell)):
                result.add(record, key, MSG_CONTROL.format(code=f"U+{ord(bad.group()):04X}"))
                continue
            try:
                value = parse(cell)
            except values.CellError as exc:
                result.add(record, key, str(exc))
                continue
            if value is None and required:
                result.add(record, key, MSG_REQUIRED)
            record.values[key] = value
        if len(row) > len(mapped):
            for index, cell in enumerate(row):
                if index in mapped or index in unlabelled_reported or values.is_empty(cell):
                    continue
                label = values.clean_text(header_cells[index]) if index < len(header_cells) else ""
                if not label:
                    unlabelled_reported.add(index)
                    result.issues.append(Issue(record.row, "", index, MSG_NO_HEADER_DATA, sheet=sheet.name))
        if repeat_key is not None and (key := repeat_key(record.values)) is not None:
            if key in keys_seen:
                record.values = {name: value for name, value in record.values.items() if name in repeat_keeps}
            else:
                keys_seen.add(key)
        record.keep_in(store)
        result.records.append(record)
    if progress:
        progress(STEP_READ, read, read)


# ---------------------------------------------------------------- scope helpers


def can_upload(user: User) -> bool:
    return user.is_active and (user.role in REGISTRY_WRITER_ROLES or user.is_superuser)


def scope_phrase(user: User) -> str:
    if user.role == Role.DISTRICT:
        return f"区级用户（{user.district}）"
    if user.role == Role.PARK_OPERATOR:
        return f"园区运营用户（{user.park}）"
    return "您的账号"


def _chunks(items: Sequence[Any], size: int = LOOKUP_CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class EnterpriseRef:
    id: int
    name: str
    district_id: int
    park_id: int | None


def enterprises_by_uscc(codes: Iterable[str]) -> dict[str, EnterpriseRef]:
    wanted = sorted(set(codes))
    found: dict[str, EnterpriseRef] = {}
    for chunk in _chunks(wanted):
        for uscc, pk, name, district_id, park_id in Enterprise.objects.filter(among("uscc", chunk)).values_list(
            "uscc", "pk", "name", "district_id", "park_id"
        ):
            found[uscc] = EnterpriseRef(pk, name, district_id, park_id)
    return found


def visible_enterprise_ids(user: User, ids: Iterable[int]) -> set[int]:
    wanted = sorted(set(ids))
    if user.is_city_wide:
        return set(wanted)
    visible: set[int] = set()
    for chunk in _chunks(wanted):
        visible.update(Enterprise.objects.visible_to(user).filter(among("pk", chunk)).values_list("pk", flat=True))
    return visible


def resolve_enterprises(result: Validation, user: User, key: str = "uscc", *, check_name: bool = True) -> None:
    """Find each row's enterprise by USCC; unknown and out-of-scope enterprises are errors."""
    records = [record for record in result.records if record.values.get(key)]
    known = enterprises_by_uscc(record.values[key] for record in records)
    visible = visible_enterprise_ids(user, (ref.id for ref in known.values()))
    for record in records:
        code = record.values[key]
        ref = known.get(code)
        if ref is None or ref.id not in visible:
            result.add(record, key, MSG_UNKNOWN_ENTERPRISE.format(uscc=code))
            continue
        record.refs["enterprise"] = ref
        given = record.values.get("name")
        if check_name and given and given.replace(" ", "") != ref.name.replace(" ", ""):
            result.add(record, "name", MSG_NAME_MISMATCH.format(given=given, registered=ref.name), WARNING)


def check_duplicates(result: Validation, key: Callable[[Record], Any], what: str, column: str) -> None:
    first: dict[Any, int] = {}
    for record in result.records:
        value = key(record)
        if value is None:
            continue
        if value in first:
            result.add(record, column, MSG_DUPLICATE_ROW.format(other=first[value], what=what))
            record.refs["duplicate"] = True
        else:
            first[value] = record.row


def _ratio_warning(
    result: Validation,
    record: Record,
    key: str,
    value: Decimal | int | None,
    previous: Decimal | int | None,
    previous_label: str,
) -> None:
    if value is None or previous is None or value <= 0 or previous <= 0:
        return
    factor = result.thresholds.jump_factor
    ratio = Decimal(value) / Decimal(previous)
    if ratio > factor or ratio < 1 / factor:
        shown = f"{ratio:.1f}" if ratio >= 1 else f"{ratio:.2f}"
        result.add(
            record,
            key,
            MSG_JUMP.format(previous_label=previous_label, previous=previous, ratio=shown),
            WARNING,
        )


def _visible_parks(user: User) -> dict[str, Park]:
    """Parks by code and by name (folded), with the ones the user may write to marked."""
    parks: dict[str, Park] = {}
    fields = ("pk", "code", "name", "district_id", "district__name", "recognised_on")
    for park in Park.objects.select_related("district").only(*fields):
        parks[park.code.lower()] = park
        parks[park.name.replace(" ", "").lower()] = park
    return parks


def _park_lookup(parks: dict[str, Park], text: str) -> Park | None:
    return parks.get(text.replace(" ", "").lower())


def _districts() -> dict[str, District]:
    found: dict[str, District] = {}
    for district in District.objects.all():
        found[district.code.lower()] = district
        found[district.name] = district
        # “江夏” for “江夏区”; the zones are often written without their full title.
        short = district.name.removesuffix("区").removesuffix("新区")
        if short:
            found.setdefault(short, district)
    return found


def _writable_park(user: User, park: Park) -> bool:
    return may_place(user, district_id=park.district_id, park_id=park.pk)


def _writable_district(user: User, district_id: int) -> bool:
    return may_place(user, district_id=district_id, park_id=None)


# ---------------------------------------------------------------- periods


def period_window() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    return dt.date(today.year - years_back(), 1, 1), dt.date(today.year, today.month, 1)


def check_month_window(result: Validation) -> None:
    earliest, latest = period_window()
    for record in result.records:
        month = record.values.get("period")
        if month is None:
            continue
        if month.first_day > latest:
            result.add(record, "period", MSG_FUTURE.format(period=month.label()))
        elif month.first_day < earliest:
            result.add(record, "period", MSG_TOO_OLD.format(period=month.label(), earliest=earliest.year))


def check_year_window(result: Validation) -> None:
    earliest, latest = period_window()
    for record in result.records:
        year = record.values.get("year")
        if year is None:
            continue
        if year > latest.year:
            result.add(record, "year", MSG_FUTURE_YEAR.format(year=year))
        elif year < earliest.year:
            result.add(record, "year", MSG_OLD_YEAR.format(year=year, earliest=earliest.year))


def _annual_key(values: ReadMapping[str, Any]) -> Any:
    """What makes a yearly row a repeat of an earlier one: its firm and year."""
    return (values.get("uscc"), values.get("year")) if values.get("year") else None


@dataclass(frozen=True)
class _PeriodOpening:
    """How the rows of a kind reported by firm and period open their checks: the period's window
    check, the key of a repeat and how its message names it."""

    window: Callable[[Validation], None]
    key: Callable[[ReadMapping[str, Any]], Any]
    what: str


def enterprise_period_records(result: Validation, user: User, period: str) -> list[Record]:
    """The opening every kind reported by firm and period shares (企业月度/年度统计, the energy app's
    monthly and annual data): each row's enterprise found by credit code within the user's scope,
    the period (`period`: "period" for a month, "year") inside the window, a row repeating an
    earlier one's credit code and period refused. Returns the rows that go on to the kind's own
    checks: enterprise found, period read, not a repeat (a row with a bad cell still takes part, its
    other cells may break more rules)."""
    opening = _PERIOD_OPENINGS[period]
    resolve_enterprises(result, user)
    opening.window(result)
    check_duplicates(result, lambda r: opening.key(r.values), opening.what, period)
    return [r for r in result.records if "enterprise" in r.refs and r.values.get(period) and "duplicate" not in r.refs]


# ---------------------------------------------------------------- monthly statistics

FLOW_CODES = tuple(measure.code for measure in FLOW_MEASURES)
MONTHLY_VALUE_FIELDS = ("months_covered", *(f"{c}_{p}" for c in FLOW_CODES for p in ("month", "ytd")), "employees")


@dataclass(slots=True)
class _MonthEntry:
    month: int
    months_covered: int
    values: ReadMapping[str, Any]
    record: Record | None  # None: stored in the database
    # The values the row itself gives (not None): its record's, read once (empty for a stored month).
    given: ReadMapping[str, Any]


def check_monthly(result: Validation, user: User) -> None:
    records = enterprise_period_records(result, user, "period")
    measure_keys = [key for key in MONTHLY_VALUE_FIELDS[1:] if result.mapping and key in result.mapping.columns]
    for record in records:
        if all(record.values.get(key) is None for key in measure_keys):
            result.add(record, "", MSG_NO_VALUES, WARNING)
            record.skip = True
    records = [r for r in records if not r.skip]
    if not records:
        return
    rules = installed_pack().section(AUDIT)
    for record in records:
        for suffix in ("_month", "_ytd"):
            _check_hard_rules(result, record, rules.hard_for("monthly"), suffix)
    years = {r.values["period"].year for r in records}
    start, end = dt.date(min(years) - 1, 12, 1), dt.date(max(years), 12, 1)
    by_enterprise: dict[int, list[Record]] = defaultdict(list)
    for record in records:
        by_enterprise[record.refs["enterprise"].id].append(record)
    never_falling = rules.never_falling()
    # A few hundred firms at a time: their stored months read, their years checked, then let go, so
    # that what the checks hold does not grow with the file (a file replacing 100,000 stored rows).
    for chunk in _chunks(sorted(by_enterprise), MONTHLY_CHECK_FIRMS):
        chunk_records = [record for enterprise_id in chunk for record in by_enterprise[enterprise_id]]
        groups = _stored_months(chunk, start, end, chunk_records)
        for record in chunk_records:
            month = record.values["period"]
            group = groups[(record.refs["enterprise"].id, month.year)]
            stored_entry = group.get(month.month)
            # The row's own values when nothing is stored for the month, or when the row gives every
            # value the checks read (a full replacement: the stored row was not read at all). Read
            # out of the file's columns once into a dict for the checks of the year, which read them
            # several times, and let go with the chunk.
            given = {key: value for key, value in record.values.items() if value is not None}
            merged = given  # the checks read a None and a missing value alike (.get)
            if stored_entry:
                merged = dict(stored_entry.values)
                merged.update(given)
            group[month.month] = _MonthEntry(month.month, month.months_covered, merged, record, given)
        touched = {(r.refs["enterprise"].id, r.values["period"].year) for r in chunk_records}
        for key in touched:
            _check_year_of_months(result, groups[key], groups.get((key[0], key[1] - 1), {}), never_falling)


def _monthly_key(values: ReadMapping[str, Any]) -> Any:
    """What makes a monthly row a repeat of an earlier one: its firm and period."""
    return (values.get("uscc"), values["period"].first_day) if values.get("period") else None


_PERIOD_OPENINGS = {
    "period": _PeriodOpening(check_month_window, _monthly_key, "统一社会信用代码和报告期"),
    "year": _PeriodOpening(check_year_window, _annual_key, "统一社会信用代码和年度"),
}


# Kinds whose repeated rows are refused by a key of a few columns (check_duplicates in the kind's
# check), and the columns the checks read of a repeat (it takes no part in the others): the key and
# those columns, and what read_records keeps of a repeat.
REPEATS: dict[str, tuple[Callable[[ReadMapping[str, Any]], Any], frozenset[str]]] = {
    ImportBatch.Kind.MONTHLY: (_monthly_key, frozenset({"uscc", "name", "period"})),
}


# Firms whose stored months are read and checked together (at most 25 stored months each).
MONTHLY_CHECK_FIRMS = 500
# The values of a stored month that the checks of its year read.
MONTHLY_CHECKED_FIELDS = (*(f"{c}_{p}" for c in FLOW_CODES for p in ("month", "ytd")), "employees")


def _stored_months(
    enterprise_ids: Sequence[int], start: dt.date, end: dt.date, records: Sequence[Record]
) -> defaultdict[tuple[int, int], dict[int, _MonthEntry]]:
    """The stored months from `start` to `end` of the firms, grouped by (firm, year), as the checks
    of a year read them. A stored month that a row of the file replaces and fills in every value
    the checks read is left out (the row's values are what the checks see): only the keys of the
    stored rows are read first, then the values of the months still needed."""
    covering = {
        (record.refs["enterprise"].id, record.values["period"].first_day)
        for record in records
        if all(record.values.get(key) is not None for key in MONTHLY_CHECKED_FIELDS)
    }
    stored = MonthlyStat.objects.filter(among("enterprise_id", enterprise_ids), period__gte=start, period__lte=end)
    keys = stored.values_list("pk", "enterprise_id", "period")
    needed = [pk for pk, enterprise_id, period in keys if (enterprise_id, period) not in covering]
    groups: defaultdict[tuple[int, int], dict[int, _MonthEntry]] = defaultdict(dict)
    for chunk in _chunks(needed):
        # Tuples, made into a dict of the value fields each (the same dict .values() would give,
        # without its key columns), which is what an entry's checks read.
        rows = MonthlyStat.objects.filter(among("pk", chunk)).values_list(
            "enterprise_id", "period", *MONTHLY_VALUE_FIELDS
        )
        for enterprise_id, period, *measures in rows:
            row = dict(zip(MONTHLY_VALUE_FIELDS, measures, strict=True))
            groups[(enterprise_id, period.year)][period.month] = _MonthEntry(
                period.month, row["months_covered"], row, None, {}
            )
    return groups


FLOW_KEYS = tuple((code, f"{code}_ytd", f"{code}_month") for code in FLOW_CODES)


def _check_year_of_months(
    result: Validation,
    months: dict[int, _MonthEntry],
    last_year: dict[int, _MonthEntry],
    never_falling: dict[str, CumulativeRule],
) -> None:
    """One enterprise's year, stored months and file rows together, in month order: cumulatives of
    the pack's never-falling flows do not decrease (audit.yaml `cumulative`), 本月 matches the
    difference of cumulatives, jumps against the month before."""
    january, february = months.get(1), months.get(2)
    if january is not None and february is not None and february.months_covered == 2:
        if january.record is not None:
            result.add(january.record, "period", MSG_JAN_AND_COMBINED.format(year=january.record.values["period"].year))
        elif february.record is not None:
            result.add(
                february.record, "period", MSG_COMBINED_AND_JAN.format(year=february.record.values["period"].year)
            )
    latest: dict[str, _MonthEntry] = {}  # per measure, the last month that had a cumulative
    jump_high = result.thresholds.jump_factor
    jump_low = 1 / jump_high
    for month in sorted(months):
        entry = months[month]
        record, given = entry.record, entry.values
        before = months.get(month - 1) if month > 1 else last_year.get(12)
        from_january = month == 1 or (month == 2 and entry.months_covered == 2)
        for code, ytd_key, month_key in FLOW_KEYS:
            current = given.get(ytd_key)
            if current is not None:
                previous = latest.get(code)
                rule = never_falling.get(code)
                if previous is not None and rule is not None and current < previous.values[ytd_key]:
                    _decreasing(result, entry, previous, ytd_key, rule.code)
                latest[code] = entry
            if record is None or month_key not in entry.given:
                continue
            value = given[month_key]
            if current is not None:
                if from_january:
                    _month_mismatch(result, entry, None, month_key, value, current, current)
                elif before is not None and before.values.get(ytd_key) is not None:
                    _month_mismatch(result, entry, before, month_key, value, current, current - before.values[ytd_key])
            if before is None or (previous_value := before.values.get(month_key)) is None:
                continue
            if entry.months_covered == 1 and before.months_covered == 1:
                # A month against a single month: the values hold at most two decimals (the
                # column's places; stored ones are quantized), so dividing by one and quantizing to
                # cents leaves them as they are, and the ratio is the one _ratio_warning works out.
                # Only a jump goes on to it, for its message (which shows the quantized values).
                if value <= 0 or previous_value <= 0:
                    continue
                ratio = value / previous_value
                if jump_low <= ratio <= jump_high:
                    continue
            _ratio_warning(
                result,
                record,
                month_key,
                (value / entry.months_covered).quantize(values.CENT),
                (previous_value / before.months_covered).quantize(values.CENT),
                "上月本月值" if month > 1 else "上年12月本月值",
            )
        if record is not None and before is not None and "employees" in entry.given:
            _ratio_warning(
                result, record, "employees", given["employees"], before.values.get("employees"), "上月期末人数"
            )


def _decreasing(result: Validation, entry: _MonthEntry, previous: _MonthEntry, ytd_key: str, rule: str) -> None:
    current, earlier = entry.values[ytd_key], previous.values[ytd_key]
    if entry.record is not None:
        message = MSG_DECREASING.format(value=_number(current), month=previous.month, previous=_number(earlier))
        result.add(entry.record, ytd_key, message, ERROR, rule)
    elif previous.record is not None:
        message = MSG_DECREASING_LATER.format(value=_number(earlier), month=entry.month, later=_number(current))
        result.add(previous.record, ytd_key, message, ERROR, rule)


def _month_mismatch(
    result: Validation,
    entry: _MonthEntry,
    before: _MonthEntry | None,
    month_key: str,
    value: Decimal,
    current: Decimal,
    expected: Decimal,
) -> None:
    gap = abs(value - expected)
    # The tolerance is never below the absolute one: most rows pass on it without working out the
    # relative one (a quantize per measure and row).
    if gap <= result.thresholds.month_absolute:
        return
    tolerance = result.thresholds.month_tolerance(expected)
    if gap <= tolerance:
        return
    assert entry.record is not None
    if before is None:
        detail = "1月或1-2月合报时本月应等于累计"
    else:
        ytd_key = month_key.removesuffix("_month") + "_ytd"
        detail = f"本月累计{_number(current)} − {before.month}月累计{_number(before.values[ytd_key])}"
    message = MSG_MONTH_MISMATCH.format(
        value=_number(value), expected=_number(expected), detail=detail, gap=_number(gap), tolerance=_number(tolerance)
    )
    result.add(entry.record, month_key, message)


# ---------------------------------------------------------------- annual statistics


def _jumps_against_last_year(
    result: Validation, records: list[Record], owner: str, model: Any, fields: Sequence[str]
) -> None:
    """Warn where a value jumps against the owner's previous year (in the file or stored)."""
    keys = [key for key in fields if result.mapping and key in result.mapping.columns]
    if not records or not keys:
        return
    # Both owners (EnterpriseRef, Park) carry their primary key as `id`.
    this_year = {(record.refs[owner].id, record.values["year"]): record.values for record in records}
    owner_ids = sorted({owner_id for owner_id, _ in this_year})
    years = sorted({year - 1 for _, year in this_year})
    previous: dict[tuple[int, int], dict[str, Any]] = {}
    for chunk in _chunks(owner_ids):
        stored = model.objects.filter(**{f"{owner}_id__in": chunk, "year__in": years})
        for row in stored.values(f"{owner}_id", "year", *keys):
            previous[(row[f"{owner}_id"], row["year"])] = row
    for record in records:
        key = (record.refs[owner].id, record.values["year"] - 1)
        last = this_year.get(key) or previous.get(key)
        if not last:
            continue
        label = f"上年（{key[1]}年）"
        for name in keys:
            _ratio_warning(result, record, name, record.values.get(name), last.get(name), label)


def check_annual(result: Validation, user: User) -> None:
    records = enterprise_period_records(result, user, "year")
    keys = [key for key in ANNUAL_VALUE_FIELDS if result.mapping and key in result.mapping.columns]
    for record in records:
        if all(record.values.get(key) is None for key in keys):
            result.add(record, "", MSG_NO_VALUES, WARNING)
            record.skip = True
    records = [r for r in records if not r.skip]
    rules = installed_pack().section(AUDIT)
    for record in records:
        _check_hard_rules(result, record, rules.hard_for("annual"))
    # A measure whose year-on-year change the pack bounds is not warned of a jump as well.
    banded = rules.yoy_banded("annual")
    unbanded = tuple(key for key in ANNUAL_VALUE_FIELDS if key not in banded)
    _jumps_against_last_year(result, records, "enterprise", AnnualStat, unbanded)
    _check_year_on_year(result, records, rules.soft_for("annual"))
    for rule in rules.distribution_for("annual"):
        _check_distribution(result, records, rule)


def _check_hard_rules(result: Validation, record: Record, rules: Sequence[HardRule], suffix: str = "") -> None:
    """The pack's hard audit rules on one row (表内审核): a row that breaks one is refused, the issue
    on the rule's left column. `suffix` picks the monthly report's 本月 (_month) or 累计 (_ytd) pair; a
    stock measure (从业人员期末人数) has one column, checked with the 本月 pair."""
    for rule in rules:
        stock = rule.left not in FLOW_CODES
        if stock and suffix == "_ytd":
            continue
        left_key = rule.left if stock else rule.left + suffix
        left = record.values.get(left_key)
        if left is None:
            continue
        if rule.value is not None:
            right: Any = Decimal(str(rule.value))
            right_key = ""
        else:
            right_key = rule.right if rule.right not in FLOW_CODES else rule.right + suffix
            right = record.values.get(right_key)
            if right is None:
                continue
        if rule.both_positive and (left <= 0 or right <= 0):
            continue
        if not rule.holds(left, right):
            left_title, _ = result.header(left_key)
            right_title = result.header(right_key)[0] if right_key else _number(Decimal(right))
            message = MSG_AUDIT_HARD.format(
                rule=rule.name,
                left=left_title,
                sign=OP_SIGNS[rule.op],
                right=right_title,
                left_value=_number(Decimal(left)),
                right_value=_number(Decimal(right)),
            )
            if rule.value is not None:
                message = MSG_AUDIT_BOUND.format(
                    rule=rule.name, left=left_title, sign=OP_SIGNS[rule.op], bound=right_title,
                    value=_number(Decimal(left)),
                )  # fmt: skip
            result.add(record, left_key, message, ERROR, rule.code)


def _check_year_on_year(result: Validation, records: list[Record], rules: Sequence[SoftRule]) -> None:
    """The pack's soft audit rules: a change against the firm's previous year (in the file or
    stored) outside the band is a warning that needs a written explanation."""
    keys = {key for rule in rules for key in rule.measures if result.mapping and key in result.mapping.columns}
    if not records or not keys:
        return
    this_year = {(record.refs["enterprise"].id, record.values["year"]): record.values for record in records}
    previous: dict[tuple[int, int], dict[str, Any]] = {}
    ids = sorted({owner for owner, _ in this_year})
    years = sorted({year - 1 for _, year in this_year})
    for chunk in _chunks(ids):
        stored = AnnualStat.objects.filter(enterprise_id__in=chunk, year__in=years)
        for row in stored.values("enterprise_id", "year", *sorted(keys)):
            previous[(row["enterprise_id"], row["year"])] = row
    for record in records:
        key = (record.refs["enterprise"].id, record.values["year"] - 1)
        last = this_year.get(key) or previous.get(key)
        if not last:
            continue
        for rule in rules:
            for name in rule.measures:
                value, before = record.values.get(name), last.get(name)
                if name not in keys or value is None or before is None or before <= 0:
                    continue
                change = (Decimal(value) / Decimal(before) - 1) * 100
                if Decimal(str(rule.low)) <= change <= Decimal(str(rule.high)):
                    continue
                message = MSG_AUDIT_SOFT.format(
                    rule=rule.name,
                    year=key[1],
                    previous=_number(Decimal(before)),
                    change="增长" if change > 0 else "下降",
                    percent=f"{abs(change):.1f}",
                    low=f"{rule.low:g}",
                    high=f"{rule.high:g}",
                )
                result.add(record, name, message, WARNING, rule.code)


def _percentile(sorted_values: Sequence[Decimal], share: float) -> Decimal:
    """The percentile by linear interpolation between order statistics (Hyndman–Fan type 7, numpy's
    and Excel's PERCENTILE.INC default)."""
    position = Decimal(str(share)) / 100 * (len(sorted_values) - 1)
    below = int(position)
    above = min(below + 1, len(sorted_values) - 1)
    return sorted_values[below] + (sorted_values[above] - sorted_values[below]) * (position - below)


def _check_distribution(result: Validation, records: list[Record], rule: DistributionRule) -> None:
    """The pack's industry-distribution rule: a firm's ratio (增加值率) outside the [low, high]
    percentiles of the same ratio over the firms of its industry division in the same year (stored
    rows of other firms and this file's rows, each firm's division on the year's last day) is a
    warning that needs a written explanation. A division with fewer than `min_firms` firms is left."""
    keys = (rule.numerator, rule.denominator)
    if not result.mapping or any(key not in result.mapping.columns for key in keys):
        return
    mine = [
        r for r in records
        if r.values.get(rule.numerator) is not None and (r.values.get(rule.denominator) or 0) > 0
    ]  # fmt: skip
    if not mine:
        return
    years = sorted({r.values["year"] for r in mine})
    from yuanqu.registry.selectors import with_state_on

    ratios: dict[tuple[int, int], tuple[str, Decimal]] = {}  # (firm, year) → (division, ratio)
    for year in years:
        day = dt.date(year, 12, 31)
        stored = with_state_on(
            AnnualStat.objects.filter(year=year, **{f"{rule.numerator}__isnull": False, f"{rule.denominator}__gt": 0}),
            day,
            enterprise="enterprise__",
        ).values_list("enterprise_id", rule.numerator, rule.denominator, "state_industry")
        for firm, numerator, denominator, industry in stored:
            ratios[(firm, year)] = ((industry or "")[:3], Decimal(numerator) / Decimal(denominator))
        ids = sorted({r.refs["enterprise"].id for r in mine if r.values["year"] == year})
        divisions: dict[int, str] = {}
        for chunk in _chunks(ids):
            found = with_state_on(Enterprise.objects.filter(pk__in=chunk), day).values_list("pk", "state_industry")
            divisions.update({pk: (industry or "")[:3] for pk, industry in found})
        for record in mine:
            if record.values["year"] == year:
                firm = record.refs["enterprise"].id
                ratio = Decimal(record.values[rule.numerator]) / Decimal(record.values[rule.denominator])
                ratios[(firm, year)] = (divisions.get(firm, ""), ratio)
    groups: dict[tuple[str, int], list[Decimal]] = defaultdict(list)
    for (_, year), (division, ratio) in ratios.items():
        groups[(division, year)].append(ratio)
    bounds: dict[tuple[str, int], tuple[Decimal, Decimal]] = {}
    for key, rates in groups.items():
        if len(rates) >= rule.min_firms:
            ordered = sorted(rates)
            bounds[key] = (_percentile(ordered, rule.low), _percentile(ordered, rule.high))
    for record in mine:
        year = record.values["year"]
        division, ratio = ratios[(record.refs["enterprise"].id, year)]
        band = bounds.get((division, year))
        if band is None or band[0] <= ratio <= band[1]:
            continue
        message = MSG_AUDIT_DISTRIBUTION.format(
            rule=rule.name,
            ratio=f"{ratio * 100:.1f}",
            division=division,
            year=year,
            low=f"{rule.low:g}",
            high=f"{rule.high:g}",
            low_value=f"{band[0] * 100:.1f}",
            high_value=f"{band[1] * 100:.1f}",
            firms=len(groups[(division, year)]),
        )
        result.add(record, rule.numerator, message, WARNING, rule.code)


PARK_VALUE_FIELDS = (
    "built_area_km2",
    "industrial_land_mu",
    "fixed_asset_investment",
    "industrial_investment",
    "new_project_investment",
    "new_project_land_mu",
    "service_staff",
    "smart_subsystems",
    "facility_kinds",
    "renewable_share",
    "safety_accidents",
    "environmental_accidents",
)


def resolve_park_years(result: Validation, user: User) -> None:
    """The checks of every kind with one row per park and year: the park known and writable by the
    user (`refs["park"]`), the year within the window, no park and year twice in the file."""
    parks = _visible_parks(user)
    for record in result.records:
        text = record.values.get("park")
        if not text:
            continue
        park = _park_lookup(parks, text)
        if park is None:
            result.add(record, "park", MSG_PARK_UNKNOWN.format(value=text))
        elif not _writable_park(user, park):
            result.add(record, "park", MSG_PARK_OUT_OF_SCOPE.format(value=text))
        else:
            record.refs["park"] = park
    check_year_window(result)
    check_duplicates(
        result,
        lambda r: (r.refs["park"].pk, r.values.get("year")) if "park" in r.refs and r.values.get("year") else None,
        "园区和年度",
        "year",
    )


def check_park_annual(result: Validation, user: User) -> None:
    resolve_park_years(result, user)
    records = [r for r in result.records if "park" in r.refs and r.values.get("year") and "duplicate" not in r.refs]
    for record in records:
        park, year = record.refs["park"], record.values["year"]
        if park.recognised_on is not None and year < park.recognised_on.year:
            message = MSG_BEFORE_RECOGNITION.format(year=year, park=park.name, recognised=park.recognised_on.year)
            result.add(record, "year", message, WARNING)
    keys = [key for key in PARK_VALUE_FIELDS if result.mapping and key in result.mapping.columns]
    for record in records:
        if all(record.values.get(key) is None for key in keys):
            result.add(record, "", MSG_NO_VALUES, WARNING)
            record.skip = True
    _jumps_against_last_year(result, [r for r in records if not r.skip], "park", ParkAnnualStat, PARK_VALUE_FIELDS)


# ---------------------------------------------------------------- registry kinds


def _resolve_district_and_park(
    result: Validation,
    user: User,
    record: Record,
    districts: dict[str, District],
    parks: dict[str, Park],
    district_required: bool,
) -> None:
    district_text = record.values.get("district")
    district = None
    if district_text:
        district = districts.get(district_text) or districts.get(district_text.lower())
        if district is None:
            result.add(record, "district", MSG_DISTRICT_UNKNOWN.format(value=district_text))
        else:
            record.refs["district"] = district
    elif district_required:
        result.add(record, "district", MSG_REQUIRED)
    park_text = record.values.get("park")
    if park_text:
        park = _park_lookup(parks, park_text)
        if park is None:
            result.add(record, "park", MSG_PARK_UNKNOWN.format(value=park_text))
            return
        if district is not None and park.district_id != district.pk:
            result.add(record, "park", MSG_PARK_NOT_IN_DISTRICT.format(park=park.name, district=park.district.name))
            return
        record.refs["park"] = park


def _check_write_scope(result: Validation, user: User, record: Record, current_park_id: int | None = None) -> None:
    """What a row writes must lie in the uploader's scope: a district user's district, a park
    operator's park (for an update that names no park, the park the object is in now)."""
    if user.is_city_wide:
        return
    park = record.refs.get("park")
    district = record.refs.get("district")
    if writes_within_park(user):
        if not may_place(user, district_id=None, park_id=park.pk if park is not None else current_park_id):
            result.add(record, "park", MSG_PARK_ROLE.format(own=user.park))
        return
    if district is not None and not _writable_district(user, district.pk):
        result.add(record, "district", MSG_DISTRICT_OUT_OF_SCOPE.format(own=user.district))
    elif park is not None and not _writable_park(user, park):
        result.add(record, "park", MSG_PARK_OUT_OF_SCOPE.format(value=park.name))


def check_enterprises(result: Validation, user: User) -> None:
    from yuanqu.registry.region import basemap_path, region_chinese

    basemap, region = basemap_path(), region_chinese()
    check_duplicates(result, lambda r: r.values.get("uscc"), "统一社会信用代码", "uscc")
    codes = [r.values["uscc"] for r in result.records if r.values.get("uscc")]
    known = enterprises_by_uscc(codes)
    visible = visible_enterprise_ids(user, (ref.id for ref in known.values()))
    classes = dict(IndustryClass.objects.values_list("code", "level"))
    districts, parks = _districts(), _visible_parks(user)
    for record in result.records:
        code = record.values.get("uscc")
        ref = known.get(code) if code else None
        if ref is not None:
            if ref.id not in visible:
                result.add(record, "uscc", MSG_USCC_TAKEN.format(uscc=code, scope=scope_phrase(user)))
                continue
            record.refs["enterprise"] = ref
        else:
            for key in ("name", "industry", "district"):
                if not record.values.get(key) and (result.mapping and key in result.mapping.columns):
                    result.add(record, key, MSG_NEW_NEEDS)
        industry = record.values.get("industry")
        if industry:
            industry = industry.replace(" ", "").upper()
            record.values["industry"] = industry
            level = classes.get(industry)
            if level is None:
                result.add(record, "industry", MSG_INDUSTRY_UNKNOWN.format(code=industry))
            elif level != IndustryClass.Level.CLASS:
                result.add(record, "industry", MSG_INDUSTRY_NOT_CLASS.format(code=industry))
        _resolve_district_and_park(result, user, record, districts, parks, district_required=False)
        # A visible enterprise is in scope already; what the row moves it to must be too.
        _check_write_scope(result, user, record, current_park_id=ref.park_id if ref else None)
        check_coordinates(result, record, basemap=basemap, region=region)


def check_coordinates(result: Validation, record: Record, *, basemap: Path | None, region: str) -> None:
    """A row's 经度/纬度 (with its 坐标系): both or neither, a known system, inside the pack's region.
    The point in WGS84 is kept on the record (`refs["wgs84"]`) for the write."""
    from yuanqu.registry import geo

    lon, lat = record.values.get("lon"), record.values.get("lat")
    if (lon is None) != (lat is None):
        result.add(record, "lon" if lon is None else "lat", MSG_COORDINATES_PAIR)
    elif lon is not None and lat is not None:
        system = record.values.get("coordinate_system") or "wgs84"
        try:
            wgs_lon, wgs_lat = geo.to_wgs84(float(lon), float(lat), system)
        except geo.GeoError as exc:
            result.add(record, "coordinate_system", str(exc))
        else:
            if not geo.inside_region(wgs_lon, wgs_lat, basemap):
                place = {"lon": f"{lon.normalize():f}", "lat": f"{lat.normalize():f}", "region": region}
                result.add(record, "lon", MSG_OUTSIDE_REGION.format(**place))
            else:
                record.refs["wgs84"] = (wgs_lon, wgs_lat)


def check_labels(result: Validation, user: User) -> None:
    resolve_enterprises(result, user)
    labels = dict(LabelKind.choices)
    for record in result.records:
        kind = record.values.get("kind")
        if kind in LEVELLED_LABEL_KINDS and not record.values.get("level"):
            result.add(record, "level", MSG_LEVEL_REQUIRED.format(kind=labels[kind]))
        start, end = record.values.get("valid_from"), record.values.get("valid_to")
        if start and end and end < start:
            result.add(record, "valid_to", MSG_VALID_TO.format(valid_to=end, valid_from=start))
    check_duplicates(
        result,
        lambda r: (
            (r.values.get("uscc"), r.values.get("kind"), r.values.get("level") or "", r.values.get("valid_from"))
            if r.values.get("uscc") and r.values.get("kind") and r.values.get("valid_from")
            else None
        ),
        "企业、称号、级别和认定日期",
        "valid_from",
    )


def check_land(result: Validation, user: User) -> None:
    check_duplicates(result, lambda r: r.values.get("code"), "地块编号", "code")
    districts, parks = _districts(), _visible_parks(user)
    codes = [r.values["code"] for r in result.records if r.values.get("code")]
    existing = {}
    for chunk in _chunks(sorted(set(codes))):
        existing.update(
            {p.code: p for p in LandParcel.objects.filter(code__in=chunk).only("pk", "code", "district_id", "park_id")}
        )
    visible = (
        set(
            LandParcel.objects.visible_to(user)
            .filter(pk__in=[p.pk for p in existing.values()])
            .values_list("pk", flat=True)
        )
        if existing
        else set()
    )
    owners = [r.values["enterprise_uscc"] for r in result.records if r.values.get("enterprise_uscc")]
    known = enterprises_by_uscc(owners)
    visible_owners = visible_enterprise_ids(user, (ref.id for ref in known.values()))
    for record in result.records:
        parcel = existing.get(record.values.get("code") or "")
        if parcel is not None:
            if parcel.pk not in visible:
                result.add(record, "code", f"地块“{parcel.code}”已存在且不在您的权限范围内")
                continue
            record.refs["parcel"] = parcel
        _resolve_district_and_park(result, user, record, districts, parks, district_required=True)
        _check_write_scope(result, user, record, current_park_id=parcel.park_id if parcel else None)
        owner = record.values.get("enterprise_uscc")
        if owner:
            ref = known.get(owner)
            if ref is None or ref.id not in visible_owners:
                result.add(record, "enterprise_uscc", MSG_UNKNOWN_ENTERPRISE.format(uscc=owner))
            else:
                record.refs["enterprise"] = ref


def check_price_index(result: Validation, user: User) -> None:
    """Price indices (工业生产者出厂价格指数) by industry division and month: city data, so only the
    city's administrators import them; the code must be a GB/T 4754 大类; one row per division and month."""
    if not is_city_admin(user):
        result.issues.append(Issue(None, "", None, MSG_PRICE_ROLE.format(role=user.get_role_display())))
        return
    check_month_window(result)
    divisions = set(IndustryClass.objects.filter(level=IndustryClass.Level.DIVISION).values_list("code", flat=True))
    for record in result.records:
        code = record.values.get("division")
        if code is not None:
            code = str(code).strip().upper()
            if code not in divisions:
                result.add(record, "division", MSG_DIVISION_UNKNOWN.format(code=code))
            else:
                record.refs["division"] = code
        if record.values.get("month_index") is None and record.values.get("ytd_index") is None:
            result.add(record, "ytd_index", MSG_INDEX_MISSING)
    check_duplicates(
        result,
        lambda r: (
            (r.refs["division"], r.values["period"].first_day)
            if "division" in r.refs and r.values.get("period")
            else None
        ),
        "行业大类和报告期",
        "period",
    )


CHECKS: dict[str, Callable[[Validation, User], None]] = {
    ImportBatch.Kind.ENTERPRISES: check_enterprises,
    ImportBatch.Kind.MONTHLY: check_monthly,
    ImportBatch.Kind.ANNUAL: check_annual,
    ImportBatch.Kind.PARK_ANNUAL: check_park_annual,
    ImportBatch.Kind.LABELS: check_labels,
    ImportBatch.Kind.LAND: check_land,
    ImportBatch.Kind.PRICE_INDEX: check_price_index,
}


def validate(spec: KindSpec, workbook: Workbook, user: User, progress: Progress | None = None) -> Validation:
    """Everything wrong with the file, row by row, and the clean records."""
    result = Validation(spec, encoding=workbook.encoding, notes=list(workbook.notes))
    if not can_upload(user):
        result.issues.append(Issue(None, "", None, MSG_NO_PERMISSION.format(role=user.get_role_display())))
        return result
    found = find_header(spec, workbook)
    if found is None:
        empty = not any(_has_value(sheet) for sheet in workbook.sheets)
        message = MSG_EMPTY if empty else MSG_NO_HEADER.format(rows=HEADER_SEARCH_ROWS, kind=spec.label)
        result.issues.append(Issue(None, "", None, message))
        return result
    sheet, header_row = found
    if sheet.hidden:
        result.notes.append(MSG_HIDDEN_SHEET.format(sheet=sheet.name))
    mapping = map_columns(spec, sheet, header_row, result)
    if any(column.key not in mapping.columns for column in spec.required):
        return result
    before = (list(result.issues), list(result.notes))
    try:
        read_records(spec, sheet, mapping, result, sheet.iter_rows(), progress)
    except Unordered:
        # Rows out of order cannot be streamed: the sheet is read whole (under the value-cell cap).
        result.issues = Issues(result.issues.kept)
        result.issues.extend(before[0])
        result.notes[:] = before[1]
        result.records.clear()
        result.rows_total = 0
        read_records(spec, sheet, mapping, result, sheet.iter_rows(whole=True), progress)
    if result.rows_total == 0:
        result.issues.append(Issue(None, "", None, MSG_EMPTY, sheet=sheet.name))
        return result
    if progress:
        progress(STEP_VALIDATE, 0, result.rows_total)
    CHECKS[spec.code](result, user)
    result.issues.trim()
    if progress:
        progress(STEP_VALIDATE, result.rows_total, result.rows_total)
    return result


def _has_value(sheet: Sheet) -> bool:
    """Whether any cell of the sheet holds a value, read until the first one."""
    try:
        return any(not values.is_empty(cell) for row in sheet.iter_rows() for cell in row.cells)
    except Unordered:
        return any(not values.is_empty(cell) for row in sheet.iter_rows(whole=True) for cell in row.cells)
