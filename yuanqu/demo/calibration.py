"""The demo city's calibration (calibration.yaml next to this module): how many parks of each type,
their areas, firms and revenue, the industry structure, land, seasonality and the label stocks the
generator draws towards. The numbers are data, so that they can be read and changed without reading
the generator; the generator (yuanqu/demo/generator.py) reads them once, at import.

`load_calibration(path)` returns a `Calibration` or raises CalibrationError naming the file, the
table and what is wrong. Values keep the type they are written with (an integer stays an integer), so
that the generated city is the same as long as the numbers are. Pure Python and PyYAML."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, TypeVar

import yaml

CALIBRATION_FILE = Path(__file__).resolve().parent / "calibration.yaml"

ERR_FILE = "示例数据校准文件 {file} 无法读取：{detail}"
ERR_TABLE = "示例数据校准文件 {file}：“{table}”{detail}"

_V = TypeVar("_V")


class CalibrationError(ValueError):
    """The calibration file cannot drive the generator; the message names the file and the table."""


@dataclass(frozen=True)
class Calibration:
    city_name: str
    city_region_code: str
    type_counts: dict[str, int]
    type_area: dict[str, tuple[float, float]]
    type_firm_weight: dict[str, float]
    type_recognised: dict[str, float]
    type_smart: dict[str, float]
    type_lead_share: dict[str, tuple[float, float, float, float]]
    type_revenue: dict[str, tuple[float, float, float, float]]
    type_firm_median: dict[str, float]
    type_service_share: dict[str, float]
    in_park_land_km2: float
    type_land_fill: dict[str, tuple[float, float]]
    type_parcel_median_mu: dict[str, float]
    type_management: dict[str, tuple[tuple[str, float], ...]]
    type_facilities: dict[str, tuple[int, int]]
    enterprises_at_scale_1: int
    outside_share: float
    no_coordinates_share: float
    outside_district_weight: dict[str, float]
    manufacturing_division_weight: dict[str, float]
    producer_service_division_weight: dict[str, float]
    knowledge_service_divisions: tuple[str, ...]
    energy_heavy: dict[str, float]
    seasonality: tuple[float, ...]
    rd_seasonality: tuple[float, ...]
    rd_intensity_2024: float
    rd_intensity_growth: float
    high_tech_va_share_2024: float
    high_tech_stock: dict[int, int]
    srdi_municipal_stock: dict[int, int]
    srdi_provincial_stock: dict[int, int]
    srdi_national_stock: dict[int, int]
    single_champion_stock: dict[int, int]
    gazelle_stock: dict[int, int]
    unicorn_stock: dict[int, int]
    listed_stock: dict[int, int]
    top500_stock: dict[int, int]
    green_national_stock: dict[int, int]
    green_provincial_stock: dict[int, int]
    digital_share: dict[int, float]


class _Invalid(Exception):
    """One value of a table is not what the table holds; the text says what was expected."""


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Invalid(f"应为数值，实际为“{value}”")
    return value


def _integer(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Invalid(f"应为整数，实际为“{value}”")
    return value


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"应为文本，实际为“{value}”")
    return value


def _pair(value: object) -> tuple[float, float]:
    items = _items(value, 2)
    return (_number(items[0]), _number(items[1]))


def _int_pair(value: object) -> tuple[int, int]:
    items = _items(value, 2)
    return (_integer(items[0]), _integer(items[1]))


def _quad(value: object) -> tuple[float, float, float, float]:
    items = _items(value, 4)
    return (_number(items[0]), _number(items[1]), _number(items[2]), _number(items[3]))


def _items(value: object, count: int | None = None) -> list[Any]:
    if not isinstance(value, list) or (count is not None and len(value) != count):
        size = f"{count}项的" if count is not None else ""
        raise _Invalid(f"应为{size}列表，实际为“{value}”")
    return value


def _weighted(value: object) -> tuple[tuple[str, float], ...]:
    pairs = [_items(item, 2) for item in _items(value)]
    return tuple((_text(name), _number(weight)) for name, weight in pairs)


def _read(file: Path, data: dict[str, Any]) -> Calibration:
    def table(name: str, read: Callable[[object], _V]) -> _V:
        if name not in data:
            raise CalibrationError(ERR_TABLE.format(file=file.name, table=name, detail="缺失"))
        try:
            return read(data[name])
        except _Invalid as error:
            raise CalibrationError(ERR_TABLE.format(file=file.name, table=name, detail=str(error))) from error

    def mapping(key: Callable[[object], Any], value: Callable[[object], Any]) -> Callable[[object], dict[Any, Any]]:
        def read(raw: object) -> dict[Any, Any]:
            if not isinstance(raw, dict):
                raise _Invalid(f"应为映射（键: 值），实际为“{raw}”")
            return {key(k): value(v) for k, v in raw.items()}

        return read

    def sequence(item: Callable[[object], Any]) -> Callable[[object], tuple[Any, ...]]:
        return lambda raw: tuple(item(value) for value in _items(raw))

    known = {field.name for field in fields(Calibration)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise CalibrationError(ERR_TABLE.format(file=file.name, table=unknown[0], detail="不是已知的校准表"))
    readers: dict[str, Callable[[object], Any]] = {}
    for item in fields(Calibration):
        kind = str(item.type)
        readers[item.name] = {
            "str": _text,
            "int": _integer,
            "float": _number,
            "dict[str, int]": mapping(_text, _integer),
            "dict[str, float]": mapping(_text, _number),
            "dict[str, tuple[float, float]]": mapping(_text, _pair),
            "dict[str, tuple[int, int]]": mapping(_text, _int_pair),
            "dict[str, tuple[float, float, float, float]]": mapping(_text, _quad),
            "dict[str, tuple[tuple[str, float], ...]]": mapping(_text, _weighted),
            "dict[int, int]": mapping(_integer, _integer),
            "dict[int, float]": mapping(_integer, _number),
            "tuple[str, ...]": sequence(_text),
            "tuple[float, ...]": sequence(_number),
        }[kind]
    return Calibration(**{name: table(name, read) for name, read in readers.items()})


def load_calibration(path: Path = CALIBRATION_FILE) -> Calibration:
    """The calibration in `path` (the shipped file by default)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise CalibrationError(ERR_FILE.format(file=path.name, detail=error)) from error
    if not isinstance(data, dict):
        raise CalibrationError(ERR_FILE.format(file=path.name, detail="顶层应为映射（键: 值）"))
    return _read(path, data)
