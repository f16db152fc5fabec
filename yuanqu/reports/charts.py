"""Chart images for the Word reports, drawn on the server with matplotlib's Agg backend (no browser,
no display) in the Noto Sans CJK font of Debian's fonts-noto-cjk, so Chinese labels render. Each
function takes plain numbers and returns PNG bytes; the documents module places them.

matplotlib is imported on first use, not when the web process loads the URL configuration."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Families in the order tried; the font file fonts-noto-cjk installs holds all of them.
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC")
FONT_MISSING = (
    "服务器未安装中文字体 Noto Sans CJK（Debian 软件包 fonts-noto-cjk），无法生成报告图表。"
    "请执行 apt-get install fonts-noto-cjk 后重试。"
)
DPI = 150
STATUS_COLOURS = {
    "achieved": "#1e7b3c",
    "on_track": "#1f4e79",
    "lagging": "#d4a017",
    "seriously_lagging": "#b3261e",
    "none": "#95a5a6",
}
THIS_YEAR = "#1f4e79"
LAST_YEAR = "#a9bdd6"
GROWTH = "#c0392b"


class ChartFontMissing(RuntimeError):
    """No CJK font: the charts would show boxes instead of Chinese, so no report is made."""

    def __init__(self) -> None:
        super().__init__(FONT_MISSING)


@lru_cache(maxsize=1)
def cjk_family() -> str:
    """The name of an installed Noto Sans CJK family, registering the font file with matplotlib when
    its font cache predates the font's installation; ChartFontMissing when there is none."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager

    def known() -> str | None:
        names = {font.name for font in font_manager.fontManager.ttflist}
        return next((family for family in CJK_FAMILIES if family in names), None)

    family = known()
    if family is None:
        for path in font_manager.findSystemFonts():
            name = path.rsplit("/", 1)[-1]
            if name.startswith("NotoSansCJK") and "Bold" not in name:
                font_manager.fontManager.addfont(path)
        family = known()
    if family is None:
        raise ChartFontMissing()
    # Process-wide, but matplotlib draws only these report charts in this process, always in this font.
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [family, *matplotlib.rcParams["font.sans-serif"]]
    matplotlib.rcParams["axes.unicode_minus"] = False  # the CJK font has no U+2212 minus sign
    return family


def _figure(width_cm: float = 16, height_cm: float = 8) -> Figure:
    cjk_family()
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width_cm / 2.54, height_cm / 2.54), dpi=DPI)
    figure.set_layout_engine("constrained")
    return figure


def _style(ax: Any) -> None:
    ax.tick_params(labelsize=7)
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.grid(axis="y", color="#e5e8ec", linewidth=0.6)
    ax.set_axisbelow(True)


def _tick(value: float, _position: int) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"


def _plain_numbers(ax: Any) -> None:
    """Value axes with thousands separators, not matplotlib's "1e7" offset."""
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(_tick))


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _shorten(text: str, limit: int = 16) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def target_progress(rows: Sequence[tuple[str, float | None, float | None, str]]) -> bytes:
    """Horizontal bars: each target's progress (name, progress, time elapsed, status code), with the
    time elapsed as a tick; progress beyond 0–150 % is clipped and labelled."""
    height = max(6.0, 0.62 * len(rows) + 2)
    figure = _figure(16, height)
    ax = figure.add_subplot()
    names = [_shorten(name, 18) for name, _, _, _ in rows][::-1]
    values = [0.0 if p is None else max(-0.2, min(1.5, p)) * 100 for _, p, _, _ in rows][::-1]
    colours = [STATUS_COLOURS.get(code, STATUS_COLOURS["none"]) for _, _, _, code in rows][::-1]
    positions = list(range(len(rows)))
    ax.barh(positions, values, color=colours, height=0.6)
    for y, (_, progress, elapsed, _) in zip(positions, list(rows)[::-1], strict=True):
        if elapsed is not None:
            ax.plot([elapsed * 100] * 2, [y - 0.38, y + 0.38], color="#333333", linewidth=1.2)
        text = "无数据" if progress is None else f"{progress * 100:.0f}%"
        ax.text(max(values[y], 0) + 1.5, y, text, va="center", fontsize=7)
    ax.set_yticks(positions, names, fontsize=7)
    ax.set_xlim(-20, 165)
    ax.axvline(100, color="#888888", linewidth=0.6, linestyle="--")
    ax.set_xlabel("目标进度（%）；竖线为时间进度", fontsize=8)
    _style(ax)
    return _png(figure)


def year_on_year(
    title: str, unit: str, labels: Sequence[str], values: Sequence[float | None], previous: Sequence[float | None]
) -> bytes:
    """This year's 1–本月累计 values against last year's as bars, year-on-year growth as a line."""
    figure = _figure(16, 7.5)
    ax = figure.add_subplot()
    positions = list(range(len(labels)))
    width = 0.38
    ax.bar([x - width / 2 for x in positions], [v or 0 for v in previous], width, color=LAST_YEAR, label="上年同期")
    ax.bar([x + width / 2 for x in positions], [v or 0 for v in values], width, color=THIS_YEAR, label="本年")
    ax.set_xticks(positions, list(labels), fontsize=7)
    ax.set_ylabel(unit, fontsize=8)
    ax.set_title(title, fontsize=10)
    _plain_numbers(ax)
    growth = [None if v is None or not p else (v / p - 1) * 100 for v, p in zip(values, previous, strict=True)]
    other = ax.twinx()
    points = [(x, g) for x, g in zip(positions, growth, strict=True) if g is not None]
    if points:
        other.plot(
            [x for x, _ in points],
            [g for _, g in points],
            color=GROWTH,
            marker="o",
            markersize=3,
            label="同比（现价，%）",
        )
    other.set_ylabel("同比增长（现价，%）", fontsize=8)
    other.spines["top"].set_visible(False)
    other.tick_params(labelsize=7)
    handles = ax.get_legend_handles_labels()
    extra = other.get_legend_handles_labels()
    ax.legend(handles[0] + extra[0], handles[1] + extra[1], fontsize=7, loc="upper left")
    _style(ax)
    return _png(figure)


def series_grid(series: Sequence[tuple[str, str, Sequence[str], Sequence[float | None]]], columns: int = 2) -> bytes:
    """Small line charts side by side: (name, unit, labels, values) each."""
    count = max(1, len(series))
    rows = math.ceil(count / columns)
    figure = _figure(16, 5.2 * rows)
    for index, (name, unit, labels, values) in enumerate(series, start=1):
        ax = figure.add_subplot(rows, columns, index)
        points = [(x, v) for x, v in enumerate(values) if v is not None]
        if points:
            ax.plot([x for x, _ in points], [v for _, v in points], color=THIS_YEAR, marker="o", markersize=3)
        ax.set_xticks(list(range(len(labels))), list(labels), fontsize=7)
        ax.set_title(f"{_shorten(name, 14)}（{unit}）", fontsize=8)
        _plain_numbers(ax)
        _style(ax)
    return _png(figure)


def grouped_bars(title: str, categories: Sequence[str], groups: Sequence[tuple[str, Sequence[float | None]]]) -> bytes:
    """Bars per category for each group (e.g. a park's dimension scores, the type's median)."""
    figure = _figure(16, 7.5)
    ax = figure.add_subplot()
    count = max(1, len(groups))
    width = 0.8 / count
    palette = [THIS_YEAR, LAST_YEAR, "#27ae60", "#d4a017"]
    for index, (label, values) in enumerate(groups):
        offset = (index - (count - 1) / 2) * width
        ax.bar(
            [x + offset for x in range(len(categories))],
            [v or 0 for v in values],
            width,
            color=palette[index % len(palette)],
            label=label,
        )
    ax.set_xticks(list(range(len(categories))), [_shorten(c, 8) for c in categories], fontsize=7)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7)
    _style(ax)
    return _png(figure)


def boundary(geometry: dict[str, Any], title: str) -> bytes:
    """The park's boundary polygon(s), outlined, with a rough scale in kilometres."""
    figure = _figure(9, 9)
    ax = figure.add_subplot()
    polygons = geometry.get("coordinates", [])
    if geometry.get("type") == "Polygon":
        polygons = [polygons]
    latitudes: list[float] = []
    for polygon in polygons:
        for ring in polygon[:1]:
            xs = [point[0] for point in ring]
            ys = [point[1] for point in ring]
            latitudes.extend(ys)
            ax.fill(xs, ys, color="#c0392b", alpha=0.25)
            ax.plot(xs, ys, color="#c0392b", linewidth=1.2)
    # Degrees of longitude are shorter than degrees of latitude by the cosine of the park's latitude.
    middle = (min(latitudes) + max(latitudes)) / 2 if latitudes else 0.0
    ax.set_aspect(1 / math.cos(math.radians(middle)) if abs(middle) < 80 else 1)
    ax.set_title(title, fontsize=9)
    ax.tick_params(labelsize=6)
    from matplotlib.ticker import FuncFormatter

    # Whole degrees (114.330°E), not matplotlib's offset notation (+1.143e2).
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _position: f"{value:.3f}°E"))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _position: f"{value:.3f}°N"))
    ax.set_xlabel("经度", fontsize=7)
    ax.set_ylabel("纬度", fontsize=7)
    return _png(figure)
