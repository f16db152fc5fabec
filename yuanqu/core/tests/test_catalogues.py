"""The English catalogues: the platform's (yuanqu/locale) and one per app (yuanqu/<app>/locale).
Each app catalogue is complete, none is fuzzy, every committed .mo holds what its .po says, and no
Chinese text is translated two ways: Django merges the catalogues (LOCALE_PATHS first, then the apps
in INSTALLED_APPS order), so a second translation of the same text would silently lose."""

from __future__ import annotations

import gettext as gnu_gettext
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR) / "yuanqu"
PLATFORM = ROOT / "locale" / "en" / "LC_MESSAGES"
APPS = sorted(path.parent for path in ROOT.glob("*/locale/en/LC_MESSAGES/django.po"))
HAN = re.compile(r"[\u3400-\u9fff]")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sd]|\{\w*\}")


@dataclass(frozen=True)
class Entry:
    context: str | None
    msgid: str
    plural: str | None
    translations: tuple[str, ...]  # msgstr, or msgstr[0], msgstr[1], …
    fuzzy: bool


def _unquote(parts: list[str]) -> str:
    raw = "".join(part.strip()[1:-1] for part in parts)
    return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), raw)


def entries(po: Path) -> Iterator[Entry]:
    """The live entries of a .po file, header and obsolete (#~) entries excluded."""
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, list[str]] = {}
        current = ""
        fuzzy = False
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            elif re.match(r"(msgctxt|msgid|msgid_plural|msgstr(\[\d+\])?) ", line):
                current, _, value = line.partition(" ")
                fields[current] = [value]
            elif line.startswith('"') and current:
                fields[current].append(line)
        if "msgid" not in fields or not _unquote(fields["msgid"]):
            continue
        plural = _unquote(fields["msgid_plural"]) if "msgid_plural" in fields else None
        keys = sorted(key for key in fields if key.startswith("msgstr"))
        yield Entry(
            _unquote(fields["msgctxt"]) if "msgctxt" in fields else None,
            _unquote(fields["msgid"]),
            plural,
            tuple(_unquote(fields[key]) for key in keys),
            fuzzy,
        )


def compiled(directory: Path) -> gnu_gettext.GNUTranslations:
    with (directory / "django.mo").open("rb") as handle:
        return gnu_gettext.GNUTranslations(handle)


def test_every_app_has_its_catalogue() -> None:
    names = {path.parents[2].name for path in APPS}
    assert {"casework", "dashboard", "evaluation", "indicators", "intake", "targets"} <= names


@pytest.mark.parametrize("directory", APPS, ids=[path.parents[2].name for path in APPS])
def test_an_app_catalogue_is_complete_and_compiled(directory: Path) -> None:
    mo = compiled(directory)
    found = list(entries(directory / "django.po"))
    assert found
    for entry in found:
        shown = f"{entry.context}|{entry.msgid}" if entry.context else entry.msgid
        assert not entry.fuzzy, f"fuzzy: {shown!r}"
        assert all(entry.translations), f"untranslated: {shown!r}"
        assert not any(HAN.search(text) for text in entry.translations), f"Chinese left in: {shown!r}"
        for text in entry.translations:
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(entry.msgid)), f"placeholders: {shown!r}"
        if entry.plural is None:
            got = mo.pgettext(entry.context, entry.msgid) if entry.context else mo.gettext(entry.msgid)
            assert got == entry.translations[0], f"django.mo is stale for {shown!r}: run msgfmt"
        else:
            for count, text in ((1, entry.translations[0]), (2, entry.translations[-1])):
                got = (
                    mo.npgettext(entry.context, entry.msgid, entry.plural, count)
                    if entry.context
                    else mo.ngettext(entry.msgid, entry.plural, count)
                )
                assert got == text, f"django.mo is stale for {shown!r}: run msgfmt"


def test_no_text_is_translated_two_ways() -> None:
    seen: dict[tuple[str | None, str], dict[tuple[str, ...], list[str]]] = defaultdict(lambda: defaultdict(list))
    for directory in [PLATFORM, *APPS]:
        name = "platform" if directory == PLATFORM else directory.parents[2].name
        for entry in entries(directory / "django.po"):
            if all(entry.translations):
                seen[(entry.context, entry.msgid)][entry.translations].append(name)
    clashes = {key: dict(ways) for key, ways in seen.items() if len(ways) > 1}
    assert not clashes, "\n".join(f"{key}: {ways}" for key, ways in clashes.items())
