"""Composite-indicator engine for park evaluation (评价体系): pure numpy, no Django.

COINr's design: a ``Framework`` (the index tree) and a ``Dataset`` (units × indicators) go
through pure steps — impute, treat outliers, normalise, aggregate, rank — and every stage
stays inspectable in ``pipeline.Stages``. ``uncertainty.monte_carlo`` adds rank intervals and
a sensitivity table. The evaluation app (services) is the only caller; see
docs/evaluation-engine.md for the method.
"""

from __future__ import annotations

from yuanqu.evaluation.engine.data import DataError, Dataset
from yuanqu.evaluation.engine.framework import Framework, FrameworkError, Group, Indicator
from yuanqu.evaluation.engine.pipeline import Params, Result, Stages, run
from yuanqu.evaluation.engine.uncertainty import UncertaintyResult, UncertaintySpec, monte_carlo
from yuanqu.evaluation.engine.weights import AHPInconsistentError, WeightError, ahp_weights

__all__ = [
    "AHPInconsistentError",
    "DataError",
    "Dataset",
    "Framework",
    "FrameworkError",
    "Group",
    "Indicator",
    "Params",
    "Result",
    "Stages",
    "UncertaintyResult",
    "UncertaintySpec",
    "WeightError",
    "ahp_weights",
    "monte_carlo",
    "run",
]
