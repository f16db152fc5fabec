"""Reading one pack file against its schema: the building blocks every section uses.

`Source` is one file and the shared problem list; `Obj` reads one mapping against a fixed set of
required and optional keys and offers typed getters (text, code, integer, number, boolean, day,
lists, mappings, choices) that report a wrong value with the file's line and a message of the
catalogue, then return a neutral default — which never escapes, because any problem refuses the whole
pack. `Ref` is a code written in the pack with its line, checked once every file is read.

Who calls this: the section readers in `<app>/pack.py` and the pack's own head (pack.yaml). Pure
Python."""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol, TypeVar

from yuanqu.core.pack import messages
from yuanqu.core.pack.errors import PackProblem
from yuanqu.core.pack.lines import LineMap, LineSeq, describe

CODE_RE = re.compile(r"[a-z][a-z0-9_]*\Z")
# Han characters (CJK unified ideographs, extension A and compatibility ideographs): an English name
# of the pack (name_en, title_en) must contain none.
HAN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

V = TypeVar("V")


class Source:
    """One pack file: its name and the shared list of problems."""

    def __init__(self, name: str, problems: list[PackProblem]) -> None:
        self.name = name
        self.problems = problems

    def add(self, line: int, message: str) -> None:
        self.problems.append(PackProblem(self.name, line, message))


@dataclass(frozen=True, slots=True)
class Ref:
    """A code written in the pack, with the line it is on, to check once all files are read."""

    value: str
    line: int


class Obj:
    """One YAML mapping read against a fixed set of keys. Missing and unknown keys are reported when it
    is made; each getter reports a wrong value and then returns a neutral default.

    `error(key, text)` reports "<label>：“key”<text>"; `problem(key, text)` reports "<label>：<text>" on
    the key's line, for a rule whose message names its keys itself.

    `Obj.file(...)` reads a file's top-level mapping (which may always carry `notes`); `items(...)`
    reads a list of coded mappings, each labelled with its code, and reports repeated codes."""

    def __init__(
        self,
        src: Source,
        data: LineMap,
        label: str,
        required: Sequence[str],
        optional: Sequence[str] = (),
    ) -> None:
        self.src = src
        self.data = data
        self.label = label
        self.prefix = f"{label}：" if label else ""
        self._codes: dict[str, str] = {}
        self.notes: tuple[str, ...] = ()
        for key in required:
            if key not in data:
                src.add(data.line, messages.KEY_MISSING.format(prefix=self.prefix, key=key))
        allowed = set(required) | set(optional)
        for key in data:
            if key not in allowed:
                src.add(data.key_lines[key], messages.KEY_UNKNOWN.format(prefix=self.prefix, key=key))

    def line(self, key: str) -> int:
        return self.data.key_lines.get(key, self.data.line)

    def error(self, key: str, message: str) -> None:
        self.src.add(self.line(key), f"{self.prefix}“{key}”{message}")

    def problem(self, key: str, message: str) -> None:
        self.src.add(self.line(key), f"{self.prefix}{message}")

    def empty_list(self, key: str) -> bool:
        """The key holds a list with no items (a list that must have some is reported by the caller)."""
        return is_empty_list(self.data, key)

    def has(self, key: str) -> bool:
        """The key is present with a value (not null)."""
        return self.data.get(key) is not None

    def _wrong(self, key: str, expected: str) -> None:
        self.error(key, messages.WRONG_TYPE.format(expected=expected, actual=describe(self.data[key])))

    def _typed(self, key: str, kinds: tuple[type[V], ...], expected: str, refused: tuple[type, ...] = ()) -> V | None:
        """The value under `key` when it is one of `kinds` and none of `refused` (a bool is no number, a
        datetime no day); None when the key is absent or the value is of another type (reported as
        “应为<expected>”)."""
        if key not in self.data:
            return None
        value: object = self.data[key]
        if isinstance(value, kinds) and not isinstance(value, refused):
            return value
        self._wrong(key, expected)
        return None

    def text(self, key: str, default: str = "") -> str:
        value = self._typed(key, (str,), messages.TEXT)
        if value is None:
            return default
        if not value.strip():
            self.error(key, messages.EMPTY_TEXT)
        return value.strip()

    def opt_text(self, key: str) -> str | None:
        return self.text(key) if self.has(key) else None

    def english(self, key: str) -> str:
        """An optional English name (name_en, title_en): a non-empty text without Han characters, or ""
        when the key is absent."""
        value = self.text(key) if self.has(key) else ""
        if HAN_RE.search(value):
            self.error(key, messages.HAN_IN_ENGLISH.format(value=value))
        return value

    def code(self, key: str = "code") -> str:
        """The code under `key`, reported once when it is not a code (later calls return the same)."""
        if key in self._codes:
            return self._codes[key]
        value = self.text(key)
        if value and not CODE_RE.match(value):
            self.error(key, messages.BAD_CODE.format(value=value))
        self._codes[key] = value
        return value

    def integer(self, key: str, default: int = 0, *, minimum: int | None = None) -> int:
        value = self._typed(key, (int,), messages.INTEGER, (bool,))
        if value is None:
            return default
        if minimum is not None and value < minimum:
            self.error(key, messages.BELOW_MINIMUM.format(minimum=minimum, value=value))
        return value

    def number(self, key: str, default: float = 0.0) -> float:
        value = self._typed(key, (int, float), messages.NUMBER, (bool,))
        if value is None:
            return default
        if not math.isfinite(value):
            self.error(key, messages.NOT_FINITE.format(value=value))
            return default
        return float(value)

    def opt_number(self, key: str) -> float | None:
        return self.number(key) if self.has(key) else None

    def positive(self, key: str) -> float:
        """A number above zero (a scale, a threshold); reported on the key's line when it is not."""
        value = self.number(key)
        if key in self.data and value <= 0:
            self.error(key, messages.NOT_POSITIVE.format(value=value))
        return value

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self._typed(key, (bool,), messages.BOOLEAN_EXPECTED)
        return default if value is None else value

    def day(self, key: str) -> date:
        value = self._typed(key, (date,), messages.DATE_EXPECTED, (datetime,))
        return date.min if value is None else value

    def seq(self, key: str) -> LineSeq:
        """The list under `key`; an empty one when the key is absent or not a list (reported)."""
        value = self._typed(key, (LineSeq,), messages.LIST)
        return LineSeq(self.line(key)) if value is None else value

    def texts(self, key: str) -> tuple[str, ...]:
        return tuple(ref.value for ref in self.refs(key, codes=False))

    def refs(self, key: str, *, codes: bool = True) -> tuple[Ref, ...]:
        """A list of texts (codes by default) with their lines; a repeated item is reported."""
        seq = self.seq(key)
        result: list[Ref] = []
        seen: dict[str, int] = {}
        for item, line in zip(seq, seq.item_lines, strict=True):
            if not isinstance(item, str) or not item.strip():
                self.src.add(line, f"{self.prefix}“{key}”" + messages.ITEM_NOT_TEXT.format(actual=describe(item)))
                continue
            if item in seen:
                self.src.add(line, f"{self.prefix}“{key}”" + messages.ITEM_REPEATED.format(value=item, line=seen[item]))
                continue
            if codes and not CODE_RE.match(item):
                self.src.add(line, f"{self.prefix}“{key}”" + messages.ITEM_BAD_CODE.format(value=item))
                continue
            seen[item] = line
            result.append(Ref(item, line))
        return tuple(result)

    def objects(self, key: str) -> list[LineMap]:
        """A list of mappings; an item that is not a mapping is reported and skipped."""
        seq = self.seq(key)
        result: list[LineMap] = []
        for item, line in zip(seq, seq.item_lines, strict=True):
            if isinstance(item, LineMap):
                result.append(item)
            else:
                self.src.add(line, f"{self.prefix}“{key}”" + messages.ITEM_NOT_MAPPING.format(actual=describe(item)))
        return result

    def mapping(self, key: str) -> LineMap | None:
        return self._typed(key, (LineMap,), messages.MAPPING_EXPECTED)

    @classmethod
    def file(cls, src: Source, root: LineMap, required: Sequence[str], optional: Sequence[str] = ()) -> Obj:
        """A file's top-level mapping; every file may carry `notes` (a list of texts), read here."""
        top = cls(src, root, "", required, ("notes", *optional))
        top.notes = top.texts("notes")
        return top

    def items(
        self,
        key: str,
        what: str,
        required: Sequence[str],
        optional: Sequence[str] = (),
        *,
        unique: bool = True,
    ) -> Iterator[Obj]:
        """Each mapping of the list under `key`, read against its keys and labelled “<what>“<code>””.
        After the last one, a code that appears twice is reported (`what` names the thing) unless
        `unique` is false; an item whose code the caller did not read has it read then."""
        refs: list[Ref] = []
        for data in self.objects(key):
            item = Obj(self.src, data, f"{what}“{data.get('code', '?')}”", required, optional)
            yield item
            refs.append(Ref(item.code(), item.line("code")))
        if unique:
            check_unique(self.src, what, refs)

    def counts(
        self, key: str, *, known: Collection[str], unknown: str, wrong: str, minimum: int
    ) -> dict[str, tuple[int, int]] | None:
        """A mapping of code → whole number not below `minimum`, with each value's line; None when the
        key is absent or not a mapping (reported). A code not in `known` is reported with `unknown`, a
        value that is not such a number with `wrong` (both formatted with the code as `{key}`);
        neither is returned."""
        data = self.mapping(key)
        if data is None:
            return None
        result: dict[str, tuple[int, int]] = {}
        for code, value in data.items():
            line = data.key_lines[code]
            if code not in known:
                self.src.add(line, unknown.format(key=code))
            elif isinstance(value, bool) or not isinstance(value, int) or value < minimum:
                self.src.add(line, wrong.format(key=code))
            else:
                result[code] = (value, line)
        return result

    def choice(self, key: str, allowed: Collection[str], what: str = "取值", default: str = "") -> str:
        """One of `allowed`; `default` when the key is absent or the value is not allowed (reported)."""
        value = self.text(key, default)
        if value and value not in allowed:
            self.error(key, messages.BAD_CHOICE.format(what=what, value=value, allowed="、".join(allowed)))
            return default
        return value

    def choices(self, key: str, allowed: Collection[str], default: tuple[str, ...] = ()) -> tuple[str, ...]:
        """A list of values each one of `allowed`, in order without repeats; `default` when absent."""
        if not self.has(key):
            return default
        values = self.texts(key)
        for value in values:
            if value not in allowed:
                self.error(key, messages.BAD_CHOICE_ITEM.format(value=value, allowed="、".join(allowed)))
        return tuple(value for value in values if value in allowed)


class Coded(Protocol):
    @property
    def code(self) -> str: ...


C = TypeVar("C", bound=Coded)


def by_code(items: Iterable[C], code: str) -> C:
    """The item whose code is `code`; KeyError when there is none."""
    for item in items:
        if item.code == code:
            return item
    raise KeyError(code)


def choice(obj: Obj, key: str, allowed: Sequence[str], what: str) -> str:
    """The value under `key`, reported when it is not one of `allowed` (and kept, for further checks)."""
    value = obj.text(key)
    if value and value not in allowed:
        obj.error(key, messages.BAD_CHOICE.format(what=what, value=value, allowed="、".join(allowed)))
    return value


def is_empty_list(data: LineMap, key: str) -> bool:
    value = data.get(key)
    return isinstance(value, LineSeq) and not value


def check_unique(src: Source, what: str, items: Iterable[Ref]) -> None:
    """Report every code that appears a second time (within one file)."""
    seen: dict[str, int] = {}
    for item in items:
        if not item.value:
            continue
        if item.value in seen:
            src.add(item.line, messages.CODE_REPEATED.format(what=what, value=item.value, line=seen[item.value]))
        else:
            seen[item.value] = item.line


def check_refs(src: Source, what: str, refs: Iterable[Ref], known: Collection[str] | None) -> None:
    """Report codes that do not name a known thing. `known` is None when the file defining the things
    could not be read: its own problems are reported and the references are not second-guessed."""
    if known is None:
        return
    for ref in refs:
        if ref.value not in known:
            src.add(ref.line, messages.CODE_UNKNOWN.format(what=what, value=ref.value))


def check_numbering(src: Source, what: str, numbers: Sequence[Ref]) -> None:
    """Numbers must run 1, 2, 3 … in the order written."""
    for expected, ref in enumerate(numbers, start=1):
        if ref.value != str(expected):
            src.add(ref.line, messages.NUMBERING.format(what=what, expected=expected, value=ref.value))
            return
