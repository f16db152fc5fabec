"""The policy pack's casework rules: read through the pack's one reader, with no fallback — a broken or
missing casework.yaml refuses the pack with file, line and rule; and the categories and holiday table
that the setup commands load from them."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from yuanqu.casework.models import Category
from yuanqu.casework.rules import load_rules
from yuanqu.core.models import CalendarDay, CalendarYear
from yuanqu.core.pack import PolicyPackError, messages


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


def test_it_reads_the_reminder_auto_close_and_extension_limits_from_the_pack() -> None:
    rules = load_rules(settings.POLICY_PACK_DIR)
    assert (rules.deadline_reminder_days, rules.auto_close_days, rules.max_extension_days) == (1, 10, 30)


def _pack_copy(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(settings.POLICY_PACK_DIR, target)
    return target


def test_a_broken_casework_yaml_is_refused_with_file_line_and_rule(tmp_path: Path) -> None:
    pack = _pack_copy(tmp_path)
    file = pack / "casework.yaml"
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("auto_close_days: 10 ", "auto_close_days: 0  ", 1), encoding="utf-8")
    line = next(n for n, row in enumerate(file.read_text(encoding="utf-8").splitlines(), 1) if "auto_close_days" in row)
    with pytest.raises(PolicyPackError) as refused:
        load_rules(pack)
    assert [str(problem) for problem in refused.value.problems] == [
        f"casework.yaml:{line}: “auto_close_days”" + messages.BELOW_MINIMUM.format(minimum=1, value=0)
    ]


def test_a_casework_yaml_without_a_limit_is_refused_not_filled_in(tmp_path: Path) -> None:
    pack = _pack_copy(tmp_path)
    file = pack / "casework.yaml"
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("notice_limit_days: 5\n", "", 1), encoding="utf-8")
    # The file's mapping starts on its first key, after the comments.
    line = next(
        n for n, row in enumerate(file.read_text(encoding="utf-8").splitlines(), 1) if row.startswith("response")
    )
    with pytest.raises(PolicyPackError) as refused:
        load_rules(pack)
    assert [str(problem) for problem in refused.value.problems] == [
        f"casework.yaml:{line}: " + messages.KEY_MISSING.format(prefix="", key="notice_limit_days")
    ]


def test_a_pack_without_casework_yaml_is_refused(tmp_path: Path) -> None:
    pack = _pack_copy(tmp_path)
    (pack / "casework.yaml").unlink()
    with pytest.raises(PolicyPackError) as refused:
        load_rules(pack)
    assert [str(problem) for problem in refused.value.problems] == [f"casework.yaml:0: {messages.FILE_MISSING}"]


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
