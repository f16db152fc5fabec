"""The loaded policy pack: its head (pack.yaml), the value of every registered section, and a
fingerprint of its files; loading, checking and the cached installed pack.

`load_pack(path)` reads every file of every section and returns a `PolicyPack`, or raises
`PolicyPackError` listing every problem as `file:line: message`; `check_pack(path)` returns the
problems without raising. `installed_pack()` is the pack of `settings.POLICY_PACK_DIR`, loaded once
and again only when one of its files changes. A section's value is `pack.section(SECTION)`, typed by
the section (e.g. `pack.section(CASEWORK).categories`)."""

from __future__ import annotations

import csv
import hashlib
import os
import re
import stat
import threading
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from yuanqu.core.pack import messages
from yuanqu.core.pack.errors import PackProblem, PolicyPackError
from yuanqu.core.pack.lines import LineMap, read_yaml_file
from yuanqu.core.pack.reader import Obj, Source
from yuanqu.core.pack.sections import Section, SectionContext, in_order, registered

T = TypeVar("T")

HEAD_FILE = "pack.yaml"
DEFAULT_INDUSTRY_CSV = Path(__file__).resolve().parents[2] / "reference_data" / "gbt4754-2017.csv"
_REGION_CODE_RE = re.compile(r"\d{6}\Z")


@dataclass(frozen=True, slots=True)
class PackSource:
    title: str
    document: str
    validity: str | None


@dataclass(frozen=True, slots=True)
class PackHead:
    """pack.yaml: which plan this is, its period and its source document."""

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
    region_en: str = ""  # optional English name of the region, shown on English pages
    # Optional: the platform's name in every page's title and header, the plan's issuer and English
    # name for the footer, and the district basemap (a GeoJSON file of the pack) that outlines the
    # region: parks and coordinates must lie inside it, and the maps draw it.
    platform: str = ""
    platform_en: str = ""
    issuer: str = ""
    issuer_en: str = ""
    name_en: str = ""
    basemap: str = ""
    districts: str = ""  # the region's districts and zones (a CSV file of the pack: code,name,kind,note)


class _FromHead(Generic[T]):
    """A field of pack.yaml read through the pack: `pack.code` is `pack.head.code`."""

    def __set_name__(self, owner: type[object], name: str) -> None:
        self.name = name

    def __get__(self, pack: PolicyPack, owner: type[object] | None = None) -> T:
        return cast("T", getattr(pack.head, self.name))


@dataclass(frozen=True, eq=False)
class PolicyPack:
    """A loaded, valid pack. The head's fields are attributes (read through to `head`); each app reads
    its own section with `section(SECTION)`. `content_hash` fingerprints the files (see `pack_hash`)."""

    head: PackHead
    sections: Mapping[str, object] = field(repr=False)
    content_hash: str

    def section(self, section: Section[T]) -> T:
        return cast("T", self.sections[section.name])

    code = _FromHead[str]()
    name = _FromHead[str]()
    short_name = _FromHead[str | None]()
    version = _FromHead[str]()
    status = _FromHead[str]()
    region = _FromHead[str | None]()
    region_en = _FromHead[str]()
    region_code = _FromHead[str | None]()
    source = _FromHead[PackSource]()
    baseline_year = _FromHead[int]()
    period_start = _FromHead[date]()
    period_end = _FromHead[date]()
    notes = _FromHead[tuple[str, ...]]()


def load_industry_classes(csv_path: Path = DEFAULT_INDUSTRY_CSV) -> frozenset[str]:
    """The GB/T 4754-2017 小类 codes (level "class") of the reference CSV."""
    with csv_path.open(encoding="utf-8", newline="") as handle:
        return frozenset(row["code"] for row in csv.DictReader(handle) if row["level"] == "class")


def load_pack(
    path: Path,
    *,
    industry_classes: Collection[str] | None = None,
    sections: Iterable[Section[Any]] | None = None,
) -> PolicyPack:
    """Load and validate the pack in directory `path`; raise PolicyPackError on any problem.
    `sections` defaults to every registered section."""
    pack, problems = _read_pack(Path(path), industry_classes, sections)
    if problems or pack is None:
        raise PolicyPackError(Path(path), problems)
    return pack


def check_pack(
    path: Path,
    *,
    industry_classes: Collection[str] | None = None,
    sections: Iterable[Section[Any]] | None = None,
) -> list[PackProblem]:
    """Every problem of the pack in `path`, in file order then line order; empty when it is valid."""
    return _read_pack(Path(path), industry_classes, sections)[1]


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


def pack_files(sections: Iterable[Section[Any]] | None = None) -> tuple[str, ...]:
    """The files a pack consists of: pack.yaml, then each section's files in reading order."""
    chosen = in_order(registered() if sections is None else sections)
    return tuple(dict.fromkeys((HEAD_FILE, *(name for section in chosen for name in section.files))))


def _read_pack(
    path: Path,
    industry_classes: Collection[str] | None,
    sections: Iterable[Section[Any]] | None,
) -> tuple[PolicyPack | None, list[PackProblem]]:
    problems: list[PackProblem] = []
    if not path.is_dir():
        problems.append(PackProblem(str(path), 0, messages.PACK_DIR_MISSING))
        return None, problems
    chosen = in_order(registered() if sections is None else sections)
    files = pack_files(chosen)
    sources = {name: Source(name, problems) for name in files}
    roots: dict[str, LineMap | None] = {name: read_yaml_file(path / name, sources[name].add) for name in files}
    head = _read_head(sources[HEAD_FILE], roots[HEAD_FILE], path)
    values: dict[str, object] = {}
    context = SectionContext(
        path=path,
        sources=sources,
        roots=roots,
        head=head,
        values=values,
        industry_classes=load_industry_classes() if industry_classes is None else industry_classes,
    )
    for section in chosen:
        values[section.name] = section.read(context)

    order = {name: index for index, name in enumerate(files)}
    problems.sort(key=lambda p: (order.get(p.file, -1), p.line))
    if problems or head is None or any(value is None for value in values.values()):
        return None, problems
    return PolicyPack(head=head, sections=dict(values), content_hash=pack_hash(path)), []


def _read_head(src: Source, root: LineMap | None, path: Path) -> PackHead | None:
    if root is None:
        return None
    obj = Obj(
        src,
        root,
        "",
        ("code", "name", "version", "status", "source", "baseline_year", "period_start", "period_end"),
        (
            "short_name",
            "region",
            "region_en",
            "region_code",
            "notes",
            "platform",
            "platform_en",
            "issuer",
            "issuer_en",
            "name_en",
            "basemap",
            "districts",
        ),
    )
    source_map = obj.mapping("source")
    source = PackSource("", "", None)
    if source_map is not None:
        source_obj = Obj(src, source_map, "来源", ("title", "document"), ("validity",))
        source = PackSource(source_obj.text("title"), source_obj.text("document"), source_obj.opt_text("validity"))
    region_code = obj.opt_text("region_code")
    if region_code and not _REGION_CODE_RE.match(region_code):
        obj.error("region_code", f"应为6位行政区划代码，实际为“{region_code}”")
    start, end = obj.day("period_start"), obj.day("period_end")
    if start != date.min and end != date.min and end <= start:
        obj.error("period_end", f"应晚于开始日期 {start.isoformat()}")
    return PackHead(
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
        region_en=obj.english("region_en"),
        platform=obj.opt_text("platform") or "",
        platform_en=obj.english("platform_en"),
        issuer=obj.opt_text("issuer") or "",
        issuer_en=obj.english("issuer_en"),
        name_en=obj.english("name_en"),
        basemap=_own_file(obj, path, "basemap"),
        districts=_own_file(obj, path, "districts"),
    )


def _own_file(obj: Obj, path: Path, key: str) -> str:
    """The name of a data file the head names (basemap, districts): a file of the pack's own directory."""
    name = obj.opt_text(key) or ""
    if name and (Path(name).name != name or not (path / name).is_file()):
        obj.error(key, messages.OWN_FILE_MISSING.format(name=name))
    return name


# ── the installed pack ─────────────────────────────────────────────────────────────────────


def _file_stamp(path: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, modification time and size of each YAML file of the pack: one stat call per file per use
    instead of hashing every file, and still a fresh load as soon as a file changes. (os.walk and one
    stat a file: a third of what Path.rglob with two stats a file cost, on every page.)"""
    if not path.is_dir():
        return ()
    root = os.path.join(str(path), "")
    found: list[tuple[str, int, int]] = []
    for folder, _folders, names in os.walk(root, followlinks=True):
        for name in names:
            if not name.endswith((".yaml", ".yml")):
                continue
            full = os.path.join(folder, name)
            try:
                status = os.stat(full)
            except OSError:  # a dangling link: not a file of the pack
                continue
            if stat.S_ISREG(status.st_mode):
                relative = full[len(root) :].replace(os.sep, "/")
                found.append((relative, status.st_mtime_ns, status.st_size))
    return tuple(sorted(found))


@lru_cache(maxsize=4)
def _load_cached(path: str, stamp: tuple[tuple[str, int, int], ...]) -> PolicyPack:
    return load_pack(Path(path))


def installed_pack_dir() -> Path:
    from django.conf import settings

    return Path(settings.POLICY_PACK_DIR)


# The pack a request has used, kept until the request ends: a page asks for the pack dozens of times
# (every indicator name, unit and rule), and each ask would otherwise list and stat its files again.
# Outside a request (commands, jobs, tests) every ask looks at the files.
_request = threading.local()


def installed_pack() -> PolicyPack:
    """The pack of settings.POLICY_PACK_DIR, loaded once per content of its files (looked at once per
    request); raises PolicyPackError when it is broken (and the start-up check has already refused
    it)."""
    kept: PolicyPack | None = getattr(_request, "pack", None)
    if kept is not None:
        return kept
    path = installed_pack_dir()
    pack = _load_cached(str(path), _file_stamp(path))
    if getattr(_request, "active", False):
        _request.pack = pack
    return pack


def installed_pack_forget() -> None:
    """Forget the loaded packs (tests that rewrite a pack in place within one clock tick, and a page
    that has just rewritten it)."""
    _request.pack = None
    _load_cached.cache_clear()


def request_started(**kwargs: Any) -> None:
    _request.active = True
    _request.pack = None


def request_finished(**kwargs: Any) -> None:
    _request.active = False
    _request.pack = None
