"""The list pages' one shape (core.listing): the page `?page=` asks for, and the spreadsheet on
`?export=xlsx` instead of the page."""

from __future__ import annotations

from django.test import RequestFactory

from yuanqu.core.listing import PER_PAGE, export_asked, page_of

ROWS = list(range(2 * PER_PAGE + 7))


def test_it_gives_the_page_asked_for() -> None:
    page = page_of(RequestFactory().get("/", {"page": "2"}), ROWS)
    assert page.number == 2 and list(page) == ROWS[PER_PAGE : 2 * PER_PAGE]


def test_it_gives_the_last_page_past_the_end_and_the_first_for_anything_else() -> None:
    assert page_of(RequestFactory().get("/", {"page": "99"}), ROWS).number == 3
    assert page_of(RequestFactory().get("/", {"page": "x"}), ROWS).number == 1
    assert page_of(RequestFactory().get("/"), ROWS, per_page=10).paginator.num_pages == 11


def test_only_export_xlsx_asks_for_the_spreadsheet() -> None:
    assert export_asked(RequestFactory().get("/", {"export": "xlsx"}))
    assert not export_asked(RequestFactory().get("/", {"export": "csv"}))
    assert not export_asked(RequestFactory().get("/"))
