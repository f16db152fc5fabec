"""The page's language, for text that does not go through a catalogue: names from the policy pack
that carry an English name (`name_en`, `title_en`), shown in English on English pages."""

from __future__ import annotations

from django.utils.translation import get_language


def english() -> bool:
    """Whether the active language is English (Chinese is the default)."""
    return (get_language() or "").startswith("en")


def localised(name: str, name_en: str | None) -> str:
    """The English name when the page is in English and the pack gives one, else the Chinese."""
    return name_en if name_en and english() else name
