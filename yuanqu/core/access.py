"""Access scoping in one place.

Every scoped model's manager is built from `ScopedQuerySet`; `visible_to(user)` is the only way
selectors, views, the API and exports read scoped rows. The rules shared by all models live here
(anonymous and inactive users see nothing; city-wide roles see everything); each model states only
its own scope as a `Q` in `scope_q`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404

from yuanqu.core.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from yuanqu.core.models import User

M = TypeVar("M", bound=models.Model)


def active_user(user: User | AnonymousUser | None) -> User | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return user  # type: ignore[return-value]


class ScopedQuerySet(models.QuerySet[M]):
    def scope_q(self, user: User) -> models.Q | None:
        """The rows a user with a scoped role may see; None means none. Models override this."""
        return None

    def visible_to(self, user: User | AnonymousUser | None) -> Self:
        member = active_user(user)
        if member is None:
            return self.none()
        if member.is_city_wide:
            return self
        condition = self.scope_q(member)
        if condition is None:
            return self.none()
        return self.filter(condition)


def own_scope(
    user: User, *, district: str | None = None, park: str | None = None, enterprise: str | None = None
) -> models.Q | None:
    """The rows of a district user's district, a park operator's park or an enterprise user's own
    enterprise, reached through the lookup given for that role (e.g. `district="enterprise__district_id"`);
    None for another role, a role without a lookup here, or a user without the scope the role needs."""
    for role, lookup, scope_id in (
        (Role.DISTRICT, district, user.district_id),
        (Role.PARK_OPERATOR, park, user.park_id),
        (Role.ENTERPRISE, enterprise, user.enterprise_id),
    ):
        if user.role == role:
            return models.Q(**{lookup: scope_id}) if lookup is not None and scope_id is not None else None
    return None


def get_visible_or_404(queryset: ScopedQuerySet[M], user: User | AnonymousUser | None, **lookup: Any) -> M:
    """The object if the user may see it; otherwise 404, exactly as if it did not exist."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except (ObjectDoesNotExist, ValueError) as exc:
        raise Http404("对象不存在或不在您的权限范围内") from exc


Q_ = TypeVar("Q_", bound=models.QuerySet[Any])


def filtered(queryset: Q_, lookups: dict[str, object]) -> Q_:
    """A list's rows narrowed by the filters a user chose: each lookup whose value is empty ("",
    None, False: the filter left unset) is no filter. Every list page and its API share it."""
    chosen = {lookup: value for lookup, value in lookups.items() if value}
    return queryset.filter(**chosen) if chosen else queryset
