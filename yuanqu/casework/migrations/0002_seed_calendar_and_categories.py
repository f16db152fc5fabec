"""Seed the holiday table from chinesecalendar (2004–2026) and the categories from the policy pack,
so that a fresh database computes deadlines and takes requests without a manual step. Both are
idempotent; `yuanqu calendar_seed` and `yuanqu casework_setup` do the same later."""

from django.db import migrations


def seed(apps, schema_editor):
    import chinese_calendar

    from yuanqu.casework.rules import load_rules
    from yuanqu.core.workdays import chinese_calendar_sets

    CalendarDay = apps.get_model("core", "CalendarDay")
    CalendarYear = apps.get_model("core", "CalendarYear")
    Category = apps.get_model("casework", "Category")
    ResponsibleUnit = apps.get_model("registry", "ResponsibleUnit")

    holidays, workdays, years = chinese_calendar_sets(chinese_calendar)
    existing = set(CalendarDay.objects.values_list("date", flat=True))
    rows = [CalendarDay(date=d, kind="holiday", name=n) for d, n in holidays.items() if d not in existing]
    rows += [CalendarDay(date=d, kind="workday", name=n) for d, n in workdays.items() if d not in existing]
    CalendarDay.objects.bulk_create(rows, batch_size=500)
    known = set(CalendarYear.objects.values_list("year", flat=True))
    CalendarYear.objects.bulk_create(
        [
            CalendarYear(year=y, source=f"chinesecalendar {chinese_calendar.__version__}")
            for y in sorted(years)
            if y not in known
        ]
    )

    units = dict(ResponsibleUnit.objects.values_list("code", "pk"))
    for order, spec in enumerate(load_rules().categories):
        Category.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "kind": spec.kind,
                "time_limit_days": spec.time_limit_days,
                "default_unit_id": units.get(spec.default_unit),
                "default_unit_code": spec.default_unit,
                "description": spec.description[:300],
                "materials": list(spec.materials),
                "questions": list(spec.questions),
                "active": True,
                "sort_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0001_initial"),
        ("core", "0002_calendar"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
