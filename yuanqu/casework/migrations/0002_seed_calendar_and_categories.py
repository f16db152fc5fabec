"""Seed the holiday table from chinesecalendar (2004–2026) and the categories from the policy pack,
so that a fresh database computes deadlines and takes requests without a manual step. Both are
idempotent; `yuanqu calendar_seed` and `yuanqu casework_setup` do the same later.

Self-contained: the calendar reading and the categories' reading of casework.yaml are this
migration's own copies (of `core.workdays.chinese_calendar_sets` and the casework rules as they
were when it was written), so that later changes to the application cannot change what it does.
Without a readable casework.yaml no category is seeded (`yuanqu casework_setup` adds them)."""

from pathlib import Path

import yaml
from django.conf import settings
from django.db import migrations

FIRST_YEAR = 2004
LAST_YEAR = 2026

FESTIVAL_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def festival_name(name):
    text = str(getattr(name, "value", name) or "")
    return FESTIVAL_NAMES.get(text, text)[:30]


def chinese_calendar_sets(module):
    """Holidays on a weekday and worked weekend days, each with the festival's name in Chinese."""
    holidays = {}
    workdays = {}
    for day, name in module.holidays.items():
        if FIRST_YEAR <= day.year <= LAST_YEAR and day.weekday() < 5:
            holidays[day] = festival_name(name)
    for day, name in module.workdays.items():
        if FIRST_YEAR <= day.year <= LAST_YEAR and day.weekday() >= 5:
            workdays[day] = festival_name(name)
    return holidays, workdays, frozenset(range(FIRST_YEAR, LAST_YEAR + 1))


def _limit(value, default):
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else default


def pack_categories():
    """The categories of the pack's casework.yaml as dicts (code, name, name_en, kind, time limit,
    default unit, description, materials, questions); [] when the file cannot be read."""
    try:
        data = yaml.safe_load((Path(settings.POLICY_PACK_DIR) / "casework.yaml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []
    if not isinstance(data, dict):
        return []
    found = []
    for item in data.get("categories") or []:
        if not isinstance(item, dict) or not item.get("code") or not item.get("name"):
            continue
        found.append(
            {
                "code": str(item["code"]),
                "name": str(item["name"]),
                "name_en": str(item.get("name_en") or ""),
                "kind": str(item.get("kind", "request")),
                "time_limit_days": _limit(item.get("time_limit_days"), 10),
                "default_unit": str(item.get("default_unit") or ""),
                "description": str(item.get("description") or ""),
                "materials": [str(m) for m in item.get("materials") or []],
                "questions": [
                    {
                        "code": str(q.get("code")),
                        "label": str(q.get("label", q.get("code"))),
                        "type": str(q.get("type", "text")),
                        "choices": [str(c) for c in q.get("choices") or []],
                        "required": bool(q.get("required", False)),
                    }
                    for q in item.get("questions") or []
                    if isinstance(q, dict) and q.get("code")
                ],
            }
        )
    return found


def seed(apps, schema_editor):
    import chinese_calendar

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
    for order, spec in enumerate(pack_categories()):
        Category.objects.update_or_create(
            code=spec["code"],
            defaults={
                "name": spec["name"],
                "kind": spec["kind"],
                "time_limit_days": spec["time_limit_days"],
                "default_unit_id": units.get(spec["default_unit"]),
                "default_unit_code": spec["default_unit"],
                "description": spec["description"][:300],
                "materials": spec["materials"],
                "questions": spec["questions"],
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
