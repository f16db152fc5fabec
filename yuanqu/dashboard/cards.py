"""The cockpit's cards on the 工作台 (core.workbench): the monthly data due and its status for a park,
the parks whose data is late for a district, the targets that concern the user with their status,
a park's latest evaluation rank, and for the city the plan's status in one card with what changed
in the last seven days."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from yuanqu.core.models import AuditLog, User
from yuanqu.core.roles import CITY_WIDE_ROLES, Role
from yuanqu.core.workbench import Card, CardItem, Figure
from yuanqu.dashboard.pack import dashboard_policy
from yuanqu.dashboard.selectors.cockpit import TargetTile, target_tiles
from yuanqu.dashboard.selectors.profile import latest_result
from yuanqu.indicators import catalogue
from yuanqu.indicators.models import Frequency, IndicatorCell
from yuanqu.registry.models import Park
from yuanqu.stats.models import ImportBatch
from yuanqu.targets.pack import TARGETS
from yuanqu.targets.selectors import target_rows

ITEMS = 8


def _status_tones() -> dict[str, str]:
    """The tone of each of the pack's target statuses. The pack lists them best first: the worse half
    asks for attention (the worst is late), the first one is met."""
    codes = [rule.code for rule in catalogue.policy_pack().section(TARGETS).status_rules.rules]
    tones = dict.fromkeys(codes[(len(codes) + 1) // 2 :], "due")
    if codes:
        tones[codes[0]] = "ok"
        tones[codes[-1]] = "late"
    return tones


def cards(user: User, today: dt.date) -> list[Card]:
    city = user.role in CITY_WIDE_ROLES or user.is_superuser
    if user.role == Role.PARK_OPERATOR and user.park is not None:
        return [_park_data(user, user.park, today), _targets(user, user.park.park_type), _rank(user, user.park)]
    if user.role == Role.DISTRICT:
        return [_late_parks(user, today), _targets(user, None)]
    if city:
        return [_plan(user, today)]
    return []


def _previous_month_end(today: dt.date) -> dt.date:
    return today.replace(day=1) - dt.timedelta(days=1)


def _month_label(day: dt.date | None) -> str:
    return _("%(year)d年%(month)d月") % {"year": day.year, "month": day.month} if day else _("尚无")


def _latest_months(parks: list[Park]) -> dict[int, dt.date]:
    rows = (
        IndicatorCell.objects.filter(park__in=parks, source="monthly", frequency=Frequency.MONTH)
        .values("park_id")
        .annotate(latest=Max("period"))
        .order_by()
    )
    return {row["park_id"]: row["latest"] for row in rows}


def _park_data(user: User, park: Park, today: dt.date) -> Card:
    """The month whose figures are due this month (the previous one), whether they are in, and this
    month's uploads with their status."""
    due = _previous_month_end(today)
    latest = _latest_months([park]).get(park.pk)
    done = latest is not None and latest >= due
    items = [
        CardItem(
            label=_("企业月度统计（规上）%(month)s") % {"month": _month_label(due)},
            url=reverse("intake:upload"),
            note=_("已报送")
            if done
            else (_("尚未报送；已有数据至 %(month)s") % {"month": _month_label(latest)} if latest else _("尚未报送")),
            tone="ok" if done else "due",
        )
    ]
    month_start = today.replace(day=1)
    batches = ImportBatch.objects.visible_to(user).filter(created_at__date__gte=month_start).order_by("-created_at")
    for batch in batches[: ITEMS - 1]:
        tones: dict[str, str] = {ImportBatch.Status.APPLIED: "ok", ImportBatch.Status.REJECTED: "late"}
        tone = tones.get(batch.status, "")
        items.append(
            CardItem(
                label=f"{gettext(batch.get_kind_display())} · {batch.file_name}",
                url=reverse("intake:batch_detail", args=[batch.pk]),
                note=_("%(day)s上传，%(status)s")
                % {
                    "day": timezone.localtime(batch.created_at).strftime("%m-%d"),
                    "status": gettext(batch.get_status_display()),
                },
                tone=tone,
            )
        )
    return Card(
        key="data-due",
        app="intake",
        title=_("本月应报数据"),
        items=items,
        more_url=reverse("intake:batch_list"),
        more_label=_("全部导入批次"),
        order=10,
    )


def _late_parks(user: User, today: dt.date) -> Card:
    """The district's parks whose monthly figures lag behind the pack's lateness limit."""
    parks = list(Park.objects.visible_to(user).order_by("code"))
    latest = _latest_months(parks)
    index = today.year * 12 + today.month - 1 - dashboard_policy().late_after_months
    threshold = dt.date(index // 12, index % 12 + 1, 1)
    late = [park for park in parks if latest.get(park.pk) is None or latest[park.pk] < threshold]
    items = [
        CardItem(
            label=park.name,
            url=reverse("dashboard:park_profile", args=[park.code]),
            note=_("月度数据最新至 %(month)s") % {"month": _month_label(latest.get(park.pk))},
            tone="late",
        )
        for park in late[:ITEMS]
    ]
    more = ""
    if user.district is not None:
        more = reverse("dashboard:district_profile", args=[user.district.code])
    return Card(
        key="late-parks",
        app="dashboard",
        title=_("数据滞后的园区"),
        figures=(Figure(_("园区"), len(parks)), Figure(_("数据滞后"), len(late), tone="late" if late else "")),
        items=items,
        empty=_("各园区的月度数据均已按时更新。"),
        more_url=more,
        more_label=_("本区园区档案"),
        order=10,
    )


def _tile_item(tile: TargetTile, tones: dict[str, str]) -> CardItem:
    progress = "—" if tile.progress is None else f"{tile.progress * 100:.0f}%"
    return CardItem(
        label=f"{tile.display_name}（{tile.scope_name}）",
        url=reverse("targets:detail", args=[tile.code]),
        note=_("%(status)s，完成 %(progress)s") % {"status": tile.status_name, "progress": progress},
        tone=tones.get(tile.status_code, ""),
    )


def _targets(user: User, park_type: str | None) -> Card:
    """The targets that concern the user: its park type's (and the city's) for a park; all of them,
    those needing attention first, for a district."""
    rows = target_rows(user)
    if park_type is not None:
        rows = [row for row in rows if row.target.scope in (park_type, "city")]
    tiles = target_tiles(rows)
    tones = _status_tones()
    tiles.sort(key=lambda tile: (tones.get(tile.status_code) not in ("late", "due"), tile.code))
    return Card(
        key="targets",
        app="targets",
        title=_("相关目标"),
        items=[_tile_item(tile, tones) for tile in tiles[:ITEMS]],
        empty=_("暂无目标数据。"),
        more_url=reverse("targets:board"),
        more_label=_("目标看板"),
        order=40,
    )


def _rank(user: User, park: Park) -> Card:
    result = latest_result(user, park)
    if result is None or result.rank is None:
        return Card(key="rank", app="evaluation", title=_("园区评价名次"), empty=_("尚无已完成的园区评价。"), order=45)
    run = result.run
    size = run.results.filter(park_type=result.park_type, included=True).count()
    return Card(
        key="rank",
        app="evaluation",
        title=_("园区评价名次"),
        figures=(
            Figure(_("%(year)s年度同类园区名次") % {"year": run.year}, f"{result.rank}/{size}"),
            Figure(_("综合得分"), f"{result.score:.1f}" if result.score is not None else "—"),
        ),
        more_url=reverse("evaluation:diagnosis", args=[run.pk, park.code]),
        more_label=_("诊断报告"),
        order=45,
    )


def _plan(user: User, today: dt.date) -> Card:
    """The plan in one card: how many targets stand at each status, the ones needing attention, and
    what was written in the last seven days (imports applied, records changed)."""
    tiles = target_tiles(target_rows(user))
    tones = _status_tones()
    counts = Counter((tile.status_code, tile.status_name) for tile in tiles)
    figures = [
        Figure(name, n, reverse("targets:board"), tones.get(code, ""))
        for (code, name), n in sorted(counts.items(), key=lambda item: -item[1])
    ]
    week_start = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=6), dt.time.min))
    imports = ImportBatch.objects.visible_to(user).filter(status=ImportBatch.Status.APPLIED, created_at__gte=week_start)
    changed = (AuditLog.Action.CREATE, AuditLog.Action.UPDATE, AuditLog.Action.DELETE)
    writes = AuditLog.objects.filter(created_at__gte=week_start, action__in=changed).count()
    figures.append(Figure(_("近7天写入的导入批次"), imports.count(), reverse("intake:batch_list")))
    figures.append(Figure(_("近7天的数据变更"), writes))
    attention = [tile for tile in tiles if tones.get(tile.status_code) in ("late", "due")]
    attention.sort(key=lambda tile: tones.get(tile.status_code) != "late")
    return Card(
        key="plan",
        app="dashboard",
        title=_("实施方案目标进展"),
        figures=figures,
        items=[_tile_item(tile, tones) for tile in attention[:ITEMS]],
        empty=_("所有目标均按进度推进。"),
        more_url=reverse("dashboard:cockpit"),
        more_label=_("驾驶舱"),
        order=10,
    )
