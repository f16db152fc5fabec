"""The units-by-indicators data an evaluation runs on, with each unit's id and group.

The evaluation app fills a ``Dataset`` from stored indicator values (one row per park, the park
type as its group; NaN where a value is missing) and hands it, with a ``Framework``, to
``pipeline.run`` or ``uncertainty.monte_carlo``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from yuanqu.evaluation.engine._arrays import FloatArray, as_float, frozen
from yuanqu.evaluation.engine.framework import Framework


class DataError(ValueError):
    """The data cannot be evaluated against the framework; the message is Chinese."""


@dataclass(frozen=True, eq=False)
class Dataset:
    """``values[i, j]`` is unit ``unit_ids[i]`` on indicator ``indicator_codes[j]``; NaN = missing.

    Columns the framework does not use are allowed (one catalogue serves several index systems)
    and ignored.
    """

    unit_ids: tuple[str, ...]
    unit_groups: tuple[str, ...]
    indicator_codes: tuple[str, ...]
    values: FloatArray
    # The same units' values a year earlier, same columns (NaN = missing): for the imputation with the
    # previous year's value. None: no panel.
    previous: FloatArray | None = None

    def __post_init__(self) -> None:
        values = as_float(self.values)
        if values.ndim != 2:
            raise DataError("数据应为二维表：每行一个单位，每列一个指标")
        rows, columns = values.shape
        if len(self.unit_ids) != rows or len(self.unit_groups) != rows:
            raise DataError(
                f"单位编号（{len(self.unit_ids)} 个）、分组（{len(self.unit_groups)} 个）与数据行数（{rows}）不一致"
            )
        if len(self.indicator_codes) != columns:
            raise DataError(f"指标编码（{len(self.indicator_codes)} 个）与数据列数（{columns}）不一致")
        if len(set(self.unit_ids)) != rows:
            raise DataError(f"单位编号重复：“{_first_duplicate(self.unit_ids)}”")
        if len(set(self.indicator_codes)) != columns:
            raise DataError(f"指标编码重复：“{_first_duplicate(self.indicator_codes)}”")
        if np.isinf(values).any():
            row, column = np.argwhere(np.isinf(values))[0]
            raise DataError(f"单位“{self.unit_ids[row]}”的指标“{self.indicator_codes[column]}”取值为无穷大")
        object.__setattr__(self, "values", frozen(values))
        if self.previous is not None:
            previous = as_float(self.previous)
            if previous.shape != values.shape or np.isinf(previous).any():
                raise DataError("上年数据应与本年数据形状一致且不含无穷大")
            object.__setattr__(self, "previous", frozen(previous))

    @property
    def size(self) -> int:
        return len(self.unit_ids)

    def aligned(self, framework: Framework) -> FloatArray:
        """The columns the framework uses, in its indicator order (a fresh, writable copy)."""
        position = {code: index for index, code in enumerate(self.indicator_codes)}
        missing = [code for code in framework.indicator_codes if code not in position]
        if missing:
            labels = "、".join(f"“{framework.node(code).label}”" for code in missing)
            raise DataError(f"数据缺少指标体系所需的指标：{labels}")
        columns = [position[code] for code in framework.indicator_codes]
        return as_float(self.values[:, columns])

    def aligned_previous(self, framework: Framework) -> FloatArray | None:
        """The previous year's values in the framework's indicator order, or None without a panel."""
        if self.previous is None:
            return None
        position = {code: index for index, code in enumerate(self.indicator_codes)}
        return as_float(self.previous[:, [position[code] for code in framework.indicator_codes]])


def _first_duplicate(items: tuple[str, ...]) -> str:
    seen: set[str] = set()
    for item in items:
        if item in seen:
            return item
        seen.add(item)
    return ""


def without_empty_indicators(framework: Framework, data: Dataset) -> tuple[Framework, tuple[str, ...]]:
    """The framework without the indicators no unit has a value for (a source that has not reported
    for the year, say): nothing can be imputed from nothing, so such an indicator is left out and its
    weight shared by its siblings (`Framework.without`). Returns the framework and the codes left
    out; all indicators empty is left to the run to refuse."""
    if not data.size:
        return framework, ()
    values = data.aligned(framework)
    empty = tuple(code for j, code in enumerate(framework.indicator_codes) if np.isnan(values[:, j]).all())
    if not empty or len(empty) == len(framework.indicator_codes):
        return framework, ()
    return framework.without(empty), empty
