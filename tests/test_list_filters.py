"""A list's filters are read from the query string by one rule (`core.listing.filters_from_query`):
each field from the parameter of its name, text stripped and cut to 60 characters, a flag on for 1,
true or on, a missing or empty parameter no filter — for the park, enterprise and case lists alike,
on the page, in the API and in an export's stored parameters."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict

from yuanqu.casework.selectors import CaseFilters
from yuanqu.core.listing import FILTER_LENGTH, filters_from_query
from yuanqu.registry.selectors import EnterpriseFilters, ParkFilters


@dataclass(frozen=True)
class Chosen:
    status: str = ""
    overdue: bool = False
    q: str = ""


def test_a_filter_is_read_stripped_cut_and_a_flag_on_only_when_ticked() -> None:
    query = QueryDict(f"status=+open+&overdue=on&q={'区' * 70}")
    assert filters_from_query(Chosen, query) == Chosen(status="open", overdue=True, q="区" * FILTER_LENGTH)
    assert filters_from_query(Chosen, {"status": None, "overdue": "0"}) == Chosen()
    assert filters_from_query(Chosen, QueryDict("state=done"), names={"status": "state"}) == Chosen(status="done")


def test_the_park_enterprise_and_case_lists_read_their_filters_by_the_one_rule() -> None:
    assert ParkFilters.from_query(QueryDict("type=+industrial+&district=420115+")) == ParkFilters(
        park_type="industrial", district="420115"
    )
    assert EnterpriseFilters.from_query(QueryDict("industry=+c26&park=P01+")) == EnterpriseFilters(
        park="P01", industry="C26"
    )
    assert CaseFilters.from_query(QueryDict("overdue=1&repeat=true&uncovered=no&unit=+U1")) == CaseFilters(
        unit="U1", overdue=True, repeat=True
    )
