"""Sections of the policy pack and the register of them.

A section is the part of the pack one app owns: its files, the function that reads them into that
app's own types, and the sections it reads after (for cross-references: the targets name indicators
and units, casework names units). Each app declares its section in `<app>/pack.py` and registers it
there with `register(Section(...))`; `discover()` imports the `pack` module of every installed app
(as the admin finds `admin` modules), so core imports no app and a new section is one new file.

Who calls this: the loader (`loaded.py`), which reads the sections in dependency order and hands each
one a `SectionContext`."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from yuanqu.core.pack.lines import LineMap
from yuanqu.core.pack.reader import Obj, Source

if TYPE_CHECKING:
    from yuanqu.core.pack.loaded import PackHead

T = TypeVar("T")
U = TypeVar("U")


@dataclass(frozen=True, eq=False)
class Section(Generic[T]):
    """One section: `name` (unique), the `files` it reads (in the order their problems are listed),
    `read` (from a context to the section's value), and `needs`, the sections read before it.

    `read` returns its value even when it reported problems (a later section may still check its
    references against it); it returns None only when its files could not be read at all. Any
    problem refuses the whole pack, so a partial value never reaches a caller."""

    name: str
    files: tuple[str, ...]
    read: Callable[[SectionContext], T | None]
    needs: tuple[Section[Any], ...] = field(default=())


class SectionContext:
    """What a section's reader sees: its files (parsed, or None when unreadable), the pack's head,
    the values of the sections it needs, and the reference data the loader was given."""

    def __init__(
        self,
        *,
        path: Path,
        sources: dict[str, Source],
        roots: dict[str, LineMap | None],
        head: PackHead | None,
        values: dict[str, object],
        industry_classes: Collection[str],
    ) -> None:
        self.path = path
        self._sources = sources
        self._roots = roots
        self.head = head
        self._values = values
        self.industry_classes = industry_classes

    def file(self, name: str) -> tuple[Source, LineMap | None]:
        """The file's problem sink and its top-level mapping (None when it could not be read)."""
        return self._sources[name], self._roots[name]

    def source(self, name: str) -> Source:
        return self._sources[name]

    def root(self, name: str) -> LineMap | None:
        return self._roots[name]

    def top(self, name: str, required: Sequence[str], optional: Sequence[str] = ()) -> Obj | None:
        """The file's top-level mapping read against its keys (and its notes, which every file may
        carry); None when the file could not be read."""
        root = self._roots[name]
        return None if root is None else Obj.file(self._sources[name], root, required, optional)

    def get(self, section: Section[U]) -> U | None:
        """The value of a section this one needs; None when that section could not be read."""
        if section.name not in self._values:
            raise LookupError(f"section {section.name!r} is read after the section that needs it")
        return cast("U | None", self._values[section.name])


_REGISTERED: dict[str, Section[Any]] = {}
_discovered = False


def register(section: Section[T]) -> Section[T]:
    """Add a section to the pack (once per name; registering the same object again is harmless)."""
    known = _REGISTERED.get(section.name)
    if known is not None and known is not section:
        raise ValueError(f"policy pack section {section.name!r} is registered twice")
    _REGISTERED[section.name] = section
    return section


def discover() -> None:
    """Import `<app>.pack` for every installed Django app, so that each registers its section."""
    global _discovered
    if _discovered:
        return
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("pack")
    _discovered = True


def registered() -> tuple[Section[Any], ...]:
    """Every registered section, after discovering the installed apps' ones, in the order of the
    installed apps (whatever order their modules were imported in), so that problems are listed the
    same way every time."""
    discover()
    from django.apps import apps

    order = [config.name for config in apps.get_app_configs()]

    def rank(section: Section[Any]) -> int:
        module = getattr(section.read, "__module__", "") or ""
        found = [index for index, name in enumerate(order) if module == name or module.startswith(f"{name}.")]
        return found[0] if found else len(order)

    return tuple(sorted(_REGISTERED.values(), key=rank))


def in_order(sections: Iterable[Section[Any]]) -> list[Section[Any]]:
    """The sections in dependency order (a needed section first), otherwise as given; a needed
    section that is not among them is added before its reader."""
    ordered: list[Section[Any]] = []
    seen: set[str] = set()

    def visit(section: Section[Any], path: tuple[str, ...]) -> None:
        if section.name in seen:
            return
        if section.name in path:
            raise ValueError(f"policy pack sections need each other in a circle: {' → '.join(path)}")
        for needed in section.needs:
            visit(needed, (*path, section.name))
        seen.add(section.name)
        ordered.append(section)

    for section in sections:
        visit(section, ())
    return ordered
