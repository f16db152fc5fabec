"""Role rules that apps ask core.permissions instead of comparing `user.role` themselves."""

from __future__ import annotations

from yuanqu.core.models import User
from yuanqu.core.permissions import may_place, writes_within_park
from yuanqu.core.roles import Role


def test_only_a_park_operator_writes_within_its_park() -> None:
    assert {role for role in Role if writes_within_park(User(username="x", role=role))} == {Role.PARK_OPERATOR}
    assert not writes_within_park(None)


def test_a_park_operator_places_rows_by_its_park_alone() -> None:
    operator = User(username="p", role=Role.PARK_OPERATOR, park_id=7, district_id=None)
    assert may_place(operator, district_id=None, park_id=7)
    assert not may_place(operator, district_id=3, park_id=None)
