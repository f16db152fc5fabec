"""The platform's roles (DESIGN.md, Access) and which scope object each role carries. No model
import here, so that every layer may use it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("市级管理员")
    CITY_VIEWER = "city_viewer", _("市级查看")
    DISTRICT = "district", _("区级用户")
    PARK_OPERATOR = "park_operator", _("园区运营")
    ENTERPRISE = "enterprise", _("企业用户")
    HANDLER = "handler", _("责任单位办理人")
    AUDITOR = "auditor", _("审计员")
    SYSADMIN = "sysadmin", _("系统管理员")
    # A person who registered on 人才直通车 (issue 16): no scope object; sees only their own data.
    TALENT = "talent", _("人才用户")
    # The 市财政局 (issue 17): no scope object; reads the award and subsidy ledger and the 产业基金
    # register of the whole city, nothing else.
    FINANCE = "finance", _("市财政局")


# Roles that read the whole city's registry and statistics.
CITY_WIDE_ROLES = frozenset({Role.CITY_ADMIN, Role.CITY_VIEWER, Role.SYSADMIN})
# Roles that may write registry data (each within its own scope).
REGISTRY_WRITER_ROLES = frozenset({Role.CITY_ADMIN, Role.SYSADMIN, Role.DISTRICT, Role.PARK_OPERATOR})
# Roles that read the audit log.
AUDIT_READER_ROLES = frozenset({Role.AUDITOR, Role.SYSADMIN})
# The scope object each scoped role must carry.
REQUIRED_SCOPE = {
    Role.DISTRICT: "district",
    Role.PARK_OPERATOR: "park",
    Role.ENTERPRISE: "enterprise",
    Role.HANDLER: "unit",
}

# The roles that keep the holiday table (平台管理 → 节假日安排/节假日年度): they see its warning on every page.
HOLIDAY_TABLE_KEEPERS = frozenset({Role.CITY_ADMIN, Role.SYSADMIN})
