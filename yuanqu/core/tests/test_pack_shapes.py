"""The shapes every section reads through the pack's one reader: a file's top level with its notes, a
list of coded items with names, a mapping of code → whole number with bounds, a number above zero,
and lookup by code. A bad value is reported as `file:line: message` from the catalogue, the same
for every section. Pure Python."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from yuanqu.core.pack import LineMap, Obj, PackProblem, Source, by_code, messages, read_yaml_file


@dataclass(frozen=True)
class _Coded:
    code: str
    name: str


def _top(
    tmp_path: Path, text: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> tuple[Obj, list[PackProblem]]:
    file = tmp_path / "units.yaml"
    file.write_text(text, encoding="utf-8")
    problems: list[PackProblem] = []
    src = Source("units.yaml", problems)
    root = read_yaml_file(file, src.add)
    assert isinstance(root, LineMap)
    return Obj.file(src, root, required, optional), problems


def _said(problems: list[PackProblem]) -> list[str]:
    return [str(problem) for problem in problems]


def test_it_reads_a_files_notes_and_refuses_its_unknown_keys(tmp_path: Path) -> None:
    top, problems = _top(tmp_path, "units: []\nnotes:\n  - 甲\n  - 3\nextra: 1\n", ("units",))
    assert top.notes == ("甲",)
    assert _said(problems) == [
        "units.yaml:5: " + messages.KEY_UNKNOWN.format(prefix="", key="extra"),
        "units.yaml:4: “notes”" + messages.ITEM_NOT_TEXT.format(actual=messages.INTEGER),
    ]


def test_it_labels_each_item_with_its_code_and_reports_a_repeated_code_on_its_line(tmp_path: Path) -> None:
    text = "units:\n  - code: a\n    name: 甲\n  - code: b\n  - code: a\n    name: 丙\n"
    top, problems = _top(tmp_path, text, ("units",))
    names = [item.text("name") for item in top.items("units", "责任单位", ("code", "name"))]
    assert names == ["甲", "", "丙"]
    assert _said(problems) == [
        "units.yaml:4: " + messages.KEY_MISSING.format(prefix="责任单位“b”：", key="name"),
        "units.yaml:5: " + messages.CODE_REPEATED.format(what="责任单位", value="a", line=2),
    ]


def test_it_reports_a_bad_item_code_once_where_the_item_reads_it(tmp_path: Path) -> None:
    top, problems = _top(tmp_path, "units:\n  - code: Bad-Code\n", ("units",))
    codes = [item.code() for item in top.items("units", "责任单位", ("code",))]
    assert codes == ["Bad-Code"]
    assert _said(problems) == ["units.yaml:2: 责任单位“Bad-Code”：“code”" + messages.BAD_CODE.format(value="Bad-Code")]


def test_items_can_leave_the_repeated_codes_to_the_caller(tmp_path: Path) -> None:
    top, problems = _top(tmp_path, "units:\n  - code: a\n  - code: a\n", ("units",))
    assert len(list(top.items("units", "任务", ("code",), unique=False))) == 2
    assert problems == []


def test_it_reads_a_mapping_of_codes_to_counts_with_their_lines(tmp_path: Path) -> None:
    text = "quotas:\n  modern: 4\n  featured: -1\n  other: 2\n  urban: 1.5\n"
    top, problems = _top(tmp_path, text, ("quotas",))
    counts = top.counts(
        "quotas",
        known=("modern", "featured", "urban"),
        unknown="名额中的园区类型“{key}”未知",
        wrong="园区类型“{key}”的名额应为不小于 0 的整数",
        minimum=0,
    )
    assert counts == {"modern": (4, 2)}
    assert _said(problems) == [
        "units.yaml:3: 园区类型“featured”的名额应为不小于 0 的整数",
        "units.yaml:4: 名额中的园区类型“other”未知",
        "units.yaml:5: 园区类型“urban”的名额应为不小于 0 的整数",
    ]


def test_counts_that_are_not_a_mapping_are_reported_once_and_read_as_none(tmp_path: Path) -> None:
    top, problems = _top(tmp_path, "quotas: [1]\n", ("quotas",))
    assert top.counts("quotas", known=(), unknown="{key}", wrong="{key}", minimum=0) is None
    assert top.counts("absent", known=(), unknown="{key}", wrong="{key}", minimum=0) is None
    assert _said(problems) == [
        "units.yaml:1: “quotas”" + messages.WRONG_TYPE.format(expected=messages.MAPPING_EXPECTED, actual=messages.LIST)
    ]


def test_it_reports_a_number_that_is_not_above_zero_on_its_line(tmp_path: Path) -> None:
    top, problems = _top(tmp_path, "scale: 0\nlimit: 2.5\n", ("scale", "limit"))
    assert top.positive("limit") == 2.5
    assert top.positive("scale") == 0
    assert top.positive("absent") == 0
    assert _said(problems) == ["units.yaml:1: “scale”" + messages.NOT_POSITIVE.format(value=0)]


def test_it_tells_an_empty_list_from_an_absent_one(tmp_path: Path) -> None:
    top, _ = _top(tmp_path, "units: []\nnodes: [a]\n", ("units", "nodes"))
    assert top.empty_list("units")
    assert not top.empty_list("nodes")
    assert not top.empty_list("absent")


def test_it_finds_an_item_by_its_code() -> None:
    units = (_Coded("a", "甲"), _Coded("b", "乙"))
    assert by_code(units, "b").name == "乙"
    with pytest.raises(KeyError):
        by_code(units, "c")
