"""Geometry for the registry: boundary validation, areas in a projected CRS, which park a point lies
in, and GCJ-02 → WGS84 conversion. No Django import; the basemap (the region's district outlines)
and the region's name come from the caller (`registry.region`); without a basemap nothing is
checked against an outline.

Areas are computed in the CGCS2000 3-degree Gauss-Krüger zone whose central meridian is nearest the
geometry (EPSG:4534 at 75°E … EPSG:4554 at 135°E), so the scale error is negligible wherever the
city lies."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import MultiPolygon, Point, Polygon, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union
from shapely.strtree import STRtree
from shapely.validation import explain_validity

# The shipped pack's basemap (the demo generator draws its parks inside it).
DEFAULT_BASEMAP = Path(__file__).resolve().parent.parent / "policy_packs" / "wuhan_2025_2027" / "districts.geojson"
# The outline is simplified in display data; a point within ~1 km of it still counts as inside.
OUTLINE_TOLERANCE_DEG = 0.01
OUTSIDE_REGION = "边界超出{region}范围"


class GeoError(ValueError):
    """A geometry the platform will not store; the message is Chinese and names the problem."""


@lru_cache(maxsize=4)
def _outline(path: str) -> BaseGeometry:
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    shapes = [shape(feature["geometry"]) for feature in data["features"]]
    return shapely.make_valid(unary_union(shapes)).buffer(OUTLINE_TOLERANCE_DEG)


def region_outline(basemap: Path) -> BaseGeometry:
    """The union of the basemap's districts, with a small tolerance."""
    return _outline(str(basemap))


def inside_region(lon: float, lat: float, basemap: Path | None) -> bool:
    """The point is a finite coordinate inside the basemap's outline (any finite point when there is
    no basemap)."""
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return False
    return basemap is None or bool(region_outline(basemap).contains(Point(lon, lat)))


def parse_boundary(geometry: Any, basemap: Path | None = None, region: str = "") -> Polygon | MultiPolygon:
    """A park boundary from GeoJSON (a geometry, a Feature or a one-feature FeatureCollection),
    inside the basemap's outline when a basemap is given (`region` names it in the message)."""
    if isinstance(geometry, str):
        try:
            geometry = json.loads(geometry)
        except json.JSONDecodeError as exc:
            raise GeoError(f"边界不是合法的 GeoJSON：{exc.msg}（第{exc.lineno}行）") from exc
    if not isinstance(geometry, dict):
        raise GeoError("边界应为 GeoJSON 对象")
    if geometry.get("type") == "FeatureCollection":
        features = geometry.get("features") or []
        if len(features) != 1:
            raise GeoError(f"边界 FeatureCollection 应只含1个要素，实际为{len(features)}个")
        geometry = features[0]
    if geometry.get("type") == "Feature":
        geometry = geometry.get("geometry") or {}
    if geometry.get("type") not in {"Polygon", "MultiPolygon"}:
        raise GeoError(f"边界应为 Polygon 或 MultiPolygon，实际为“{geometry.get('type')}”")
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, IndexError, AttributeError) as exc:
        raise GeoError(f"边界坐标格式错误：{exc}") from exc
    if geom.is_empty:
        raise GeoError("边界为空")
    if not geom.is_valid:
        raise GeoError(f"边界多边形无效（{_explain(explain_validity(geom))}）")
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise GeoError("边界坐标应为经纬度（经度在前），请检查是否使用了投影坐标")
    if basemap is not None and not region_outline(basemap).contains(geom):
        raise GeoError(OUTSIDE_REGION.format(region=region))
    return geom  # type: ignore[return-value]


def _explain(reason: str) -> str:
    if reason.startswith("Self-intersection"):
        return "边界自相交：" + reason.split("[", 1)[-1].rstrip("]")
    if reason.startswith("Too few points"):
        return "顶点过少"
    if reason.startswith("Ring Self-intersection"):
        return "环自相交"
    return reason


@lru_cache(maxsize=8)
def _to_gauss_kruger(zone: int) -> Transformer:
    return Transformer.from_crs("EPSG:4326", f"EPSG:{zone}", always_xy=True)


def gauss_kruger_zone(lon: float) -> int:
    """The EPSG code of the CGCS2000 3-degree Gauss-Krüger zone (central meridian shown in the
    coordinates) nearest `lon`: 4547 for 114°E (Wuhan), 4548 for 117°E (Hefei)."""
    meridian = min(max(3 * round(lon / 3), 75), 135)
    return 4534 + (meridian - 75) // 3


def area_km2(geom: BaseGeometry) -> float:
    transformer = _to_gauss_kruger(gauss_kruger_zone(geom.centroid.x))

    def project(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return float(shapely.transform(geom, project).area) / 1_000_000


# GCJ-02 (高德/腾讯) → WGS84. GCJ-02 is WGS84 plus an obfuscating offset; the inverse is found by
# fixed-point iteration, which converges to well under a metre within a few steps.
_A = 6378245.0
_EE = 0.00669342162296594323


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    d_lat = _transform_lat(lon - 105.0, lat - 35.0)
    d_lon = _transform_lon(lon - 105.0, lat - 35.0)
    rad_lat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * math.cos(rad_lat) * math.pi)
    return lon + d_lon, lat + d_lat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    guess_lon, guess_lat = lon, lat
    for _ in range(10):
        shifted_lon, shifted_lat = wgs84_to_gcj02(guess_lon, guess_lat)
        error_lon, error_lat = shifted_lon - lon, shifted_lat - lat
        guess_lon, guess_lat = guess_lon - error_lon, guess_lat - error_lat
        if abs(error_lon) < 1e-9 and abs(error_lat) < 1e-9:
            break
    return guess_lon, guess_lat


COORDINATE_SYSTEMS = {"wgs84": "WGS84（GPS、天地图）", "gcj02": "GCJ-02（高德、腾讯）"}


def to_wgs84(lon: float, lat: float, system: str) -> tuple[float, float]:
    if system == "wgs84":
        return lon, lat
    if system == "gcj02":
        return gcj02_to_wgs84(lon, lat)
    raise GeoError(f"不支持的坐标系“{system}”，可选：{'、'.join(COORDINATE_SYSTEMS)}")


class ParkLocator:
    """Which park polygons contain a point, through an STRtree built once for many lookups."""

    def __init__(self, parks: Iterable[tuple[int, BaseGeometry]]) -> None:
        pairs = list(parks)
        self._ids: Sequence[int] = [park_id for park_id, _ in pairs]
        self._geoms = [geom for _, geom in pairs]
        self._tree = STRtree(self._geoms)

    def locate(self, lon: float, lat: float) -> list[int]:
        indexes = self._tree.query(Point(lon, lat), predicate="intersects")
        return sorted(self._ids[int(index)] for index in indexes)
