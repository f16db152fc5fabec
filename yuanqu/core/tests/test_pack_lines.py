"""The pack's one reader on its own: a file that cannot be read, duplicate keys and values of the wrong
type are reported with file, line and the catalogue's message. Pure Python."""

from __future__ import annotations

from pathlib import Path

from yuanqu.core.pack import LineMap, Obj, PackProblem, Source, messages, read_yaml_file


def _read(tmp_path: Path, text: str | bytes) -> tuple[LineMap | None, list[str]]:
    file = tmp_path / "units.yaml"
    if isinstance(text, bytes):
        file.write_bytes(text)
    else:
        file.write_text(text, encoding="utf-8")
    problems: list[PackProblem] = []
    root = read_yaml_file(file, Source("units.yaml", problems).add)
    return root, [str(problem) for problem in problems]


def test_it_reports_a_file_it_cannot_read(tmp_path: Path) -> None:
    problems: list[PackProblem] = []
    assert read_yaml_file(tmp_path / "gone.yaml", Source("gone.yaml", problems).add) is None
    assert [str(p) for p in problems] == [f"gone.yaml:0: {messages.FILE_MISSING}"]
    assert _read(tmp_path, "")[1] == [f"units.yaml:0: {messages.FILE_EMPTY}"]
    assert _read(tmp_path, "a: [1\n")[1][0].startswith("units.yaml:2: YAML 语法错误：")
    assert _read(tmp_path, "只有".encode("gbk"))[1][0].startswith("units.yaml:0: 文件不是 UTF-8 编码：")


def test_it_reports_a_repeated_key_with_both_lines(tmp_path: Path) -> None:
    root, problems = _read(tmp_path, "code: a\nname: 甲\ncode: b\n")
    assert problems == ["units.yaml:3: " + messages.KEY_REPEATED.format(key="code", line=1)]
    assert root == {"code": "a", "name": "甲"}


def test_it_reports_values_of_the_wrong_type_on_their_line(tmp_path: Path) -> None:
    root, _ = _read(tmp_path, "share: .inf\ncount: 二\nopen: 是\nextra: 1\n")
    problems: list[PackProblem] = []
    assert root is not None
    obj = Obj(Source("units.yaml", problems), root, "单位“a”", ("share", "count", "open", "name"), ())
    assert (obj.number("share"), obj.integer("count"), obj.boolean("open")) == (0.0, 0, False)
    assert [str(p) for p in problems] == [
        "units.yaml:1: " + messages.KEY_MISSING.format(prefix="单位“a”：", key="name"),
        "units.yaml:4: " + messages.KEY_UNKNOWN.format(prefix="单位“a”：", key="extra"),
        "units.yaml:1: 单位“a”：“share”" + messages.NOT_FINITE.format(value="inf"),
        "units.yaml:2: 单位“a”：“count”" + messages.WRONG_TYPE.format(expected=messages.INTEGER, actual=messages.TEXT),
        "units.yaml:3: 单位“a”：“open”"
        + messages.WRONG_TYPE.format(expected=messages.BOOLEAN_EXPECTED, actual=messages.TEXT),
    ]
