"""Who reads the 要素保障 registers: the city, a district (its own land and payments) and a park
operator (its park's); the 市财政局 (finance role) reads the award and subsidy ledger, the 产业基金
register and the overview, nothing else; other roles are refused with 403 before anything is read."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from yuanqu.core.roles import CITY_WIDE_ROLES, Role

READER_ROLES = CITY_WIDE_ROLES | {Role.DISTRICT, Role.PARK_OPERATOR}
NO_ACCESS = gettext_noop("您的角色没有要素保障页面的权限")
