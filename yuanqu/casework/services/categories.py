"""The categories from the policy pack and the holiday table from chinesecalendar."""

from __future__ import annotations

from django.db import transaction

from yuanqu.casework.models import (
    CaseKind,
    Category,
)
from yuanqu.casework.rules import rules
from yuanqu.core.audit import audit_record
from yuanqu.core.models import AuditLog, CalendarDay, CalendarYear, User
from yuanqu.registry.models import ResponsibleUnit


@transaction.atomic
def category_sync(*, actor: User | None = None) -> int:
    """Create or update the categories from the policy pack (casework.yaml). Idempotent; a category
    that left the pack is deactivated, never deleted (cases point at it)."""
    policy = rules()
    units = dict(ResponsibleUnit.objects.values_list("code", "pk"))
    seen = []
    for order, spec in enumerate(policy.categories):
        Category.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "name_en": spec.name_en[:100],
                "kind": spec.kind if spec.kind in CaseKind.values else CaseKind.REQUEST,
                "time_limit_days": spec.time_limit_days,
                "default_unit_id": units.get(spec.default_unit),
                "default_unit_code": spec.default_unit,
                "description": spec.description[:300],
                "materials": list(spec.materials),
                "questions": [question.as_json() for question in spec.questions],
                "active": True,
                "sort_order": order,
            },
        )
        seen.append(spec.code)
    Category.objects.exclude(code__in=seen).update(active=False)
    audit_record(
        actor=actor,
        action=AuditLog.Action.UPDATE,
        object_type="casework.Category",
        object_repr="诉求类别",
        after={"count": len(seen), "source": policy.source},
        detail="同步诉求类别",
    )
    return len(seen)


def calendar_seed_from_chinesecalendar(
    *, first_year: int | None = None, last_year: int | None = None
) -> dict[str, int]:
    """Fill the holiday table (core.CalendarDay/CalendarYear) from chinesecalendar for 2004–2026.
    Idempotent; rows admins added for other years are left alone, and so is a year an admin marked
    incomplete."""
    import chinese_calendar

    from yuanqu.core.workdays import CHINESE_CALENDAR_FIRST_YEAR, CHINESE_CALENDAR_LAST_YEAR, chinese_calendar_sets

    first = first_year or CHINESE_CALENDAR_FIRST_YEAR
    last = last_year or CHINESE_CALENDAR_LAST_YEAR
    holidays, workdays, years = chinese_calendar_sets(chinese_calendar, first, last)
    with transaction.atomic():
        existing = set(
            CalendarDay.objects.filter(date__year__gte=first, date__year__lte=last).values_list("date", flat=True)
        )
        fresh = [
            CalendarDay(date=day, kind=CalendarDay.Kind.HOLIDAY, name=name)
            for day, name in holidays.items()
            if day not in existing
        ]
        fresh += [
            CalendarDay(date=day, kind=CalendarDay.Kind.WORKDAY, name=name)
            for day, name in workdays.items()
            if day not in existing
        ]
        CalendarDay.objects.bulk_create(fresh, batch_size=500)
        known = set(CalendarYear.objects.values_list("year", flat=True))
        CalendarYear.objects.bulk_create(
            [
                CalendarYear(year=year, source=f"chinesecalendar {chinese_calendar.__version__}")
                for year in sorted(years)
                if year not in known
            ]
        )
    return {"days": len(fresh), "years": len(years - known)}
