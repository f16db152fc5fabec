"""YAML with line numbers: the one place that parses a policy pack's files.

Mappings and sequences come back as `LineMap` and `LineSeq`, which remember the line they start on and
the line of each key or item (1-based), so that every problem can name its line. Duplicate and
non-text keys are recorded instead of silently kept (plain PyYAML keeps the last duplicate).
`read_yaml_file` turns a missing file, a wrong encoding, a syntax error or an empty file into problems
of the catalogue (`messages`). Pure Python and PyYAML."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from yuanqu.core.pack import messages


class LineMap(dict[str, Any]):
    """A YAML mapping that remembers the line it starts on and the line of each key (1-based)."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}


class LineSeq(list[Any]):
    """A YAML sequence that remembers the line it starts on and the line of each item."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


class _LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings and sequences carry line numbers, and which records duplicate and
    non-text keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.key_problems: list[tuple[int, str]] = []


class _FastLineLoader(yaml.CSafeLoader):
    """The same on libyaml's parser, several times faster; used when PyYAML was built with it."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.key_problems: list[tuple[int, str]] = []


def _construct_map(loader: _LineLoader | _FastLineLoader, node: yaml.MappingNode) -> LineMap:
    loader.flatten_mapping(node)
    result = LineMap(node.start_mark.line + 1)
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            loader.key_problems.append((line, messages.KEY_NOT_TEXT.format(key=key_node.value)))
            continue
        if key in result:
            loader.key_problems.append((line, messages.KEY_REPEATED.format(key=key, line=result.key_lines[key])))
            continue
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_seq(loader: _LineLoader | _FastLineLoader, node: yaml.SequenceNode) -> LineSeq:
    result = LineSeq(node.start_mark.line + 1)
    for item_node in node.value:
        result.append(loader.construct_object(item_node, deep=True))
        result.item_lines.append(item_node.start_mark.line + 1)
    return result


for _loader in (_LineLoader, _FastLineLoader):
    _loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
    _loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def make_line_loader(text: str) -> _LineLoader | _FastLineLoader:
    return _FastLineLoader(text) if yaml.__with_libyaml__ else _LineLoader(text)


def describe(value: object) -> str:
    """The Chinese name of a YAML value's type, for "应为…，实际为…" messages."""
    names: dict[type, str] = {
        str: messages.TEXT,
        bool: messages.BOOLEAN,
        int: messages.INTEGER,
        float: messages.NUMBER,
        LineMap: messages.MAPPING,
        LineSeq: messages.LIST,
        type(None): messages.NULL,
        date: messages.DATE,
        datetime: messages.DATETIME,
    }
    return names.get(type(value), type(value).__name__)


def read_yaml_file(file: Path, add: Callable[[int, str], None]) -> LineMap | None:
    """The top-level mapping of one pack file, or None after reporting (through `add(line, message)`)
    why it cannot be read."""
    if not file.is_file():
        add(0, messages.FILE_MISSING)
        return None
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        add(0, messages.FILE_NOT_UTF8.format(reason=error.reason))
        return None
    loader = make_line_loader(text)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        detail = getattr(error, "problem", None) or str(error)
        add(line, messages.YAML_SYNTAX.format(detail=detail))
        return None
    finally:
        loader.dispose()
    for line, message in loader.key_problems:
        add(line, message)
    if data is None:
        add(0, messages.FILE_EMPTY)
        return None
    if not isinstance(data, LineMap):
        add(getattr(data, "line", 1), messages.FILE_NOT_MAPPING.format(actual=describe(data)))
        return None
    return data
