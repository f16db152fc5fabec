"""The dashboard's section of the policy pack (dashboard.yaml): which indicators the cockpit opens on
and charts, which the 一园一档 profile lists and which the district page shows, and when a district's
monthly data counts as late. Another city's pack names its own indicators here, so the cockpit never
looks for an indicator its pack does not have.

`dashboard_section(src, root, indicators)` reads the file's top mapping (the pack's one line-aware reader,
yuanqu/core/pack/) against the pack's indicator catalogue and reports each problem with
its line; `read_dashboard_pack(path, indicators)` reads the file of a pack directory;
`dashboard_policy()` is the section of the installed pack (settings.POLICY_PACK_DIR), registered as
`DASHBOARD` and loaded with the rest of the pack; a problem refuses the whole pack — no fallback.

Who calls this: the dashboard selectors and views, and the tests. No Django import at module level.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from yuanqu.core.pack.errors import PackProblem
from yuanqu.core.pack.lines import LineMap, read_yaml_file
from yuanqu.core.pack.reader import Obj as _Obj
from yuanqu.core.pack.reader import Source as _Source
from yuanqu.core.pack.sections import Section, SectionContext, register
from yuanqu.indicators.pack import INDICATORS, Indicator

DASHBOARD_FILE = "dashboard.yaml"
MAX_LATE_AFTER_MONTHS = 12
# Levels whose indicators have park values (the cockpit ranks parks, the profile shows one park).
PARK_LEVELS = frozenset({"enterprise", "park"})

# Messages (Chinese, for the bureau staff who edit the YAML); tests assert on them.
MSG_UNKNOWN_INDICATOR = "未知的指标代码“{code}”（应在 indicators.yaml 中定义）"
MSG_NO_PARK_VALUES = "指标“{code}”没有园区值（层级为 {level}），驾驶舱和园区档案无法展示"
MSG_REPORTED = "指标“{code}”为人工填报或由业务模块提供，没有按园区计算的值，驾驶舱和园区档案无法展示"
MSG_NOT_MONTHLY = "指标“{code}”不读取月度报表（monthly），没有1-本月累计值，不能作为月度趋势"
MSG_EMPTY = "至少应有一个指标"
MSG_LATE_AFTER = "应为1到{most}之间的月数，实际为{value}"


@dataclass(frozen=True, slots=True)
class DashboardPolicy:
    """What dashboard.yaml says. Every code names a catalogue indicator with park values."""

    title: str  # the cockpit's heading, e.g. 武汉市工业园区驾驶舱
    title_en: str  # its English heading, "" where the pack has none
    default_indicator: str  # the cockpit ranks and colours parks on it when it opens
    monthly_trends: tuple[str, ...]  # 1–本月累计 indicators charted against the year before
    annual_trends: tuple[str, ...]  # year indicators charted over the years
    late_after_months: int  # monthly data older than this many months before today's month is late
    profile_indicators: tuple[str, ...]  # the 一园一档 indicator table, in this order
    district_columns: tuple[str, ...]  # the district page's year columns; the first sets the year and the map

    @property
    def district_year_indicator(self) -> str:
        return self.district_columns[0]


def dashboard_section(src: _Source, root: LineMap, indicators: Sequence[Indicator]) -> DashboardPolicy:
    """The section read from the top mapping of dashboard.yaml; each problem goes to `src` with its
    line. The result is meaningful only when no problem was reported."""
    by_code = {item.code: item for item in indicators}
    top = _Obj(src, root, "", ("cockpit", "profile", "district"), ("notes",))
    top.texts("notes")

    def codes(obj: _Obj | None, key: str, *, monthly: bool = False, at_least_one: bool = True) -> tuple[str, ...]:
        if obj is None:
            return ()
        refs = obj.refs(key)
        if at_least_one and isinstance(obj.data.get(key), list) and not obj.data[key]:
            obj.error(key, MSG_EMPTY)
        for ref in refs:
            message = _check(by_code.get(ref.value), ref.value, monthly=monthly)
            if message:
                src.add(ref.line, f"{obj.prefix}“{key}”：{message}")
        return tuple(ref.value for ref in refs)

    def part(key: str, label: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> _Obj | None:
        data = top.mapping(key)  # a missing or mistyped part is reported by `top`
        return None if data is None else _Obj(src, data, label, required, optional)

    cockpit = part(
        "cockpit",
        "驾驶舱（cockpit）",
        ("title", "default_indicator", "monthly_trends", "annual_trends", "late_after_months"),
        ("title_en",),
    )
    title, title_en, default, late = "", "", "", 0
    if cockpit is not None:
        title, title_en = cockpit.text("title"), cockpit.english("title_en")
        default = cockpit.code("default_indicator")
        message = _check(by_code.get(default), default, monthly=False) if default else ""
        if message:
            cockpit.error("default_indicator", f"：{message}")
        late = cockpit.integer("late_after_months")
        if "late_after_months" in cockpit.data and not 1 <= late <= MAX_LATE_AFTER_MONTHS:
            cockpit.error("late_after_months", MSG_LATE_AFTER.format(most=MAX_LATE_AFTER_MONTHS, value=late))
    return DashboardPolicy(
        title=title,
        title_en=title_en,
        default_indicator=default,
        monthly_trends=codes(cockpit, "monthly_trends", monthly=True, at_least_one=False),
        annual_trends=codes(cockpit, "annual_trends", at_least_one=False),
        late_after_months=late,
        profile_indicators=codes(part("profile", "园区档案（profile）", ("indicators",)), "indicators"),
        district_columns=codes(part("district", "区域页面（district）", ("columns",)), "columns"),
    )


def _check(item: Indicator | None, code: str, *, monthly: bool) -> str:
    """The problem with showing indicator `code` by park, or "" when there is none."""
    if item is None:
        return MSG_UNKNOWN_INDICATOR.format(code=code)
    if item.external:
        return MSG_REPORTED.format(code=code)
    if item.level not in PARK_LEVELS:
        return MSG_NO_PARK_VALUES.format(code=code, level=item.level)
    if monthly and "monthly" not in item.sources:
        return MSG_NOT_MONTHLY.format(code=code)
    return ""


def read_dashboard_pack(
    path: Path, indicators: Sequence[Indicator]
) -> tuple[DashboardPolicy | None, list[PackProblem]]:
    """dashboard.yaml of the pack in directory `path`, checked against the pack's `indicators`: the
    section, or None with every problem (file, line, message). The loaded pack reads the same file
    through the section registered below; this reads it alone (tests, checks of one file)."""
    problems: list[PackProblem] = []
    src = _Source(DASHBOARD_FILE, problems)
    root = read_yaml_file(path / DASHBOARD_FILE, src.add)
    if root is None:
        return None, problems
    section = dashboard_section(src, root, indicators)
    problems.sort(key=lambda problem: problem.line)
    return (None, problems) if problems else (section, [])


def _read(ctx: SectionContext) -> DashboardPolicy | None:
    src, root = ctx.file(DASHBOARD_FILE)
    catalogue = ctx.get(INDICATORS)
    if root is None:
        return None
    return dashboard_section(src, root, catalogue.indicators if catalogue is not None else ())


DASHBOARD: Section[DashboardPolicy] = register(Section("dashboard", (DASHBOARD_FILE,), _read, needs=(INDICATORS,)))


def dashboard_policy() -> DashboardPolicy:
    """The dashboard section of the installed pack (settings.POLICY_PACK_DIR); a broken pack never
    gets here (the start-up check refuses it, and the loader raises PolicyPackError)."""
    from yuanqu.core.pack.loaded import installed_pack

    return installed_pack().section(DASHBOARD)
