"""The one rule behind most models' scope: a district user sees its district's rows, a park operator
its park's, an enterprise user its enterprise's, each reached through the model's own lookup; a role
without a lookup, or a user without the scope its role needs, sees nothing."""

from __future__ import annotations

from django.db.models import Q

from yuanqu.core.access import own_scope
from yuanqu.core.models import User
from yuanqu.core.roles import Role


def test_it_scopes_each_role_through_the_lookup_given_for_it() -> None:
    lookups = {"district": "enterprise__district_id", "park": "enterprise__park_id", "enterprise": "enterprise_id"}
    assert own_scope(User(role=Role.DISTRICT, district_id=3), **lookups) == Q(enterprise__district_id=3)
    assert own_scope(User(role=Role.PARK_OPERATOR, park_id=5), **lookups) == Q(enterprise__park_id=5)
    assert own_scope(User(role=Role.ENTERPRISE, enterprise_id=7), **lookups) == Q(enterprise_id=7)


def test_a_role_without_a_lookup_sees_nothing() -> None:
    assert own_scope(User(role=Role.ENTERPRISE, enterprise_id=7), district="district_id", park="park_id") is None
    assert own_scope(User(role=Role.HANDLER), district="district_id", park="park_id", enterprise="pk") is None


def test_a_user_without_the_scope_its_role_needs_sees_nothing() -> None:
    assert own_scope(User(role=Role.DISTRICT, district_id=None), district="district_id") is None
    assert own_scope(User(role=Role.PARK_OPERATOR, park_id=None), park="park_id") is None
