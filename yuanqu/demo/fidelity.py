"""Synthetic data for the statistics bureau's definitions in the demo: price indices, and a few rows
of dated history.

- 工业生产者出厂价格指数 for every industry division the demo's 规上 firms are in and every month the
  monthly reports cover (1–2月 on February): a division's month index (上年同月=100) drifts around a
  level of its own, and the 1–本月累计 index is the mean of the year's month indices so far, so the
  cockpit's comparable-price growth has indices for every demo month.
- Dated history written through the registry's history services (so each row is audited like a page's
  change): three firms move to another park (of their district where it has one) on 2025-07-01, two
  firms without monthly reports are 注销 on 2025-09-30 and one park becomes a provincial green park on
  2025-03-01, so the history pages and the indicators' 时点口径 have something to show.
Deterministic for a seed. Who calls this: the `demo` management command, after the registry's demo
data and before the indicators are computed."""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from yuanqu.registry.history import enterprise_state_change, park_state_change
from yuanqu.registry.models import Enterprise, Park, RegistrationStatus
from yuanqu.stats.models import ImportBatch, MonthlyStat, PriceIndex

PRICE_SOURCE = "示例数据：按统计局发布口径（上年同月=100、上年同期=100）生成，并非真实发布值"
MOVE_DAY = dt.date(2025, 7, 1)
CANCEL_DAY = dt.date(2025, 9, 30)
GREEN_DAY = dt.date(2025, 3, 1)
CENT = Decimal("0.01")


def _batch(kind: str, note: str) -> ImportBatch:
    return ImportBatch.objects.create(
        kind=kind, status=ImportBatch.Status.APPLIED, synthetic=True, note=note, file_name="示例数据"
    )


@transaction.atomic
def prices_demo_generate(*, seed: int) -> int:
    """Price indices for every (division, month) of the demo's monthly reports; answers the rows."""
    rng = random.Random(seed + 18)
    months = sorted(set(MonthlyStat.objects.filter(enterprise__synthetic=True).values_list("period", flat=True)))
    classes = MonthlyStat.objects.filter(enterprise__synthetic=True).values_list("enterprise__industry_id", flat=True)
    divisions = sorted({code[:3] for code in classes.distinct() if code})
    if not months or not divisions:
        return 0
    batch = _batch(ImportBatch.Kind.PRICE_INDEX, PRICE_SOURCE)
    rows: list[PriceIndex] = []
    for division in divisions:
        level = rng.uniform(96.5, 103.5)
        by_year: dict[int, list[float]] = {}
        for month in months:
            level += rng.gauss(0, 0.4)
            level = min(max(level, 92.0), 108.0)
            so_far = by_year.setdefault(month.year, [])
            # A 1–2月 report on February covers two months of index.
            so_far.extend([level] * (2 if month.month == 2 else 1))
            rows.append(
                PriceIndex(
                    division_id=division,
                    period=month,
                    month_index=Decimal(str(level)).quantize(CENT, ROUND_HALF_UP),
                    ytd_index=Decimal(str(sum(so_far) / len(so_far))).quantize(CENT, ROUND_HALF_UP),
                    source=PRICE_SOURCE,
                    batch=batch,
                )
            )
    PriceIndex.objects.bulk_create(rows, batch_size=2000)
    ImportBatch.objects.filter(pk=batch.pk).update(rows_total=len(rows), rows_ok=len(rows))
    return len(rows)


def history_demo_generate(*, seed: int) -> int:
    """A few dated changes through the registry's services; answers how many were recorded."""
    from yuanqu.intake.services import system_actor

    actor = system_actor("demo")
    rng = random.Random(seed + 19)
    recorded = 0
    parks = list(Park.objects.filter(synthetic=True).order_by("code"))
    movable = list(Enterprise.objects.filter(synthetic=True, park__isnull=False).order_by("uscc")[:400])
    moved = rng.sample(movable, min(3, len(movable))) if len(parks) > 1 else []
    for firm in moved:
        # Another park of the firm's district where there is one, else the next park of the city.
        others = [park for park in parks if park.pk != firm.park_id]
        target = next((park for park in others if park.district_id == firm.district_id), others[0])
        enterprise_state_change(
            actor=actor, enterprise=firm, valid_from=MOVE_DAY, park_id=target.pk, district_id=target.district_id
        )
        recorded += 1
    quiet = list(
        Enterprise.objects.filter(synthetic=True, park__isnull=False, monthly_stats__isnull=True)
        .exclude(pk__in=[firm.pk for firm in moved])
        .order_by("uscc")[:200]
    )
    for firm in rng.sample(quiet, min(2, len(quiet))):
        enterprise_state_change(
            actor=actor, enterprise=firm, valid_from=CANCEL_DAY, registration_status=RegistrationStatus.CANCELLED
        )
        recorded += 1
    plain = [park for park in parks if not park.green_level]
    if plain:
        park = rng.choice(plain)
        park_state_change(actor=actor, park=park, valid_from=GREEN_DAY, green_level=Park.GreenLevel.PROVINCIAL)
        recorded += 1
    return recorded


def prices_demo_clear() -> None:
    PriceIndex.objects.filter(batch__synthetic=True).delete()
