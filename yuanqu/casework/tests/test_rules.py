"""The policy pack's casework rules: read through the pack loader, or from casework.yaml alone when
the rest of the pack is broken, or the built-in defaults when there is no file; and the categories and
holiday table that the setup commands load from them."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from yuanqu.casework.models import Category
from yuanqu.casework.rules import DEFAULT_RULES, load_rules
from yuanqu.core.models import CalendarDay, CalendarYear


def test_it_reads_the_wuhan_pack() -> None:
    rules = load_rules(settings.POLICY_PACK_DIR)
    assert rules.source.startswith("政策包")
    limits = {c.code: c.time_limit_days for c in rules.categories}
    assert (limits["consultation"], limits["assistance"], limits["complaint"], limits["multi_department"]) == (
        2,
        10,
        15,
        25,
    )
    assert rules.response_limit_days == 1 and rules.notice_limit_days == 5
    assert rules.satisfied_levels == {"very_satisfied", "satisfied", "basically_satisfied"}
    assert rules.follow_up_levels == {"dissatisfied", "very_dissatisfied"} and rules.follow_up_days == 5


def test_it_reads_casework_yaml_alone_when_the_pack_is_broken(tmp_path: Path) -> None:
    (tmp_path / "pack.yaml").write_text("this: [is broken", encoding="utf-8")
    (tmp_path / "casework.yaml").write_text(
        "response_limit_days: 2\n"
        "categories:\n"
        "  - code: consultation\n    name: 咨询\n    name_en: Consultation\n"
        "    time_limit_days: 3\n    default_unit: jxj\n"
        "    questions:\n      - code: topic\n        label: 事项\n        type: choice\n        choices: [甲, 乙]\n"
        "  - name: 没有代码的类别被跳过\n",
        encoding="utf-8",
    )
    rules = load_rules(tmp_path)
    assert rules.source.endswith("casework.yaml") and rules.response_limit_days == 2
    assert [(c.code, c.time_limit_days, c.kind) for c in rules.categories] == [("consultation", 3, "request")]
    assert rules.categories[0].questions[0]["choices"] == ["甲", "乙"]
    assert rules.categories[0].name_en == "Consultation"
    assert rules.levels == DEFAULT_RULES.levels and rules.notice_limit_days == 5


def test_it_falls_back_to_the_defaults_without_a_file(tmp_path: Path) -> None:
    rules = load_rules(tmp_path)
    assert rules is DEFAULT_RULES
    assert {c.code for c in rules.categories} >= {"consultation", "assistance", "complaint", "multi_department"}


def test_the_database_holds_the_calendar_and_the_categories_after_migration(db: object) -> None:
    assert CalendarYear.objects.filter(year__gte=2004, year__lte=2026).count() == 23
    assert CalendarDay.objects.get(date="2025-10-08").kind == CalendarDay.Kind.HOLIDAY
    assert CalendarDay.objects.get(date="2026-02-14").kind == CalendarDay.Kind.WORKDAY
    assert Category.objects.get(code="multi_department").time_limit_days == 25
    # 0003 gives the seeded categories the pack's English names.
    assert Category.objects.get(code="multi_department").name_en == "Complex multi-department matter"


def test_the_setup_commands_are_idempotent(db: object) -> None:
    CalendarDay.objects.filter(date__year=2025).delete()
    out = StringIO()
    call_command("calendar_seed", stdout=out)
    call_command("calendar_seed", stdout=out)
    first, second = out.getvalue().strip().splitlines()
    # 2025: 18 holidays on weekdays and 5 worked weekend days; the second run adds nothing.
    assert first == "节假日安排：新增23天，新增0个年度" and second == "节假日安排：新增0天，新增0个年度"
    Category.objects.filter(code="complaint").update(time_limit_days=99, active=False)
    Category.objects.create(code="retired", name="已取消的类别", time_limit_days=5)
    call_command("casework_setup", stdout=StringIO())
    assert Category.objects.get(code="complaint").time_limit_days == 15
    assert Category.objects.get(code="complaint").active and not Category.objects.get(code="retired").active
