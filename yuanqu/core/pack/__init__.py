"""The policy pack: one reader for every file, sections owned by their apps.

- `lines` parses YAML with line numbers; `reader` reads a mapping against its schema (`Obj`,
  `Source`, `Ref`); `messages` is the one catalogue of the reader's messages; `errors` holds
  `PackProblem` and `PolicyPackError`.
- `sections`: each app declares a `Section` in `<app>/pack.py` and registers it; the installed apps'
  `pack` modules are discovered like the admin's.
- `loaded`: `load_pack`, `check_pack`, `pack_hash`, the `PolicyPack` and the cached `installed_pack()`.

See docs/architecture.md, "The policy pack"."""

from __future__ import annotations

from yuanqu.core.pack import messages
from yuanqu.core.pack.errors import PackProblem, PolicyPackError
from yuanqu.core.pack.lines import LineMap, LineSeq, describe, read_yaml_file
from yuanqu.core.pack.loaded import (
    DEFAULT_INDUSTRY_CSV,
    HEAD_FILE,
    PackHead,
    PackSource,
    PolicyPack,
    check_pack,
    installed_pack,
    installed_pack_dir,
    installed_pack_forget,
    load_industry_classes,
    load_pack,
    pack_files,
    pack_hash,
)
from yuanqu.core.pack.reader import (
    CODE_RE,
    HAN_RE,
    Obj,
    Ref,
    Source,
    by_code,
    check_numbering,
    check_refs,
    check_unique,
    choice,
    is_empty_list,
)
from yuanqu.core.pack.sections import Section, SectionContext, register

__all__ = [
    "CODE_RE",
    "DEFAULT_INDUSTRY_CSV",
    "HAN_RE",
    "HEAD_FILE",
    "LineMap",
    "LineSeq",
    "Obj",
    "PackHead",
    "PackProblem",
    "PackSource",
    "PolicyPack",
    "PolicyPackError",
    "Ref",
    "Section",
    "SectionContext",
    "Source",
    "by_code",
    "check_numbering",
    "check_pack",
    "check_refs",
    "check_unique",
    "choice",
    "describe",
    "installed_pack",
    "installed_pack_dir",
    "installed_pack_forget",
    "is_empty_list",
    "load_industry_classes",
    "load_pack",
    "messages",
    "pack_files",
    "pack_hash",
    "read_yaml_file",
    "register",
]
