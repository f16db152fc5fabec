"""Our scripts build HTML from data only through the one escape (static/js/escape.js, loaded by
base.html): a script that writes markup in a string or through innerHTML uses yuanqu.escapeHTML, and
every page has the escape before its own scripts. The browser test (tests/browser/test_hostile_names.py)
shows a hostile park name staying text in the map tooltips."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ESCAPE = ROOT / "static" / "js" / "escape.js"
# A string literal holding an HTML tag ("<br>", '<b>'), or a DOM property that parses HTML.
BUILDS_HTML = re.compile(r"""["']<[a-zA-Z/][^"']*["']|\binnerHTML\b|\bouterHTML\b|insertAdjacentHTML""")


def _scripts() -> list[Path]:
    return sorted(path for path in ROOT.rglob("static/**/*.js") if "static_vendor" not in path.parts and path != ESCAPE)


def test_every_script_that_builds_html_escapes_through_the_shared_helper() -> None:
    building = [path for path in _scripts() if BUILDS_HTML.search(path.read_text(encoding="utf-8"))]
    assert {path.name for path in building} >= {"park-map.js", "cockpit.js", "ranking.js", "board.js"}
    for path in building:
        text = path.read_text(encoding="utf-8")
        assert "window.yuanqu.escapeHTML" in text, f"{path.relative_to(ROOT)} builds HTML without escapeHTML"
        assert not re.search(r"\b(innerHTML|outerHTML)\s*=", text), f"{path.relative_to(ROOT)} assigns HTML"


def test_each_tooltip_line_escapes_what_it_joins() -> None:
    """In a line that joins markup ("<br>"), every part between the tags is an esc(…) call."""
    for path in _scripts():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if '"<br>"' not in line:
                continue
            parts = [part.strip(" +;") for part in re.split(r'"<br>"', line.split("return", 1)[-1])]
            for part in parts:
                if not part or part.startswith("//"):
                    continue
                assert part.startswith(("esc(", '" · " +')) or re.fullmatch(
                    r'(esc\(.*\)|"[^"<>]*")(\s*\+\s*(esc\(.*\)|"[^"<>]*"))*', part
                ), f"{path.relative_to(ROOT)}:{number}: {part!r} is not escaped"


def test_the_escape_is_loaded_by_the_base_template_before_page_scripts() -> None:
    base = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    assert "{% static 'js/escape.js' %}" in base
    assert base.index("js/escape.js") < base.index("{% block scripts %}")
    assert "escape.js' %}\" defer" not in base  # runs before the page's own scripts


def test_the_escape_replaces_every_markup_character() -> None:
    text = ESCAPE.read_text(encoding="utf-8")
    for char, entity in {"&": "&amp;", "<": "&lt;", ">": "&gt;", '\\"': "&quot;", "'": "&#39;"}.items():
        assert f'"{char}": "{entity}"' in text
