"""The demo's calibration file: the generator reads its tables from it, and a file that cannot drive
the generator is refused with the file, the table and the problem. Pure Python."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from yuanqu.demo import generator
from yuanqu.demo.calibration import CALIBRATION_FILE, ERR_TABLE, CalibrationError, load_calibration


def write(tmp_path: Path, **changes: object) -> Path:
    data = yaml.safe_load(CALIBRATION_FILE.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            del data[key]
        else:
            data[key] = value
    path = tmp_path / "calibration.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_generator_draws_from_the_shipped_calibration() -> None:
    calibration = load_calibration()
    assert (
        generator.TYPE_COUNTS
        == calibration.type_counts
        == {"modern": 20, "featured": 30, "urban": 40, "unclassified": 10}
    )
    assert generator.SEASONALITY.tolist() == list(calibration.seasonality)
    assert sum(calibration.seasonality) == pytest.approx(1.0)
    assert generator.HIGH_TECH_STOCK[2024] == 5500
    assert generator.TYPE_MANAGEMENT["urban"][0] == ("private_company", 0.45)


def test_it_keeps_integers_integers(tmp_path: Path) -> None:
    calibration = load_calibration(write(tmp_path, type_facilities={"modern": [5, 9]}))
    assert calibration.type_facilities == {"modern": (5, 9)}
    assert isinstance(calibration.enterprises_at_scale_1, int)


def test_it_names_a_missing_table(tmp_path: Path) -> None:
    with pytest.raises(CalibrationError) as raised:
        load_calibration(write(tmp_path, type_counts=None))
    assert str(raised.value) == ERR_TABLE.format(file="calibration.yaml", table="type_counts", detail="缺失")


def test_it_names_a_table_with_a_wrong_value(tmp_path: Path) -> None:
    with pytest.raises(CalibrationError) as raised:
        load_calibration(write(tmp_path, type_area={"modern": [10, "很大"]}))
    assert str(raised.value) == ERR_TABLE.format(
        file="calibration.yaml", table="type_area", detail="应为数值，实际为“很大”"
    )


def test_it_names_an_unknown_table(tmp_path: Path) -> None:
    with pytest.raises(CalibrationError, match="“type_colours”不是已知的校准表"):
        load_calibration(write(tmp_path, type_colours={"modern": 1}))
