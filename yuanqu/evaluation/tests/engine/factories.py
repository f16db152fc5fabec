"""Fixed index systems and data sets shared by the engine tests."""

from __future__ import annotations

import numpy as np

from yuanqu.evaluation.engine import Dataset, Framework, Group, Indicator

PARK_TYPES = ("现代产业园", "特色产业园", "都市工业园")


def park_framework() -> Framework:
    """Two dimensions over five indicators, one of them lower-is-better (energy per output)."""
    return Framework(
        indicators=(
            Indicator(code="tax_per_mu", name="亩均税收", weight=0.5),
            Indicator(code="output_per_mu", name="亩均产值", weight=0.3),
            Indicator(code="energy_per_output", name="单位产值能耗", weight=0.2, direction=-1),
            Indicator(code="hightech_firms", name="高新技术企业数", weight=0.6),
            Indicator(code="rd_intensity", name="研发投入强度", weight=0.4),
        ),
        groups=(
            Group(
                code="efficiency",
                name="集约效益",
                weight=0.6,
                children=("tax_per_mu", "output_per_mu", "energy_per_output"),
            ),
            Group(code="innovation", name="创新能力", weight=0.4, children=("hightech_firms", "rd_intensity")),
            Group(code="index", name="综合评价", children=("efficiency", "innovation")),
        ),
    )


def random_dataset(framework: Framework, *, units: int = 60, seed: int = 7, missing_share: float = 0.0) -> Dataset:
    """Skewed positive data for ``units`` parks spread over the three park types."""
    rng = np.random.default_rng(seed)
    values = rng.lognormal(mean=1.0, sigma=0.6, size=(units, len(framework.indicators)))
    if missing_share:
        values[rng.random(values.shape) < missing_share] = np.nan
    return Dataset(
        unit_ids=tuple(f"P{i:03d}" for i in range(units)),
        unit_groups=tuple(PARK_TYPES[i % 3] for i in range(units)),
        indicator_codes=framework.indicator_codes,
        values=values,
    )
