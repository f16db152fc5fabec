"""The nightly data-freshness check: each district whose monthly data is late by the cockpit's own
rule (`selectors.freshness`, the pack's dashboard.yaml `late_after_months`) gets a notice to its
district users, at most once per user and calendar month while the data stays late.
Called by `yuanqu data_freshness_check`."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from yuanqu.core.models import User
from yuanqu.core.roles import Role
from yuanqu.dashboard.pack import dashboard_policy
from yuanqu.dashboard.selectors import freshness
from yuanqu.notifications import services as centre
from yuanqu.registry.models import District

KIND = "data_late"
centre.kinds_register({KIND: gettext_noop("数据：月度数据滞后")})


def freshness_notify(*, today: dt.date | None = None) -> int:
    """Notices sent (none for a district that is up to date, none twice in a month)."""
    today = today or timezone.localdate()
    sent = 0
    users_by_district: dict[int, list[User]] = {}
    for user in User.objects.filter(is_active=True, role=Role.DISTRICT, district__isnull=False).order_by("pk"):
        assert user.district_id is not None
        users_by_district.setdefault(user.district_id, []).append(user)
    for district in District.objects.filter(pk__in=users_by_district).order_by("code"):
        users = users_by_district[district.pk]
        (row,) = freshness(users[0], [district], today)
        if not row.late:
            continue
        until = f"{row.monthly_until:%Y年%m月}" if row.monthly_until else "尚无月度数据"
        title = f"{district.name}月度数据滞后：最新至{until}"
        body = f"月度统计数据晚于 {dashboard_policy().late_after_months} 个月即视为滞后，请督促辖区园区企业报送并导入。"
        for user in users:
            sent += len(
                centre.notification_send(
                    recipients=[user],
                    kind=KIND,
                    title=title,
                    body=body,
                    link=reverse("intake:batch_list"),
                    key=f"data-late:{today:%Y-%m}:{district.code}:{user.pk}",
                )
            )
    return sent
