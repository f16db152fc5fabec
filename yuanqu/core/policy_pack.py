"""Policy packs: load a directory of YAML files into frozen dataclasses, refusing a bad pack.

A policy pack (DESIGN.md, "Everything in the policy that is a number, a list or a rule") is the
versioned configuration of one city's plan: responsible units, park types, industry chains, the
indicator catalogue, tasks, 2027 targets and the 啄木鸟 casework rules. Code knows how to compute; the
pack says what.

Who calls this: the `yuanqu policy check` command, the demo loader, and the apps that read the pack
(registry, indicators, targets, casework). Pure Python and PyYAML, with no Django import, so that it can
run and be tested on its own.

The indicator catalogue (indicators.yaml) defines each indicator as a formula over named terms; a term
aggregates one base measure (or counts rows) of one data source under filters on enterprise labels,
industry classes and park attributes. The loader checks measures, filters, the formula and its unit
(dimensional analysis), and links every target of targets.yaml to an indicator of matching unit.
`Formula.evaluate` and `Dimension` are used by the indicator engine, so that the check and the
computation read the formula the same way.

`load_pack(path)` returns a `PolicyPack` or raises `PolicyPackError` listing every problem as
`file:line: message` (messages in Chinese, for the bureau staff who edit the YAML). `check_pack(path)`
returns the problems without raising. `pack_hash(path)` fingerprints the files for reproducibility.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal, DivisionByZero, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

import yaml

from yuanqu.stats.measures import ANNUAL_EXTRA_MEASURES, ENTERPRISE_MEASURES, PARK_MEASURES

DEFAULT_INDUSTRY_CSV = Path(__file__).resolve().parent.parent / "reference_data" / "gbt4754-2017.csv"

PACK_FILES = (
    "pack.yaml",
    "units.yaml",
    "park_types.yaml",
    "chains.yaml",
    "indicators.yaml",
    "tasks.yaml",
    "targets.yaml",
    "casework.yaml",
)

UNIT_KINDS = ("bureau", "district_government", "zone_committee", "group")
# Kinds of rows in reference_data/wuhan-districts.csv that a generic unit expands to.
EXPANSION_KINDS = ("district", "development_zone")
CHAIN_KINDS = ("key_chain", "future_track")
STAGES = ("upstream", "midstream", "downstream")
COMPARISONS = ("gt", "ge", "le", "growth_ge")
TARGET_KINDS = ("goal", "constraint")
CITY_SCOPE = "city"
STATUS_WHEN = ("met", "ratio_ge", "otherwise")
CASE_KINDS = ("request", "park_problem")
QUESTION_TYPES = ("text", "number", "choice")
# 政务服务“好差评”: five levels, 非常满意 … 非常不满意.
SATISFACTION_LEVEL_COUNT = 5
PERCENT = "%"
GROWTH_UNIT = "%/年"
# Progress reports on the tasks are due this many days after each quarter ends, unless the pack says.
DEFAULT_REPORT_DUE_DAYS = 10
MAX_REPORT_DUE_DAYS = 90
# A month counts as reported in full when this share of the firms due to report have (indicators.yaml:
# reporting.complete_share), unless the pack says otherwise.
DEFAULT_COMPLETE_SHARE = 0.9

_CODE_RE = re.compile(r"[a-z][a-z0-9_]*\Z")
_CLASS_RE = re.compile(r"[A-T]\d{4}\Z")
_REGION_CODE_RE = re.compile(r"\d{6}\Z")
# Han characters (CJK unified ideographs, extension A and compatibility ideographs): an English name
# of the pack (name_en, title_en) must contain none.
_HAN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


# ── result types ───────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class PackProblem:
    """One thing wrong with a pack. `line` is 1-based; 0 means the file as a whole."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class PolicyPackError(ValueError):
    """The pack was refused; `problems` holds every problem found, not just the first."""

    def __init__(self, path: Path, problems: Sequence[PackProblem]) -> None:
        self.path = path
        self.problems = tuple(problems)
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"政策包 {path} 校验未通过，共 {len(self.problems)} 个问题：\n{lines}")


@dataclass(frozen=True, slots=True)
class PackSource:
    title: str
    document: str
    validity: str | None


@dataclass(frozen=True, slots=True)
class Unit:
    """A responsible unit (责任单位). Generic units (各区人民政府, a group of units) are expanded by the
    platform: `expands_to` names kinds of rows in the districts table, `members` names other units."""

    code: str
    name: str
    kind: str
    full_name: str | None
    aliases: tuple[str, ...]
    members: tuple[str, ...]
    expands_to: tuple[str, ...]
    note: str | None

    @property
    def is_generic(self) -> bool:
        return bool(self.members or self.expands_to)


@dataclass(frozen=True, slots=True)
class EntryCondition:
    """A condition a park must meet to be recognised as its type; `reference` marks a condition taken
    from a secondary source that must be verified."""

    code: str
    text: str
    indicator: str | None
    comparison: str | None
    value: float | None
    unit: str | None
    reference: bool
    source: str | None


@dataclass(frozen=True, slots=True)
class ParkType:
    code: str
    name: str
    target_count: int
    lead_share_comparison: str
    lead_share_target: float  # percent
    award_cap_wan_yuan: int
    positioning: str
    built_on: str
    description: str
    entry_conditions: tuple[EntryCondition, ...]


@dataclass(frozen=True, slots=True)
class ChainNode:
    code: str
    name: str
    stage: str
    industry_classes: tuple[str, ...]  # GB/T 4754-2017 小类, e.g. "C3976"


@dataclass(frozen=True, slots=True)
class Chain:
    code: str
    name: str
    kind: str
    illustrative: bool
    nodes: tuple[ChainNode, ...]

    @property
    def industry_classes(self) -> frozenset[str]:
        return frozenset(code for node in self.nodes for code in node.industry_classes)


@dataclass(frozen=True, slots=True)
class AdvantageIndustry:
    code: str
    name: str
    target_scale_yi_yuan: float
    target_year: int
    chains: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TaskGroup:
    code: str
    number: int
    title: str
    title_en: str = ""  # optional English title, shown on English pages


@dataclass(frozen=True, slots=True)
class Task:
    """A numbered task (kind "task", in a group) or a safeguard (kind "safeguard", no group)."""

    code: str
    kind: str
    number: int
    group: str | None
    title: str
    summary: str
    lead_units: tuple[str, ...]
    co_units: tuple[str, ...]
    units_text: str
    targets: tuple[str, ...]
    title_en: str = ""  # optional English title, shown on English pages


@dataclass(frozen=True, slots=True)
class Target:
    code: str
    name: str
    kind: str  # goal: progress is tracked; constraint: a limit checked case by case
    indicator: str
    comparison: str
    value: float
    unit: str
    scope: str  # "city" or a park type code
    baseline_year: int
    deadline: date
    units: tuple[str, ...]
    source: str
    note: str | None
    name_en: str = ""  # optional English name, shown on English pages


@dataclass(frozen=True, slots=True)
class StatusRule:
    code: str
    name: str
    when: str  # met / ratio_ge / otherwise
    threshold: float | None
    description: str


@dataclass(frozen=True, slots=True)
class StatusRules:
    description: str
    rules: tuple[StatusRule, ...]

    def classify(self, *, met: bool, ratio: float | None) -> StatusRule:
        """The first rule that holds. `ratio` is progress ÷ elapsed time; None when no time has
        elapsed yet, which counts as on schedule."""
        for rule in self.rules:
            if rule.when == "met" and met:
                return rule
            if rule.when == "ratio_ge" and (ratio is None or ratio >= (rule.threshold or 0.0)):
                return rule
            if rule.when == "otherwise":
                return rule
        # The loader guarantees a final "otherwise" rule.
        raise LookupError("status rules have no fallback")


@dataclass(frozen=True, slots=True)
class Question:
    code: str
    label: str
    type: str
    choices: tuple[str, ...]
    required: bool


@dataclass(frozen=True, slots=True)
class CaseCategory:
    code: str
    name: str
    kind: str
    time_limit_days: int  # working days, counted from the day after acceptance
    default_unit: str
    description: str
    materials: tuple[str, ...]
    questions: tuple[Question, ...]
    name_en: str = ""  # optional English name, shown on English pages


@dataclass(frozen=True, slots=True)
class SatisfactionLevel:
    code: str
    name: str
    score: int
    counts_as_satisfied: bool


@dataclass(frozen=True, slots=True)
class FollowUpRule:
    levels: tuple[str, ...]
    time_limit_days: int
    appeal_allowed: bool
    description: str


@dataclass(frozen=True, slots=True)
class CaseworkConfig:
    response_limit_days: int
    notice_limit_days: int
    categories: tuple[CaseCategory, ...]
    satisfaction_levels: tuple[SatisfactionLevel, ...]
    follow_up: FollowUpRule


@dataclass(frozen=True, slots=True)
class ReportingRule:
    """When a month's statistics are complete (indicators.yaml: reporting): `indicator` is the report
    rate (unit %, firms that reported over firms due to report) and a month whose rate reaches
    `complete_share` is complete. None for `indicator` where the pack names no rate: every month
    then counts as complete."""

    indicator: str | None
    complete_share: float


@dataclass(frozen=True, slots=True)
class PolicyPack:
    code: str
    name: str
    short_name: str | None
    version: str
    status: str
    region: str | None
    region_code: str | None
    source: PackSource
    baseline_year: int
    period_start: date
    period_end: date
    notes: tuple[str, ...]
    units: tuple[Unit, ...]
    park_types: tuple[ParkType, ...]
    chains: tuple[Chain, ...]
    chain_notes: tuple[str, ...]
    advantage_industries: tuple[AdvantageIndustry, ...]
    task_groups: tuple[TaskGroup, ...]
    tasks: tuple[Task, ...]
    safeguards: tuple[Task, ...]
    # Responsible units report each quarter within this many days after it ends (tasks.yaml: reporting).
    report_due_days: int
    targets: tuple[Target, ...]
    status_rules: StatusRules
    casework: CaseworkConfig
    class_sets: tuple[ClassSet, ...]
    indicators: tuple[Indicator, ...]
    reporting: ReportingRule
    content_hash: str

    def indicator(self, code: str) -> Indicator:
        return _find(self.indicators, code)

    def unit(self, code: str) -> Unit:
        return _find(self.units, code)

    def park_type(self, code: str) -> ParkType:
        return _find(self.park_types, code)

    def chain(self, code: str) -> Chain:
        return _find(self.chains, code)

    def target(self, code: str) -> Target:
        return _find(self.targets, code)

    def task(self, code: str) -> Task:
        return _find((*self.tasks, *self.safeguards), code)

    @property
    def key_chains(self) -> tuple[Chain, ...]:
        return tuple(chain for chain in self.chains if chain.kind == "key_chain")

    @property
    def future_tracks(self) -> tuple[Chain, ...]:
        return tuple(chain for chain in self.chains if chain.kind == "future_track")


_Coded = TypeVar("_Coded", Unit, ParkType, Chain, Target, Task, "Indicator")


def _find(items: Iterable[_Coded], code: str) -> _Coded:
    for item in items:
        if item.code == code:
            return item
    raise KeyError(code)


# ── public functions ───────────────────────────────────────────────────────────────────────


def load_industry_classes(csv_path: Path = DEFAULT_INDUSTRY_CSV) -> frozenset[str]:
    """The GB/T 4754-2017 小类 codes (level "class") of the reference CSV."""
    with csv_path.open(encoding="utf-8", newline="") as handle:
        return frozenset(row["code"] for row in csv.DictReader(handle) if row["level"] == "class")


def load_pack(path: Path, *, industry_classes: Collection[str] | None = None) -> PolicyPack:
    """Load and validate the pack in directory `path`; raise PolicyPackError on any problem."""
    pack, problems = _read_pack(path, industry_classes)
    if problems or pack is None:
        raise PolicyPackError(path, problems)
    return pack


def check_pack(path: Path, *, industry_classes: Collection[str] | None = None) -> list[PackProblem]:
    """Every problem of the pack in `path`, in file order then line order; empty when it is valid."""
    return _read_pack(path, industry_classes)[1]


def pack_hash(path: Path) -> str:
    """sha256 over the pack's YAML files, in sorted order of their relative paths (names included, so
    that renaming a file changes the hash)."""
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in {".yaml", ".yml"}):
        digest.update(file.relative_to(path).as_posix().encode())
        digest.update(b"\0")
        digest.update(file.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


# ── YAML with line numbers ─────────────────────────────────────────────────────────────────


class _Map(dict[str, Any]):
    """A YAML mapping that remembers the line it starts on and the line of each key (1-based)."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}


class _Seq(list[Any]):
    """A YAML sequence that remembers the line it starts on and the line of each item."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


class _LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings and sequences carry line numbers, and which records duplicate and
    non-text keys (plain PyYAML keeps the last duplicate silently)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.key_problems: list[tuple[int, str]] = []


class _FastLineLoader(yaml.CSafeLoader):
    """The same on libyaml's parser, several times faster; used when PyYAML was built with it."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.key_problems: list[tuple[int, str]] = []


def _construct_map(loader: _LineLoader | _FastLineLoader, node: yaml.MappingNode) -> _Map:
    loader.flatten_mapping(node)
    result = _Map(node.start_mark.line + 1)
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            loader.key_problems.append((line, f"键“{key_node.value}”应为文本"))
            continue
        if key in result:
            loader.key_problems.append((line, f"重复的键“{key}”（第{result.key_lines[key]}行已出现）"))
            continue
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_seq(loader: _LineLoader | _FastLineLoader, node: yaml.SequenceNode) -> _Seq:
    result = _Seq(node.start_mark.line + 1)
    for item_node in node.value:
        result.append(loader.construct_object(item_node, deep=True))
        result.item_lines.append(item_node.start_mark.line + 1)
    return result


for _loader in (_LineLoader, _FastLineLoader):
    _loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
    _loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def _make_loader(text: str) -> _LineLoader | _FastLineLoader:
    return _FastLineLoader(text) if yaml.__with_libyaml__ else _LineLoader(text)


# The line-aware YAML reading is shared with the other pack readers (yuanqu/evaluation/pack.py).
LineMap = _Map
LineSeq = _Seq
make_line_loader = _make_loader


# ── reading helpers ────────────────────────────────────────────────────────────────────────


class _Source:
    """One pack file: its name and the shared list of problems."""

    def __init__(self, name: str, problems: list[PackProblem]) -> None:
        self.name = name
        self.problems = problems

    def add(self, line: int, message: str) -> None:
        self.problems.append(PackProblem(self.name, line, message))


@dataclass(frozen=True, slots=True)
class _Ref:
    """A code written in the pack, with the line it is on, to check once all files are read."""

    value: str
    line: int


def _describe(value: object) -> str:
    names: dict[type, str] = {
        str: "文本",
        bool: "布尔值",
        int: "整数",
        float: "数值",
        date: "日期",
        datetime: "日期时间",
        _Map: "映射",
        _Seq: "列表",
        type(None): "空值",
    }
    return names.get(type(value), type(value).__name__)


class _Obj:
    """One YAML mapping read against a fixed set of keys. Missing and unknown keys are reported when it
    is made; each getter reports a wrong type and then returns a neutral default, which never escapes
    because any problem refuses the whole pack."""

    def __init__(
        self,
        src: _Source,
        data: _Map,
        label: str,
        required: Sequence[str],
        optional: Sequence[str] = (),
    ) -> None:
        self.src = src
        self.data = data
        self.prefix = f"{label}：" if label else ""
        for key in required:
            if key not in data:
                src.add(data.line, f"{self.prefix}缺少必填项“{key}”")
        allowed = set(required) | set(optional)
        for key in data:
            if key not in allowed:
                src.add(data.key_lines[key], f"{self.prefix}未知的项“{key}”")

    def line(self, key: str) -> int:
        return self.data.key_lines.get(key, self.data.line)

    def error(self, key: str, message: str) -> None:
        self.src.add(self.line(key), f"{self.prefix}“{key}”{message}")

    def _present(self, key: str) -> bool:
        return self.data.get(key) is not None

    def _wrong(self, key: str, expected: str) -> None:
        self.error(key, f"应为{expected}，实际为{_describe(self.data[key])}")

    def text(self, key: str) -> str:
        if key not in self.data:
            return ""
        value: object = self.data[key]
        if not isinstance(value, str):
            self._wrong(key, "文本")
            return ""
        if not value.strip():
            self.error(key, "不能为空")
        return value.strip()

    def opt_text(self, key: str) -> str | None:
        return self.text(key) if self._present(key) else None

    def english(self, key: str) -> str:
        """An optional English name (name_en, title_en): a non-empty text without Han characters, or ""
        when the key is absent."""
        value = self.text(key) if self._present(key) else ""
        if _HAN_RE.search(value):
            self.error(key, f"（英文名称）不应含汉字，实际为“{value}”")
        return value

    def code(self, key: str = "code") -> str:
        value = self.text(key)
        if value and not _CODE_RE.match(value):
            self.error(key, f"的代码“{value}”格式无效：只能用小写字母、数字和下划线，并以字母开头")
        return value

    def integer(self, key: str, *, minimum: int | None = None) -> int:
        if key not in self.data:
            return 0
        value: object = self.data[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self._wrong(key, "整数")
            return 0
        if minimum is not None and value < minimum:
            self.error(key, f"应不小于{minimum}，实际为{value}")
        return value

    def number(self, key: str) -> float:
        if key not in self.data:
            return 0.0
        value: object = self.data[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            self._wrong(key, "数值")
            return 0.0
        return float(value)

    def opt_number(self, key: str) -> float | None:
        return self.number(key) if self._present(key) else None

    def boolean(self, key: str) -> bool:
        if key not in self.data:
            return False
        value: object = self.data[key]
        if not isinstance(value, bool):
            self._wrong(key, "布尔值（true 或 false）")
            return False
        return value

    def day(self, key: str) -> date:
        if key not in self.data:
            return date.min
        value: object = self.data[key]
        if isinstance(value, datetime) or not isinstance(value, date):
            self._wrong(key, "日期（YYYY-MM-DD）")
            return date.min
        return value

    def _seq(self, key: str) -> _Seq | None:
        if key not in self.data:
            return None
        value: object = self.data[key]
        if not isinstance(value, _Seq):
            self._wrong(key, "列表")
            return None
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        return tuple(ref.value for ref in self.refs(key, codes=False))

    def refs(self, key: str, *, codes: bool = True) -> tuple[_Ref, ...]:
        """A list of texts (codes by default) with their lines; a repeated item is reported."""
        seq = self._seq(key)
        if seq is None:
            return ()
        result: list[_Ref] = []
        seen: dict[str, int] = {}
        for item, line in zip(seq, seq.item_lines, strict=True):
            if not isinstance(item, str) or not item.strip():
                self.src.add(line, f"{self.prefix}“{key}”的每一项应为非空文本，实际为{_describe(item)}")
                continue
            if item in seen:
                self.src.add(line, f"{self.prefix}“{key}”中“{item}”重复（第{seen[item]}行已出现）")
                continue
            if codes and not _CODE_RE.match(item):
                self.src.add(line, f"{self.prefix}“{key}”中的代码“{item}”格式无效")
                continue
            seen[item] = line
            result.append(_Ref(item, line))
        return tuple(result)

    def objects(self, key: str) -> list[_Map]:
        """A list of mappings; an item that is not a mapping is reported and skipped."""
        seq = self._seq(key)
        if seq is None:
            return []
        result: list[_Map] = []
        for item, line in zip(seq, seq.item_lines, strict=True):
            if isinstance(item, _Map):
                result.append(item)
            else:
                self.src.add(line, f"{self.prefix}“{key}”的每一项应为映射（键: 值），实际为{_describe(item)}")
        return result

    def mapping(self, key: str) -> _Map | None:
        if key not in self.data:
            return None
        value: object = self.data[key]
        if not isinstance(value, _Map):
            self._wrong(key, "映射（键: 值）")
            return None
        return value


def _is_empty_list(data: _Map, key: str) -> bool:
    value = data.get(key)
    return isinstance(value, _Seq) and not value


def _check_unique(src: _Source, what: str, items: Iterable[_Ref]) -> None:
    """Report every code that appears a second time (within one file)."""
    seen: dict[str, int] = {}
    for item in items:
        if not item.value:
            continue
        if item.value in seen:
            src.add(item.line, f"{what}代码“{item.value}”重复（第{seen[item.value]}行已定义）")
        else:
            seen[item.value] = item.line


def _check_refs(src: _Source, what: str, refs: Iterable[_Ref], known: Collection[str] | None) -> None:
    """Report codes that do not name a known thing. `known` is None when the file defining the things
    could not be read: its own problems are reported and the references are not second-guessed."""
    if known is None:
        return
    for ref in refs:
        if ref.value not in known:
            src.add(ref.line, f"未知的{what}代码“{ref.value}”")


def _check_numbering(src: _Source, what: str, numbers: Sequence[_Ref]) -> None:
    """Numbers must run 1, 2, 3 … in the order written."""
    for expected, ref in enumerate(numbers, start=1):
        if ref.value != str(expected):
            src.add(ref.line, f"{what}编号应为{expected}（按顺序从1连续编号），实际为{ref.value}")
            return


# ── the pack, file by file ─────────────────────────────────────────────────────────────────


class _PackReader:
    """Reads the YAML of each file of one pack, collecting problems as it goes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[PackProblem] = []
        self.roots: dict[str, _Map | None] = {}
        self.sources: dict[str, _Source] = {}

    # Each file -------------------------------------------------------------------------

    def parse_file(self, name: str) -> _Map | None:
        src = _Source(name, self.problems)
        self.sources[name] = src
        file = self.path / name
        if not file.is_file():
            src.add(0, "缺少文件")
            return None
        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            src.add(0, f"文件不是 UTF-8 编码：{error.reason}")
            return None
        loader = _make_loader(text)
        try:
            data = loader.get_single_data()
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 0
            detail = getattr(error, "problem", None) or str(error)
            src.add(line, f"YAML 语法错误：{detail}")
            return None
        finally:
            loader.dispose()
        for line, message in loader.key_problems:
            src.add(line, message)
        if data is None:
            src.add(0, "文件为空")
            return None
        if not isinstance(data, _Map):
            src.add(getattr(data, "line", 1), f"文件顶层应为映射（键: 值），实际为{_describe(data)}")
            return None
        return data

    def root(self, name: str) -> tuple[_Source, _Map | None]:
        return self.sources[name], self.roots[name]


def _read_pack(path: Path, industry_classes: Collection[str] | None) -> tuple[PolicyPack | None, list[PackProblem]]:
    if industry_classes is None:
        industry_classes = load_industry_classes()
    reader = _PackReader(path)
    if not path.is_dir():
        reader.problems.append(PackProblem(str(path), 0, "政策包目录不存在"))
        return None, reader.problems
    for name in PACK_FILES:
        reader.roots[name] = reader.parse_file(name)

    head = _read_head(*reader.root("pack.yaml"))
    units = _read_units(*reader.root("units.yaml"))
    unit_codes = _codes(units, reader.roots["units.yaml"])
    park_types, park_type_lines = _read_park_types(*reader.root("park_types.yaml"))
    type_codes = _codes(park_types, reader.roots["park_types.yaml"])
    chains, chain_notes, advantages = _read_chains(*reader.root("chains.yaml"), industry_classes)
    class_sets, indicators = _read_indicators(*reader.root("indicators.yaml"), industry_classes, type_codes)
    reporting = _read_reporting(*reader.root("indicators.yaml"), indicators)
    targets, status_rules = _read_targets(*reader.root("targets.yaml"), unit_codes, type_codes)
    target_codes = _codes(targets, reader.roots["targets.yaml"])
    if reader.roots["indicators.yaml"] is not None and reader.roots["targets.yaml"] is not None:
        _check_targets_against_indicators(*reader.root("targets.yaml"), targets, indicators)
    groups, tasks, safeguards, report_due_days = _read_tasks(*reader.root("tasks.yaml"), unit_codes, target_codes)
    casework = _read_casework(*reader.root("casework.yaml"), units)
    if reader.roots["park_types.yaml"] is not None and reader.roots["targets.yaml"] is not None:
        _check_park_types_against_targets(reader.sources["park_types.yaml"], park_types, park_type_lines, targets)

    order = {name: index for index, name in enumerate(PACK_FILES)}
    problems = sorted(reader.problems, key=lambda p: (order.get(p.file, -1), p.line))
    if problems or head is None or status_rules is None or casework is None:
        return None, problems
    return (
        PolicyPack(
            code=head.code,
            name=head.name,
            short_name=head.short_name,
            version=head.version,
            status=head.status,
            region=head.region,
            region_code=head.region_code,
            source=head.source,
            baseline_year=head.baseline_year,
            period_start=head.period_start,
            period_end=head.period_end,
            notes=head.notes,
            units=units,
            park_types=park_types,
            chains=chains,
            chain_notes=chain_notes,
            advantage_industries=advantages,
            task_groups=groups,
            tasks=tasks,
            safeguards=safeguards,
            report_due_days=report_due_days,
            targets=targets,
            status_rules=status_rules,
            casework=casework,
            class_sets=class_sets,
            indicators=indicators,
            reporting=reporting,
            content_hash=pack_hash(path),
        ),
        [],
    )


def _codes(items: Sequence[Unit | ParkType | Target], root: _Map | None) -> frozenset[str] | None:
    """The codes a file defines, or None when the file could not be read at all."""
    return None if root is None else frozenset(item.code for item in items)


@dataclass(frozen=True, slots=True)
class _Head:
    code: str
    name: str
    short_name: str | None
    version: str
    status: str
    region: str | None
    region_code: str | None
    source: PackSource
    baseline_year: int
    period_start: date
    period_end: date
    notes: tuple[str, ...]


def _read_head(src: _Source, root: _Map | None) -> _Head | None:
    if root is None:
        return None
    obj = _Obj(
        src,
        root,
        "",
        ("code", "name", "version", "status", "source", "baseline_year", "period_start", "period_end"),
        ("short_name", "region", "region_code", "notes"),
    )
    source_map = obj.mapping("source")
    source = PackSource("", "", None)
    if source_map is not None:
        source_obj = _Obj(src, source_map, "来源", ("title", "document"), ("validity",))
        source = PackSource(source_obj.text("title"), source_obj.text("document"), source_obj.opt_text("validity"))
    region_code = obj.opt_text("region_code")
    if region_code and not _REGION_CODE_RE.match(region_code):
        obj.error("region_code", f"应为6位行政区划代码，实际为“{region_code}”")
    start, end = obj.day("period_start"), obj.day("period_end")
    if start != date.min and end != date.min and end <= start:
        obj.error("period_end", f"应晚于开始日期 {start.isoformat()}")
    return _Head(
        code=obj.code(),
        name=obj.text("name"),
        short_name=obj.opt_text("short_name"),
        version=obj.text("version"),
        status=obj.text("status"),
        region=obj.opt_text("region"),
        region_code=region_code,
        source=source,
        baseline_year=obj.integer("baseline_year", minimum=2000),
        period_start=start,
        period_end=end,
        notes=obj.texts("notes"),
    )


def _choice(obj: _Obj, key: str, allowed: Sequence[str], what: str) -> str:
    value = obj.text(key)
    if value and value not in allowed:
        obj.error(key, f"的{what}“{value}”无效，应为：{'、'.join(allowed)}")
    return value


def _read_units(src: _Source, root: _Map | None) -> tuple[Unit, ...]:
    if root is None:
        return ()
    top = _Obj(src, root, "", ("units",), ("notes",))
    top.texts("notes")
    units: list[Unit] = []
    code_refs: list[_Ref] = []
    name_refs: list[_Ref] = []
    alias_refs: list[_Ref] = []
    member_refs: list[tuple[_Obj, _Ref]] = []
    for data in top.objects("units"):
        label = f"责任单位“{data.get('code', '?')}”"
        obj = _Obj(
            src,
            data,
            label,
            ("code", "name", "kind"),
            ("full_name", "aliases", "members", "expands_to", "note"),
        )
        kind = _choice(obj, "kind", UNIT_KINDS, "类型")
        aliases = obj.refs("aliases", codes=False)
        members = obj.refs("members")
        expands_to = obj.refs("expands_to")
        for ref in expands_to:
            if ref.value not in EXPANSION_KINDS:
                src.add(ref.line, f"{label}：展开类型“{ref.value}”无效，应为：{'、'.join(EXPANSION_KINDS)}")
        if kind == "group" and not members:
            obj.error("members" if "members" in data else "kind", "：类型为 group 的单位必须列出成员单位 members")
        if kind != "group" and "members" in data:
            obj.error("members", "只能用于类型为 group 的单位")
        if expands_to and kind not in ("district_government", "zone_committee"):
            obj.error("expands_to", "只能用于区人民政府或开发区管委会")
        unit = Unit(
            code=obj.code(),
            name=obj.text("name"),
            kind=kind,
            full_name=obj.opt_text("full_name"),
            aliases=tuple(ref.value for ref in aliases),
            members=tuple(ref.value for ref in members),
            expands_to=tuple(ref.value for ref in expands_to),
            note=obj.opt_text("note"),
        )
        units.append(unit)
        code_refs.append(_Ref(unit.code, obj.line("code")))
        name_refs.append(_Ref(unit.name, obj.line("name")))
        alias_refs.extend(aliases)
        member_refs.extend((obj, ref) for ref in members)
    _check_unique(src, "责任单位", code_refs)
    _check_unique(src, "责任单位名称", name_refs)
    _check_unique(src, "责任单位简称", alias_refs)
    kinds = {unit.code: unit.kind for unit in units}
    for obj, ref in member_refs:
        if ref.value not in kinds:
            src.add(ref.line, f"{obj.prefix}未知的成员单位代码“{ref.value}”")
        elif kinds[ref.value] == "group":
            src.add(ref.line, f"{obj.prefix}成员“{ref.value}”本身是单位集合，不能嵌套")
    return tuple(units)


def _read_park_types(src: _Source, root: _Map | None) -> tuple[tuple[ParkType, ...], dict[str, dict[str, int]]]:
    """The park types, and the line of each key of each type (for the check against targets.yaml)."""
    if root is None:
        return (), {}
    top = _Obj(src, root, "", ("park_types",), ("notes",))
    top.texts("notes")
    result: list[ParkType] = []
    code_refs: list[_Ref] = []
    key_lines: dict[str, dict[str, int]] = {}
    for data in top.objects("park_types"):
        label = f"园区类型“{data.get('code', '?')}”"
        obj = _Obj(
            src,
            data,
            label,
            (
                "code",
                "name",
                "target_count",
                "lead_share_comparison",
                "lead_share_target",
                "award_cap_wan_yuan",
                "positioning",
                "built_on",
                "description",
                "entry_conditions",
            ),
        )
        share = obj.number("lead_share_target")
        if "lead_share_target" in data and not 0 < share <= 100:
            obj.error("lead_share_target", f"应为0到100之间的百分数，实际为{share:g}")
        conditions: list[EntryCondition] = []
        condition_refs: list[_Ref] = []
        for cond_data in obj.objects("entry_conditions"):
            cond = _Obj(
                src,
                cond_data,
                f"{label}的准入条件“{cond_data.get('code', '?')}”",
                ("code", "text", "reference"),
                ("indicator", "comparison", "value", "unit", "source"),
            )
            comparison = cond.opt_text("comparison")
            if comparison is not None and comparison not in COMPARISONS:
                cond.error("comparison", f"的比较方式“{comparison}”无效，应为：{'、'.join(COMPARISONS)}")
            if ("comparison" in cond_data) != ("value" in cond_data):
                missing = "value" if "comparison" in cond_data else "comparison"
                cond.error(missing, "缺失：comparison 与 value 须同时给出")
            condition = EntryCondition(
                code=cond.code(),
                text=cond.text("text"),
                indicator=cond.opt_text("indicator"),
                comparison=comparison,
                value=cond.opt_number("value"),
                unit=cond.opt_text("unit"),
                reference=cond.boolean("reference"),
                source=cond.opt_text("source"),
            )
            conditions.append(condition)
            condition_refs.append(_Ref(condition.code, cond.line("code")))
        _check_unique(src, f"{label}的准入条件", condition_refs)
        code_refs.append(_Ref(obj.code(), obj.line("code")))
        key_lines.setdefault(code_refs[-1].value, data.key_lines)
        result.append(
            ParkType(
                code=code_refs[-1].value,
                name=obj.text("name"),
                target_count=obj.integer("target_count", minimum=1),
                lead_share_comparison=_choice(obj, "lead_share_comparison", ("gt", "ge"), "比较方式"),
                lead_share_target=share,
                award_cap_wan_yuan=obj.integer("award_cap_wan_yuan", minimum=1),
                positioning=obj.text("positioning"),
                built_on=obj.text("built_on"),
                description=obj.text("description"),
                entry_conditions=tuple(conditions),
            )
        )
    _check_unique(src, "园区类型", code_refs)
    return tuple(result), key_lines


def _read_chains(
    src: _Source, root: _Map | None, industry_classes: Collection[str]
) -> tuple[tuple[Chain, ...], tuple[str, ...], tuple[AdvantageIndustry, ...]]:
    if root is None:
        return (), (), ()
    top = _Obj(src, root, "", ("chains",), ("notes", "advantage_industries"))
    notes = top.texts("notes")
    chains: list[Chain] = []
    chain_refs: list[_Ref] = []
    for data in top.objects("chains"):
        label = f"产业链“{data.get('code', '?')}”"
        obj = _Obj(src, data, label, ("code", "name", "kind", "illustrative", "nodes"))
        nodes: list[ChainNode] = []
        node_refs: list[_Ref] = []
        class_lines: dict[str, int] = {}
        for node_data in obj.objects("nodes"):
            node_label = f"{label}的节点“{node_data.get('code', '?')}”"
            node = _Obj(src, node_data, node_label, ("code", "name", "stage", "industry_classes"))
            classes = node.refs("industry_classes", codes=False)
            if _is_empty_list(node_data, "industry_classes"):
                node.error("industry_classes", "至少应有一个行业小类")
            for ref in classes:
                if not _CLASS_RE.match(ref.value):
                    src.add(
                        ref.line,
                        f"{node_label}：行业代码“{ref.value}”格式无效，应为门类字母加4位数字（如 C3976）",
                    )
                elif ref.value not in industry_classes:
                    src.add(ref.line, f"{node_label}：“{ref.value}”不是 GB/T 4754-2017 的小类代码")
                elif ref.value in class_lines:
                    src.add(
                        ref.line,
                        f"{node_label}：行业小类“{ref.value}”在本产业链中重复（第{class_lines[ref.value]}行已归入其他节点）",
                    )
                else:
                    class_lines[ref.value] = ref.line
            code = node.code()
            node_refs.append(_Ref(code, node.line("code")))
            nodes.append(
                ChainNode(
                    code=code,
                    name=node.text("name"),
                    stage=_choice(node, "stage", STAGES, "环节"),
                    industry_classes=tuple(ref.value for ref in classes),
                )
            )
        if _is_empty_list(data, "nodes"):
            obj.error("nodes", "至少应有一个节点")
        _check_unique(src, f"{label}的节点", node_refs)
        code = obj.code()
        chain_refs.append(_Ref(code, obj.line("code")))
        chains.append(
            Chain(
                code=code,
                name=obj.text("name"),
                kind=_choice(obj, "kind", CHAIN_KINDS, "类型"),
                illustrative=obj.boolean("illustrative"),
                nodes=tuple(nodes),
            )
        )
    _check_unique(src, "产业链", chain_refs)
    chain_codes = frozenset(chain.code for chain in chains)

    advantages: list[AdvantageIndustry] = []
    advantage_refs: list[_Ref] = []
    for data in top.objects("advantage_industries"):
        obj = _Obj(
            src,
            data,
            f"优势产业“{data.get('code', '?')}”",
            ("code", "name", "target_scale_yi_yuan", "target_year", "chains"),
        )
        scale = obj.number("target_scale_yi_yuan")
        if "target_scale_yi_yuan" in data and scale <= 0:
            obj.error("target_scale_yi_yuan", f"应大于0，实际为{scale:g}")
        refs = obj.refs("chains")
        _check_refs(src, "产业链", refs, chain_codes)
        code = obj.code()
        advantage_refs.append(_Ref(code, obj.line("code")))
        advantages.append(
            AdvantageIndustry(
                code=code,
                name=obj.text("name"),
                target_scale_yi_yuan=scale,
                target_year=obj.integer("target_year", minimum=2000),
                chains=tuple(ref.value for ref in refs),
            )
        )
    _check_unique(src, "优势产业", advantage_refs)
    return tuple(chains), notes, tuple(advantages)


def _read_status_rules(src: _Source, data: _Map) -> StatusRules:
    top = _Obj(src, data, "进度状态规则", ("description", "rules"))
    rules: list[StatusRule] = []
    code_refs: list[_Ref] = []
    last_threshold: float | None = None
    for rule_data in top.objects("rules"):
        obj = _Obj(
            src,
            rule_data,
            f"进度状态“{rule_data.get('code', '?')}”",
            ("code", "name", "when", "description"),
            ("threshold",),
        )
        when = _choice(obj, "when", STATUS_WHEN, "判定方式")
        threshold = obj.opt_number("threshold")
        if when == "ratio_ge":
            if threshold is None:
                obj.error("when", "为 ratio_ge 时必须给出 threshold")
            elif threshold <= 0:
                obj.error("threshold", f"应大于0，实际为{threshold:g}")
            elif last_threshold is not None and threshold >= last_threshold:
                obj.error("threshold", f"应小于上一条规则的阈值{last_threshold:g}（规则自上而下由严到宽）")
            if threshold is not None:
                last_threshold = threshold
        elif threshold is not None:
            obj.error("threshold", "只用于判定方式 ratio_ge")
        code = obj.code()
        code_refs.append(_Ref(code, obj.line("code")))
        rules.append(StatusRule(code, obj.text("name"), when, threshold, obj.text("description")))
    _check_unique(src, "进度状态", code_refs)
    whens = [rule.when for rule in rules]
    if rules and whens.count("met") != 1:
        top.error("rules", "中应恰有一条判定方式为 met（已达标）的规则")
    if rules and (whens.count("otherwise") != 1 or whens[-1] != "otherwise"):
        top.error("rules", "的最后一条（且仅最后一条）判定方式应为 otherwise")
    return StatusRules(top.text("description"), tuple(rules))


def _read_targets(
    src: _Source,
    root: _Map | None,
    unit_codes: frozenset[str] | None,
    type_codes: frozenset[str] | None,
) -> tuple[tuple[Target, ...], StatusRules | None]:
    if root is None:
        return (), None
    top = _Obj(src, root, "", ("status_rules", "targets"), ("notes",))
    top.texts("notes")
    rules_data = top.mapping("status_rules")
    status_rules = _read_status_rules(src, rules_data) if rules_data is not None else None
    scopes = None if type_codes is None else type_codes | {CITY_SCOPE}
    targets: list[Target] = []
    code_refs: list[_Ref] = []
    for data in top.objects("targets"):
        obj = _Obj(
            src,
            data,
            f"目标“{data.get('code', '?')}”",
            (
                "code",
                "name",
                "kind",
                "indicator",
                "comparison",
                "value",
                "unit",
                "scope",
                "baseline_year",
                "deadline",
                "units",
                "source",
            ),
            ("name_en", "note"),
        )
        kind = _choice(obj, "kind", TARGET_KINDS, "类型")
        comparison = _choice(obj, "comparison", COMPARISONS, "比较方式")
        value = obj.number("value")
        unit = obj.text("unit")
        if "value" in data and value < 0:
            obj.error("value", f"不能为负数，实际为{value:g}")
        if unit in (PERCENT, GROWTH_UNIT) and value > 100:
            obj.error("value", f"为百分数，不应超过100，实际为{value:g}")
        if comparison == "growth_ge" and unit and unit != GROWTH_UNIT:
            obj.error("unit", f"年均增长类目标（growth_ge）的单位应为“{GROWTH_UNIT}”，实际为“{unit}”")
        if comparison == "growth_ge" and kind == "constraint":
            obj.error("comparison", "年均增长（growth_ge）只用于 goal 类目标")
        scope = obj.text("scope")
        if scope and scopes is not None and scope not in scopes:
            allowed = "、".join(sorted(scopes - {CITY_SCOPE}))
            obj.error("scope", f"的范围“{scope}”无效，应为 city 或园区类型代码：{allowed}")
        baseline_year = obj.integer("baseline_year", minimum=2000)
        deadline = obj.day("deadline")
        if deadline != date.min and baseline_year and deadline.year <= baseline_year:
            obj.error("deadline", f"应晚于基期年份{baseline_year}")
        units = obj.refs("units")
        if _is_empty_list(data, "units"):
            obj.error("units", "至少应有一个责任单位")
        _check_refs(src, "责任单位", units, unit_codes)
        code = obj.code()
        code_refs.append(_Ref(code, obj.line("code")))
        targets.append(
            Target(
                code=code,
                name=obj.text("name"),
                kind=kind,
                indicator=obj.code("indicator"),
                comparison=comparison,
                value=value,
                unit=unit,
                scope=scope,
                baseline_year=baseline_year,
                deadline=deadline,
                units=tuple(ref.value for ref in units),
                source=obj.text("source"),
                note=obj.opt_text("note"),
                name_en=obj.english("name_en"),
            )
        )
    _check_unique(src, "目标", code_refs)
    return tuple(targets), status_rules


def _read_task_list(
    src: _Source,
    top: _Obj,
    key: str,
    kind: str,
    group_codes: frozenset[str] | None,
    unit_codes: frozenset[str] | None,
    target_codes: frozenset[str] | None,
) -> tuple[list[Task], list[_Ref]]:
    word = "重点任务" if kind == "task" else "保障措施"
    tasks: list[Task] = []
    code_refs: list[_Ref] = []
    numbers: list[_Ref] = []
    for data in top.objects(key):
        required = ["code", "number", "title", "summary", "lead_units", "co_units", "units_text"]
        if kind == "task":
            required.append("group")
        obj = _Obj(src, data, f"{word}“{data.get('code', '?')}”", required, ("title_en", "targets"))
        number = obj.integer("number", minimum=1)
        numbers.append(_Ref(str(number), obj.line("number")))
        group: str | None = None
        if kind == "task":
            group = obj.text("group")
            if group and group_codes is not None and group not in group_codes:
                obj.error("group", f"的分组“{group}”未在 groups 中定义")
        lead = obj.refs("lead_units")
        co = obj.refs("co_units")
        if _is_empty_list(data, "lead_units"):
            obj.error("lead_units", "至少应有一个责任单位")
        _check_refs(src, "责任单位", lead, unit_codes)
        _check_refs(src, "责任单位", co, unit_codes)
        lead_codes = {ref.value for ref in lead}
        for ref in co:
            if ref.value in lead_codes:
                src.add(ref.line, f"{obj.prefix}单位“{ref.value}”同时列在 lead_units 和 co_units 中")
        targets = obj.refs("targets")
        _check_refs(src, "目标", targets, target_codes)
        code = obj.code()
        code_refs.append(_Ref(code, obj.line("code")))
        tasks.append(
            Task(
                code=code,
                kind=kind,
                number=number,
                group=group,
                title=obj.text("title"),
                summary=obj.text("summary"),
                lead_units=tuple(ref.value for ref in lead),
                co_units=tuple(ref.value for ref in co),
                units_text=obj.text("units_text"),
                targets=tuple(ref.value for ref in targets),
                title_en=obj.english("title_en"),
            )
        )
    _check_numbering(src, word, numbers)
    return tasks, code_refs


def _read_tasks(
    src: _Source,
    root: _Map | None,
    unit_codes: frozenset[str] | None,
    target_codes: frozenset[str] | None,
) -> tuple[tuple[TaskGroup, ...], tuple[Task, ...], tuple[Task, ...], int]:
    if root is None:
        return (), (), (), DEFAULT_REPORT_DUE_DAYS
    top = _Obj(src, root, "", ("groups", "tasks", "safeguards"), ("notes", "reporting"))
    top.texts("notes")
    due_days = DEFAULT_REPORT_DUE_DAYS
    reporting = top.mapping("reporting")
    if reporting is not None:
        obj = _Obj(src, reporting, "进度报送规则", ("due_days",), ("note",))
        obj.opt_text("note")
        due_days = obj.integer("due_days", minimum=0)
        if due_days > MAX_REPORT_DUE_DAYS:
            obj.error("due_days", f"应不大于{MAX_REPORT_DUE_DAYS}（一个季度内），实际为{due_days}")
    groups: list[TaskGroup] = []
    group_refs: list[_Ref] = []
    group_numbers: list[_Ref] = []
    for data in top.objects("groups"):
        obj = _Obj(src, data, f"任务分组“{data.get('code', '?')}”", ("code", "number", "title"), ("title_en",))
        number = obj.integer("number", minimum=1)
        group_numbers.append(_Ref(str(number), obj.line("number")))
        code = obj.code()
        group_refs.append(_Ref(code, obj.line("code")))
        groups.append(TaskGroup(code, number, obj.text("title"), obj.english("title_en")))
    _check_unique(src, "任务分组", group_refs)
    _check_numbering(src, "任务分组", group_numbers)
    group_codes = frozenset(group.code for group in groups)
    tasks, task_refs = _read_task_list(src, top, "tasks", "task", group_codes, unit_codes, target_codes)
    safeguards, safeguard_refs = _read_task_list(
        src, top, "safeguards", "safeguard", group_codes, unit_codes, target_codes
    )
    # Tasks and safeguards share one code space: supervision records point at either.
    _check_unique(src, "任务", [*task_refs, *safeguard_refs])
    return tuple(groups), tuple(tasks), tuple(safeguards), due_days


def _read_question(src: _Source, data: _Map, label: str) -> Question:
    obj = _Obj(
        src,
        data,
        f"{label}的问题“{data.get('code', '?')}”",
        ("code", "label", "type", "required"),
        ("choices",),
    )
    kind = _choice(obj, "type", QUESTION_TYPES, "题型")
    choices = obj.refs("choices", codes=False)
    if kind == "choice" and len(choices) < 2 and "choices" not in data:
        obj.error("type", "为 choice 时必须给出 choices（至少两个选项）")
    elif kind == "choice" and len(choices) < 2 and isinstance(data["choices"], _Seq):
        obj.error("choices", f"至少应有两个选项，实际为{len(choices)}个")
    if kind in ("text", "number") and "choices" in data:
        obj.error("choices", f"只用于题型 choice，本题题型为 {kind}")
    return Question(
        code=obj.code(),
        label=obj.text("label"),
        type=kind,
        choices=tuple(ref.value for ref in choices),
        required=obj.boolean("required"),
    )


def _read_casework(src: _Source, root: _Map | None, units: Sequence[Unit]) -> CaseworkConfig | None:
    if root is None:
        return None
    top = _Obj(
        src,
        root,
        "",
        ("response_limit_days", "notice_limit_days", "categories", "satisfaction_levels", "follow_up"),
        ("notes",),
    )
    top.texts("notes")
    unit_kinds = {unit.code: unit.kind for unit in units}
    categories: list[CaseCategory] = []
    category_refs: list[_Ref] = []
    for data in top.objects("categories"):
        label = f"诉求类别“{data.get('code', '?')}”"
        obj = _Obj(
            src,
            data,
            label,
            ("code", "name", "kind", "time_limit_days", "default_unit", "materials", "questions"),
            ("name_en", "description"),
        )
        default_unit = obj.code("default_unit")
        if default_unit and units and default_unit not in unit_kinds:
            obj.error("default_unit", f"为未知的责任单位代码“{default_unit}”")
        elif unit_kinds.get(default_unit) == "group":
            obj.error("default_unit", f"“{default_unit}”是单位集合，默认责任单位应为具体单位")
        questions: list[Question] = []
        question_refs: list[_Ref] = []
        for question_data in obj.objects("questions"):
            question = _read_question(src, question_data, label)
            questions.append(question)
            question_refs.append(_Ref(question.code, question_data.key_lines.get("code", question_data.line)))
        _check_unique(src, f"{label}的问题", question_refs)
        code = obj.code()
        category_refs.append(_Ref(code, obj.line("code")))
        categories.append(
            CaseCategory(
                code=code,
                name=obj.text("name"),
                kind=_choice(obj, "kind", CASE_KINDS, "类型"),
                time_limit_days=obj.integer("time_limit_days", minimum=1),
                default_unit=default_unit,
                description=obj.opt_text("description") or "",
                materials=obj.texts("materials"),
                questions=tuple(questions),
                name_en=obj.english("name_en"),
            )
        )
    _check_unique(src, "诉求类别", category_refs)

    levels: list[SatisfactionLevel] = []
    level_refs: list[_Ref] = []
    score_refs: list[_Ref] = []
    level_data = top.objects("satisfaction_levels")
    for data in level_data:
        obj = _Obj(
            src,
            data,
            f"满意度等级“{data.get('code', '?')}”",
            ("code", "name", "score", "counts_as_satisfied"),
        )
        code = obj.code()
        level_refs.append(_Ref(code, obj.line("code")))
        score = obj.integer("score", minimum=1)
        score_refs.append(_Ref(str(score), obj.line("score")))
        levels.append(SatisfactionLevel(code, obj.text("name"), score, obj.boolean("counts_as_satisfied")))
    _check_unique(src, "满意度等级", level_refs)
    _check_unique(src, "满意度分值", score_refs)
    level_seq = root.get("satisfaction_levels")
    if isinstance(level_seq, _Seq) and len(level_seq) != SATISFACTION_LEVEL_COUNT:
        top.error(
            "satisfaction_levels",
            f"应有{SATISFACTION_LEVEL_COUNT}个等级（非常满意……非常不满意），实际为{len(level_seq)}个",
        )

    follow_up = FollowUpRule((), 0, False, "")
    follow_data = top.mapping("follow_up")
    if follow_data is not None:
        obj = _Obj(src, follow_data, "差评回访规则", ("levels", "time_limit_days", "appeal_allowed", "description"))
        refs = obj.refs("levels")
        _check_refs(src, "满意度等级", refs, frozenset(level.code for level in levels))
        follow_up = FollowUpRule(
            levels=tuple(ref.value for ref in refs),
            time_limit_days=obj.integer("time_limit_days", minimum=1),
            appeal_allowed=obj.boolean("appeal_allowed"),
            description=obj.text("description"),
        )
    return CaseworkConfig(
        response_limit_days=top.integer("response_limit_days", minimum=1),
        notice_limit_days=top.integer("notice_limit_days", minimum=1),
        categories=tuple(categories),
        satisfaction_levels=tuple(levels),
        follow_up=follow_up,
    )


def _check_park_types_against_targets(
    src: _Source,
    park_types: Sequence[ParkType],
    key_lines: dict[str, dict[str, int]],
    targets: Sequence[Target],
) -> None:
    """park_types.yaml repeats three numbers of targets.yaml (so that each file reads whole); when both
    state a number they must agree. The targets are found by indicator and scope: `park_count_<type>`
    for the city, `lead_industry_share` and `famous_park_award` for the type. Reported on the
    park-type file, which is the copy."""
    by_key = {(target.indicator, target.scope): target for target in targets}
    for park_type in park_types:
        pairs = (
            (f"park_count_{park_type.code}", CITY_SCOPE, "target_count", "ge", float(park_type.target_count)),
            (
                "lead_industry_share",
                park_type.code,
                "lead_share_target",
                park_type.lead_share_comparison,
                park_type.lead_share_target,
            ),
            (
                "famous_park_award",
                park_type.code,
                "award_cap_wan_yuan",
                "le",
                float(park_type.award_cap_wan_yuan),
            ),
        )
        for indicator, scope, key, comparison, value in pairs:
            target = by_key.get((indicator, scope))
            if target is None:
                continue
            if target.value != value or target.comparison != comparison:
                src.add(
                    key_lines.get(park_type.code, {}).get(key, 0),
                    f"园区类型“{park_type.code}”的 {key}（{comparison} {value:g}）与 targets.yaml 中目标"
                    f"“{target.code}”（{target.comparison} {target.value:g}）不一致",
                )


# ── indicator catalogue (indicators.yaml) ──────────────────────────────────────────────────

# Where a term's rows come from. Enterprise sources: `annual` (all firms' annual data), `monthly` (规上
# monthly reports, 1–本月累计), `enterprises` (the registry, for counts under labels); `land` (parcels);
# `park_annual` (park-level annual inputs); `parks` (the registry's parks); `indicator` (the park
# values of another indicator, e.g. parks whose revenue is at least 100亿元).
INDICATOR_SOURCES = ("annual", "monthly", "enterprises", "land", "park_annual", "parks", "indicator")
ENTERPRISE_SOURCES = frozenset({"annual", "monthly", "enterprises"})
# An indicator whose values are entered by the city (no formula), until a module computes it.
REPORTED = "reported"
INDICATOR_LEVELS = ("enterprise", "park", "district", "city")
DIRECTIONS = ("higher", "lower")
# parks: district and city values count enterprises (land) inside parks only (园区口径);
# city: they count every enterprise (parcel) of the district or city (全市口径).
COVERAGES = ("parks", "city")
VALUE_OPS = ("gt", "ge", "lt", "le", "eq", "ne")
# Mirrors of registry.models choices (this module imports no Django); an indicators test keeps them equal.
LABEL_KINDS = (
    "above_scale",
    "high_tech",
    "srdi",
    "single_champion",
    "gazelle",
    "unicorn",
    "chain_leader",
    "listed",
    "top500",
    "green_factory",
    "digital",
)
LABEL_LEVELS = ("national", "provincial", "municipal")
LAND_USES = ("M1", "M2", "M3", "M0", "W", "other")
GREEN_LEVELS = ("provincial", "national")
UNCLASSIFIED_PARK_TYPE = "unclassified"

_MEASURE_UNITS: dict[str, dict[str, str]] = {
    "annual": {m.code: m.unit for m in (*ENTERPRISE_MEASURES, *ANNUAL_EXTRA_MEASURES)},
    "monthly": {m.code: m.unit for m in ENTERPRISE_MEASURES},
    "enterprises": {},
    "land": {"area_mu": "亩"},
    "park_annual": {m.code: m.unit for m in PARK_MEASURES},
    "parks": {"planned_area_km2": "平方公里"},
    "indicator": {},
}
# What `count` counts in each source, and the unit of the count.
SOURCE_COUNTS = {
    "annual": "enterprises",
    "monthly": "enterprises",
    "enterprises": "enterprises",
    "land": "parcels",
    "park_annual": "parks",
    "parks": "parks",
    "indicator": "parks",
}
COUNT_UNITS = {"enterprises": "家", "parcels": "块", "parks": "个"}
_PREFIX_RE = re.compile(r"[A-T](\d{2}(\d{1,2})?)?\Z")


def source_measures(source: str) -> dict[str, str]:
    """The measures a source carries, code → unit."""
    return dict(_MEASURE_UNITS.get(source, {}))


# Units: each is a dimension (a product of base dimensions with exponents) and a scale to the base
# unit of that dimension: money in 万元, area in 亩, energy in 吨标准煤, people, counts.
_UNIT_TABLE: dict[str, tuple[str | None, Decimal]] = {
    "万元": ("money", Decimal(1)),
    "亿元": ("money", Decimal(10000)),
    "元": ("money", Decimal("0.0001")),
    "亩": ("area", Decimal(1)),
    "平方公里": ("area", Decimal(1500)),  # 1 km² = 1500 亩
    "吨标准煤": ("energy", Decimal(1)),
    "人": ("person", Decimal(1)),
    "家": ("count", Decimal(1)),
    "个": ("count", Decimal(1)),
    "块": ("count", Decimal(1)),
    "起": ("count", Decimal(1)),
    "种": ("count", Decimal(1)),
    "%": (None, Decimal("0.01")),
}
_BASE_NAMES = {"money": "万元", "area": "亩", "energy": "吨标准煤", "person": "人", "count": "个"}


@dataclass(frozen=True, slots=True)
class Dimension:
    """A unit as base dimensions with exponents, and its size in base units (1 亿元 = 10000 万元)."""

    dims: tuple[tuple[str, int], ...]
    scale: Decimal

    @staticmethod
    def _combine(left: tuple[tuple[str, int], ...], right: tuple[tuple[str, int], ...], sign: int) -> Any:
        merged: dict[str, int] = dict(left)
        for name, power in right:
            merged[name] = merged.get(name, 0) + sign * power
        return tuple(sorted((name, power) for name, power in merged.items() if power))

    def __mul__(self, other: Dimension) -> Dimension:
        return Dimension(self._combine(self.dims, other.dims, 1), self.scale * other.scale)

    def __truediv__(self, other: Dimension) -> Dimension:
        return Dimension(self._combine(self.dims, other.dims, -1), self.scale / other.scale)

    def same_kind(self, other: Dimension) -> bool:
        return self.dims == other.dims

    def describe(self) -> str:
        """The dimension in base units, e.g. 万元/亩; 无量纲 for a pure number."""
        top = "·".join(
            _BASE_NAMES[name] + ("" if power == 1 else f"^{power}") for name, power in self.dims if power > 0
        )
        bottom = "·".join(
            _BASE_NAMES[name] + ("" if power == -1 else f"^{-power}") for name, power in self.dims if power < 0
        )
        if not top and not bottom:
            return "无量纲"
        return f"{top or '1'}/{bottom}" if bottom else top


DIMENSIONLESS = Dimension((), Decimal(1))


def parse_unit(text: str) -> Dimension | None:
    """The dimension of a unit such as 万元, 平方公里, %, 万元/亩; None when it is not known."""
    text = text.strip()
    if text in _UNIT_TABLE:
        name, scale = _UNIT_TABLE[text]
        return Dimension(((name, 1),) if name else (), scale)
    if text.count("/") == 1:
        top, bottom = (parse_unit(part) for part in text.split("/"))
        if top is not None and bottom is not None and bottom.dims:
            return top / bottom
    return None


class FormulaError(ValueError):
    """A formula that cannot be read or whose units do not agree; the message is Chinese."""


_BINARY_OPS: dict[type[ast.operator], str] = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


def _to_tree(node: ast.AST, text: str) -> tuple[Any, ...]:
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY_OPS:
        return (_BINARY_OPS[type(node.op)], _to_tree(node.left, text), _to_tree(node.right, text))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _to_tree(node.operand, text)
        return ("neg", inner) if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return ("num", Decimal(str(node.value)))
    if isinstance(node, ast.Name):
        return ("term", node.id)
    snippet = ast.get_source_segment(text, node) or type(node).__name__
    raise FormulaError(f"不支持的写法“{snippet}”：只能使用项名、数字、+ - * / 和括号")


@dataclass(frozen=True, slots=True)
class Formula:
    """An arithmetic expression over term names, read once and evaluated many times."""

    text: str
    tree: tuple[Any, ...]

    @staticmethod
    def parse(text: str) -> Formula:
        try:
            parsed = ast.parse(text.strip(), mode="eval")
        except SyntaxError as error:
            raise FormulaError(f"公式语法错误：{error.msg}") from error
        return Formula(text.strip(), _to_tree(parsed.body, text.strip()))

    def names(self) -> tuple[str, ...]:
        """Term names in order of first appearance."""
        found: list[str] = []

        def walk(node: tuple[Any, ...]) -> None:
            if node[0] == "term":
                if node[1] not in found:
                    found.append(node[1])
            elif node[0] != "num":
                for child in node[1:]:
                    walk(child)

        walk(self.tree)
        return tuple(found)

    def dimension(self, terms: Mapping[str, Dimension]) -> Dimension:
        """The formula's unit from its terms' units; sums of unlike quantities raise FormulaError."""

        def walk(node: tuple[Any, ...]) -> Dimension:
            kind = node[0]
            if kind == "num":
                return DIMENSIONLESS
            if kind == "term":
                found = terms[node[1]]
                return Dimension(found.dims, Decimal(1))  # terms are converted to base units first
            if kind == "neg":
                return walk(node[1])
            left, right = walk(node[1]), walk(node[2])
            if kind in ("+", "-"):
                if not left.same_kind(right):
                    raise FormulaError(f"相加减的两项单位不一致：{left.describe()} 与 {right.describe()}")
                return left
            return left * right if kind == "*" else left / right

        return walk(self.tree)

    def evaluate(self, values: Mapping[str, Decimal]) -> Decimal | None:
        """The value for the given term values (in base units); None where a division by zero occurs."""

        def walk(node: tuple[Any, ...]) -> Decimal:
            kind = node[0]
            if kind == "num":
                return Decimal(node[1])
            if kind == "term":
                return values[node[1]]
            if kind == "neg":
                return -walk(node[1])
            left, right = walk(node[1]), walk(node[2])
            if kind == "+":
                return left + right
            if kind == "-":
                return left - right
            if kind == "*":
                return left * right
            if right == 0:
                raise DivisionByZero
            return left / right

        try:
            return walk(self.tree)
        except (DivisionByZero, InvalidOperation):
            return None


@dataclass(frozen=True, slots=True)
class ClassSet:
    """A named set of industry codes by GB/T 4754-2017 prefix (门类 letter, 大类, 中类 or 小类)."""

    code: str
    name: str
    prefixes: tuple[str, ...]
    note: str | None


@dataclass(frozen=True, slots=True)
class LabelCondition:
    """The enterprise holds a label of `kind` (at one of `levels`) valid at the period's end; with
    `new_since`, the label started on or after that day and no label of the kind was valid the day
    before it (a new entry, e.g. 新增规上)."""

    kind: str
    levels: tuple[str, ...]
    new_since: date | None


@dataclass(frozen=True, slots=True)
class ValueCondition:
    """A condition on a measure of the same row (or on an indicator's value), in that field's unit."""

    field: str
    op: str
    value: Decimal


@dataclass(frozen=True, slots=True)
class TermFilter:
    labels: tuple[LabelCondition, ...] = ()
    class_set: str | None = None
    industry_prefixes: tuple[str, ...] = ()
    high_tech: bool | None = None
    lead_chains: bool | None = None
    park_types: tuple[str, ...] = ()
    recognised: bool | None = None
    smart_platform: bool | None = None
    green_levels: tuple[str, ...] = ()
    in_park: bool | None = None
    land_uses: tuple[str, ...] = ()
    values: tuple[ValueCondition, ...] = ()


@dataclass(frozen=True, slots=True)
class Term:
    """One aggregate of a source: the sum of a measure or the count of rows, under a filter. `key`
    identifies the same aggregate across indicators, so that the engine computes it once."""

    name: str
    source: str
    aggregate: str  # sum / count
    measure: str | None
    indicator: str | None
    where: TermFilter
    unit: str
    key: str


@dataclass(frozen=True, slots=True)
class Indicator:
    code: str
    name: str
    name_en: str
    unit: str
    level: str
    direction: str
    coverage: str
    source: str  # "computed" or "reported"
    formula: Formula | None
    terms: tuple[Term, ...]
    standard: str
    note: str | None

    @property
    def reported(self) -> bool:
        return self.source == REPORTED

    @property
    def sources(self) -> frozenset[str]:
        return frozenset(term.source for term in self.terms)

    @property
    def depends_on(self) -> tuple[str, ...]:
        return tuple(term.indicator for term in self.terms if term.indicator)

    @property
    def dimension(self) -> Dimension:
        found = parse_unit(self.unit)
        assert found is not None  # the loader refuses unknown units
        return found

    def evaluate(self, term_values: Mapping[str, Decimal]) -> Decimal | None:
        """The indicator's value from its terms' values (each in its term's unit), in `unit`."""
        if self.formula is None:
            return None
        base = {}
        for term in self.terms:
            dimension = parse_unit(term.unit)
            assert dimension is not None
            base[term.name] = term_values.get(term.name, Decimal(0)) * dimension.scale
        value = self.formula.evaluate(base)
        return None if value is None else value / self.dimension.scale


def _term_key(source: str, aggregate: str, measure: str | None, indicator: str | None, where: TermFilter) -> str:
    canonical = repr((source, aggregate, measure, indicator, where))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


@dataclass
class _PendingValue:
    """A value condition whose unit is checked (and converted) once every indicator has been read."""

    obj: _Obj
    term: str
    field: str
    op: str
    value: float
    unit: str | None
    line: int


class _IndicatorReader:
    def __init__(
        self,
        src: _Source,
        industry_classes: Collection[str],
        type_codes: frozenset[str] | None,
    ) -> None:
        self.src = src
        self.industry_classes = industry_classes
        self.type_codes = None if type_codes is None else type_codes | {UNCLASSIFIED_PARK_TYPE}
        self.class_sets: dict[str, ClassSet] = {}

    def class_set(self, data: _Map) -> ClassSet:
        obj = _Obj(self.src, data, f"行业集合“{data.get('code', '?')}”", ("code", "name", "prefixes"), ("note",))
        prefixes = obj.refs("prefixes", codes=False)
        if _is_empty_list(data, "prefixes"):
            obj.error("prefixes", "至少应有一个行业代码前缀")
        for ref in prefixes:
            if not _PREFIX_RE.match(ref.value):
                self.src.add(
                    ref.line,
                    f"{obj.prefix}行业代码前缀“{ref.value}”格式无效，"
                    "应为门类字母或门类字母加2至4位数字（如 C、C39、I65）",
                )
            elif not any(code.startswith(ref.value) for code in self.industry_classes):
                self.src.add(ref.line, f"{obj.prefix}“{ref.value}”不是 GB/T 4754-2017 中任何行业的代码前缀")
        return ClassSet(obj.code(), obj.text("name"), tuple(ref.value for ref in prefixes), obj.opt_text("note"))

    def _flag(self, obj: _Obj, key: str) -> bool | None:
        return obj.boolean(key) if key in obj.data else None

    def _choices(self, obj: _Obj, key: str, allowed: Collection[str] | None, what: str) -> tuple[str, ...]:
        refs = obj.refs(key, codes=False)
        if _is_empty_list(obj.data, key):
            obj.error(key, "不能为空列表")
        if allowed is not None:
            for ref in refs:
                if ref.value not in allowed:
                    choices = "、".join(sorted(allowed))
                    self.src.add(ref.line, f"{obj.prefix}未知的{what}“{ref.value}”，应为：{choices}")
        return tuple(ref.value for ref in refs)

    def where(self, obj: _Obj, source: str, measures: dict[str, str], pending: list[_PendingValue]) -> TermFilter:
        data = obj.mapping("where")
        if data is None:
            return TermFilter()
        where = _Obj(
            self.src,
            data,
            f"{obj.prefix.rstrip('：')}的筛选条件",
            (),
            ("labels", "industry", "park", "in_park", "land_uses", "values"),
        )
        inner = where.prefix.rstrip("：")
        enterprise_only = ("labels", "industry")
        for key in enterprise_only:
            if key in data and source not in ENTERPRISE_SOURCES:
                where.error(key, f"只适用于企业类数据源（annual、monthly、enterprises），本项数据源为 {source}")
        if "land_uses" in data and source != "land":
            where.error("land_uses", f"只适用于数据源 land，本项数据源为 {source}")
        if "in_park" in data and source in ("park_annual", "parks", "indicator"):
            where.error("in_park", f"对数据源 {source} 没有意义（其记录都属于园区）")

        labels: list[LabelCondition] = []
        for label_data in where.objects("labels"):
            label = _Obj(self.src, label_data, f"{inner}的称号条件", ("kind",), ("levels", "new_since"))
            kind = _choice(label, "kind", LABEL_KINDS, "称号")
            levels = self._choices(label, "levels", LABEL_LEVELS, "级别")
            new_since = label.day("new_since") if "new_since" in label_data else None
            labels.append(LabelCondition(kind, levels, None if new_since == date.min else new_since))

        class_set: str | None = None
        prefixes: tuple[str, ...] = ()
        high_tech = lead_chains = None
        industry = where.mapping("industry")
        if industry is not None:
            ind = _Obj(self.src, industry, f"{inner}的行业条件", (), ("class_set", "high_tech", "lead_chains"))
            if "class_set" in industry:
                class_set = ind.code("class_set")
                if class_set and class_set not in self.class_sets:
                    ind.error("class_set", f"为未定义的行业集合“{class_set}”")
                elif class_set:
                    prefixes = self.class_sets[class_set].prefixes
            high_tech = self._flag(ind, "high_tech")
            lead_chains = self._flag(ind, "lead_chains")
            if not industry:
                where.error("industry", "不能为空：应给出 class_set、high_tech 或 lead_chains")

        park_types: tuple[str, ...] = ()
        recognised = smart = None
        green: tuple[str, ...] = ()
        park = where.mapping("park")
        if park is not None:
            park_obj = _Obj(
                self.src, park, f"{inner}的园区条件", (), ("types", "recognised", "smart_platform", "green_levels")
            )
            park_types = self._choices(park_obj, "types", self.type_codes, "园区类型")
            recognised = self._flag(park_obj, "recognised")
            smart = self._flag(park_obj, "smart_platform")
            green = self._choices(park_obj, "green_levels", GREEN_LEVELS, "绿色园区等级")

        uses = self._choices(where, "land_uses", LAND_USES, "用地类型") if "land_uses" in data else ()
        in_park = self._flag(where, "in_park")

        values: list[ValueCondition] = []
        value_data = where.mapping("values")
        if value_data is not None:
            allowed = {"value"} if source == "indicator" else set(measures)
            for field, condition in value_data.items():
                line = value_data.key_lines[field]
                if field not in allowed:
                    known = "、".join(sorted(allowed)) or "（无）"
                    self.src.add(line, f"{where.prefix}未知的度量“{field}”（数据源 {source} 可用：{known}）")
                    continue
                if not isinstance(condition, _Map):
                    self.src.add(line, f"{where.prefix}“{field}”的条件应为映射，如 {{gt: 0}}")
                    continue
                cond = _Obj(self.src, condition, f"{inner}的“{field}”的条件", (), (*VALUE_OPS, "unit"))
                ops = [op for op in VALUE_OPS if op in condition]
                if len(ops) != 1:
                    self.src.add(line, f"{where.prefix}“{field}”的条件应恰有一个比较（{'、'.join(VALUE_OPS)}）")
                    continue
                number = cond.number(ops[0])
                pending.append(_PendingValue(cond, "", field, ops[0], number, cond.opt_text("unit"), line))
                values.append(ValueCondition(field, ops[0], Decimal(str(number))))
        return TermFilter(
            labels=tuple(labels),
            class_set=class_set,
            industry_prefixes=prefixes,
            high_tech=high_tech,
            lead_chains=lead_chains,
            park_types=park_types,
            recognised=recognised,
            smart_platform=smart,
            green_levels=green,
            in_park=in_park,
            land_uses=uses,
            values=tuple(values),
        )

    def term(self, name: str, data: object, line: int, label: str) -> tuple[Term | None, list[_PendingValue]]:
        if not isinstance(data, _Map):
            self.src.add(line, f"{label}：项“{name}”应为映射（source、sum 或 count、where）")
            return None, []
        if not _CODE_RE.match(name):
            self.src.add(line, f"{label}：项名“{name}”格式无效：只能用小写字母、数字和下划线，并以字母开头")
        obj = _Obj(self.src, data, f"{label}的项“{name}”", ("source",), ("sum", "count", "indicator", "where"))
        source = _choice(obj, "source", INDICATOR_SOURCES, "数据源")
        measures = _MEASURE_UNITS.get(source, {})
        pending: list[_PendingValue] = []
        aggregate, measure, unit = "count", None, ""
        if ("sum" in data) == ("count" in data):
            obj.error("source", "的项应恰有 sum（求和的度量）或 count（计数的对象）之一")
        elif "sum" in data:
            aggregate = "sum"
            measure = obj.text("sum")
            if source in _MEASURE_UNITS and measure and measure not in measures:
                known = "、".join(measures) or "（该数据源只能计数）"
                obj.error("sum", f"为未知的度量“{measure}”（数据源 {source} 可用：{known}）")
            unit = measures.get(measure or "", "")
        else:
            counted = obj.text("count")
            expected = SOURCE_COUNTS.get(source)
            if expected and counted and counted != expected:
                obj.error("count", f"对数据源 {source} 应为“{expected}”，实际为“{counted}”")
            unit = COUNT_UNITS.get(expected or "", "个")
        indicator: str | None = None
        if source == "indicator":
            indicator = obj.code("indicator")
            if "indicator" not in data:
                obj.error("source", "为 indicator 时必须给出 indicator（所依据的指标代码）")
        elif "indicator" in data:
            obj.error("indicator", "只用于数据源 indicator")
        where = self.where(obj, source, dict(measures), pending)
        for value in pending:
            value.term = name
        key = _term_key(source, aggregate, measure, indicator, where)
        return Term(name, source, aggregate, measure, indicator, where, unit, key), pending


def _read_indicators(
    src: _Source,
    root: _Map | None,
    industry_classes: Collection[str],
    type_codes: frozenset[str] | None,
) -> tuple[tuple[ClassSet, ...], tuple[Indicator, ...]]:
    if root is None:
        return (), ()
    reader = _IndicatorReader(src, industry_classes, type_codes)
    top = _Obj(src, root, "", ("indicators",), ("notes", "class_sets", "reporting"))
    top.texts("notes")
    set_refs: list[_Ref] = []
    for data in top.objects("class_sets"):
        class_set = reader.class_set(data)
        set_refs.append(_Ref(class_set.code, data.key_lines.get("code", data.line)))
        reader.class_sets.setdefault(class_set.code, class_set)
    _check_unique(src, "行业集合", set_refs)

    indicators: list[Indicator] = []
    code_refs: list[_Ref] = []
    pending: list[tuple[Indicator, _Obj, list[_PendingValue], dict[str, int]]] = []
    for data in top.objects("indicators"):
        label = f"指标“{data.get('code', '?')}”"
        obj = _Obj(
            src,
            data,
            label,
            ("code", "name", "name_en", "unit", "level", "direction", "standard"),
            ("coverage", "formula", "terms", "source", "note"),
        )
        unit = obj.text("unit")
        dimension = parse_unit(unit) if unit else None
        if unit and dimension is None:
            obj.error("unit", f"为无法识别的单位“{unit}”（可用：{'、'.join(_UNIT_TABLE)}，或“甲/乙”形式）")
        level = _choice(obj, "level", INDICATOR_LEVELS, "层级")
        coverage = _choice(obj, "coverage", COVERAGES, "统计范围") if "coverage" in data else "parks"
        source = obj.text("source") if "source" in data else "computed"
        terms: list[Term] = []
        term_lines: dict[str, int] = {}
        values: list[_PendingValue] = []
        formula: Formula | None = None
        if "source" in data and source != REPORTED:
            obj.error("source", f"只能为 {REPORTED}（人工填报）；计算类指标写 formula 和 terms")
        elif source == REPORTED:
            for key in ("formula", "terms"):
                if key in data:
                    obj.error(key, f"不能与 source: {REPORTED} 同时出现")
        else:
            for key in ("formula", "terms"):
                if key not in data:
                    src.add(data.line, f"{label}：缺少必填项“{key}”（或写 source: {REPORTED} 表示人工填报）")
            term_map = obj.mapping("terms")
            for name, term_data in (term_map or {}).items():
                assert term_map is not None
                term_lines[name] = term_map.key_lines[name]
                term, found = reader.term(name, term_data, term_map.key_lines[name], label)
                if term is not None:
                    terms.append(term)
                    values.extend(found)
            if term_map is not None and not term_map:
                obj.error("terms", "至少应有一项")
            text = obj.text("formula")
            if text:
                try:
                    formula = Formula.parse(text)
                except FormulaError as error:
                    obj.error("formula", f"“{text}”无法解析：{error}")
            if formula is not None and term_map is not None:
                names = formula.names()
                for name in names:
                    if name not in term_map:
                        obj.error("formula", f"中的“{name}”不是本指标 terms 中定义的项")
                for name in term_map:
                    if name not in names:
                        src.add(term_lines[name], f"{label}：项“{name}”未在公式中使用")
                known = {term.name: parse_unit(term.unit) for term in terms}
                if all(name in known and known[name] is not None for name in names) and dimension is not None:
                    try:
                        derived = formula.dimension({name: dim for name, dim in known.items() if dim is not None})
                    except FormulaError as error:
                        obj.error("formula", f"“{formula.text}”单位不一致：{error}")
                    else:
                        if not derived.same_kind(dimension):
                            obj.error(
                                "unit",
                                f"“{unit}”与公式“{formula.text}”的单位（{derived.describe()}）不一致",
                            )
            if level == "enterprise":
                for term in terms:
                    if term.source not in ENTERPRISE_SOURCES:
                        obj.error("level", f"为 enterprise 时各项须来自企业类数据源，项“{term.name}”来自 {term.source}")
        indicator = Indicator(
            code=obj.code(),
            name=obj.text("name"),
            name_en=obj.text("name_en"),
            unit=unit,
            level=level,
            direction=_choice(obj, "direction", DIRECTIONS, "方向"),
            coverage=coverage,
            source=source,
            formula=formula,
            terms=tuple(terms),
            standard=obj.text("standard"),
            note=obj.opt_text("note"),
        )
        indicators.append(indicator)
        code_refs.append(_Ref(indicator.code, obj.line("code")))
        pending.append((indicator, obj, values, term_lines))
    _check_unique(src, "指标", code_refs)

    by_code = {indicator.code: indicator for indicator in indicators}
    for position, (indicator, obj, values, term_lines) in enumerate(pending):
        for term in indicator.terms:
            if term.indicator is None:
                continue
            line = term_lines.get(term.name, obj.data.line)
            dependency = by_code.get(term.indicator)
            if dependency is None:
                src.add(line, f"{obj.prefix}项“{term.name}”引用了未知的指标代码“{term.indicator}”")
            elif dependency.level not in ("enterprise", "park"):
                src.add(
                    line,
                    f"{obj.prefix}项“{term.name}”所引用的指标“{term.indicator}”须有园区值（层级为 enterprise 或 park）",
                )
            elif dependency.reported:
                src.add(line, f"{obj.prefix}项“{term.name}”不能引用人工填报的指标“{term.indicator}”")
        factors = {
            (value.term, value.field): factor
            for value in values
            if (factor := _value_factor(src, indicator, value, by_code)) is not None
        }
        if factors:
            indicators[position] = replace(indicator, terms=tuple(_convert(term, factors) for term in indicator.terms))
    _check_cycles(src, indicators, code_refs)
    return tuple(reader.class_sets.values()), tuple(indicators)


def _read_reporting(src: _Source, root: _Map | None, indicators: Sequence[Indicator]) -> ReportingRule:
    """indicators.yaml: reporting — the report-rate indicator and the share that makes a month complete."""
    if root is None:
        return ReportingRule(None, DEFAULT_COMPLETE_SHARE)
    # The file's other keys are checked by _read_indicators; here only the type of `reporting`.
    data = _Obj(src, root, "", (), tuple(root)).mapping("reporting")
    if data is None:
        return ReportingRule(None, DEFAULT_COMPLETE_SHARE)
    obj = _Obj(src, data, "报送完整性规则", ("indicator", "complete_share"), ())
    code = obj.code("indicator")
    share = obj.number("complete_share")
    if "complete_share" in data and not 0 < share <= 1:
        obj.error("complete_share", f"应大于0且不大于1（如 0.9 表示90%），实际为{share:g}")
    item = next((indicator for indicator in indicators if indicator.code == code), None)
    if code and item is None:
        obj.error("indicator", f"“{code}”不是 indicators 中定义的指标")
    elif item is not None and (item.unit != PERCENT or "monthly" not in item.sources):
        obj.error("indicator", f"“{code}”应为单位 % 且读取月度报表（monthly）的报送率指标")
    return ReportingRule(code or None, share or DEFAULT_COMPLETE_SHARE)


def _value_factor(
    src: _Source, indicator: Indicator, value: _PendingValue, by_code: dict[str, Indicator]
) -> Decimal | None:
    """A value condition stated in another unit (e.g. 1000 亿元 against revenue in 万元) must be of the
    same kind as its field; the factor converts it to the field's unit."""
    if value.unit is None:
        return None
    stated = parse_unit(value.unit)
    if stated is None:
        src.add(value.line, f"{value.obj.prefix}无法识别的单位“{value.unit}”")
        return None
    term = next((t for t in indicator.terms if t.name == value.term), None)
    if term is None:
        return None
    if term.source == "indicator":
        dependency = by_code.get(term.indicator or "")
        field_unit = dependency.unit if dependency is not None else None
    else:
        field_unit = _MEASURE_UNITS.get(term.source, {}).get(value.field)
    field_dimension = parse_unit(field_unit) if field_unit else None
    if field_dimension is None:
        return None
    if not stated.same_kind(field_dimension):
        src.add(value.line, f"{value.obj.prefix}单位“{value.unit}”与“{value.field}”的单位“{field_unit}”不一致")
        return None
    return stated.scale / field_dimension.scale


def _convert(term: Term, factors: Mapping[tuple[str, str], Decimal]) -> Term:
    values = tuple(
        ValueCondition(v.field, v.op, v.value * factors.get((term.name, v.field), Decimal(1)))
        for v in term.where.values
    )
    if values == term.where.values:
        return term
    where = replace(term.where, values=values)
    return replace(term, where=where, key=_term_key(term.source, term.aggregate, term.measure, term.indicator, where))


def _check_cycles(src: _Source, indicators: Sequence[Indicator], refs: Sequence[_Ref]) -> None:
    graph = {indicator.code: indicator.depends_on for indicator in indicators}
    lines = {ref.value: ref.line for ref in refs}
    state: dict[str, int] = {}  # 1 = on the path, 2 = done

    def visit(code: str, path: list[str]) -> None:
        state[code] = 1
        for dependency in graph.get(code, ()):
            if state.get(dependency) == 1:
                cycle = [*path[path.index(dependency) :], dependency] if dependency in path else [code, dependency]
                src.add(lines.get(code, 0), f"指标之间循环引用：{' → '.join(cycle)}")
            elif dependency in graph and state.get(dependency) is None:
                visit(dependency, [*path, dependency])
        state[code] = 2

    for indicator in indicators:
        if state.get(indicator.code) is None:
            visit(indicator.code, [indicator.code])


def _check_targets_against_indicators(
    src: _Source, root: _Map | None, targets: Sequence[Target], indicators: Sequence[Indicator]
) -> None:
    """Every target names a catalogue indicator of the same unit (growth targets: any unit), and a
    park-type target an indicator with park values."""
    if root is None:
        return
    by_code = {indicator.code: indicator for indicator in indicators}
    lines: dict[str, dict[str, int]] = {}
    for item in root.get("targets") or []:
        if isinstance(item, _Map) and isinstance(item.get("code"), str):
            lines.setdefault(item["code"], item.key_lines)
    for target in targets:
        key_lines = lines.get(target.code, {})
        indicator = by_code.get(target.indicator)
        prefix = f"目标“{target.code}”："
        if indicator is None:
            if target.indicator:
                src.add(
                    key_lines.get("indicator", 0),
                    f"{prefix}未知的指标代码“{target.indicator}”（应在 indicators.yaml 中定义）",
                )
            continue
        if target.comparison != "growth_ge":
            mine, theirs = parse_unit(target.unit), parse_unit(indicator.unit)
            if mine is None or theirs is None or not mine.same_kind(theirs) or mine.scale != theirs.scale:
                src.add(
                    key_lines.get("unit", 0),
                    f"{prefix}单位“{target.unit}”与指标“{indicator.code}”的单位“{indicator.unit}”不一致",
                )
        if target.scope != CITY_SCOPE and target.kind == "goal" and indicator.level not in ("enterprise", "park"):
            src.add(
                key_lines.get("scope", 0),
                f"{prefix}范围为园区类型“{target.scope}”，"
                f"但指标“{indicator.code}”没有园区值（层级为 {indicator.level}）",
            )
