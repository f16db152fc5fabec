"""Geometry for the synthetic demo: irregular park outlines that fit inside a district and keep clear
of each other, and random points inside or outside them. numpy and shapely only, no Django; the demo
generator calls it with a seeded RNG so that the same seed draws the same city.

Outlines are star-shaped around their centre (radius a smooth function of the angle, then stretched
and turned), which makes every one a valid simple polygon by construction."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import shapely
from shapely import affinity
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from yuanqu.registry import geo

KM_PER_DEG_LAT = 110.95
# Parks keep this far inside their district outline and this far from each other (degrees, ~300 m).
DISTRICT_MARGIN_DEG = 0.003
PARK_GAP_DEG = 0.0025
# Points are drawn this far inside an outline so that rounding to 6 decimals cannot move them out.
POINT_MARGIN_DEG = 0.00005
COORD_DECIMALS = 6


class PlacementError(RuntimeError):
    """No room left for a park of the asked size in its districts."""


def km_per_deg_lon(lat: float) -> float:
    return 111.32 * math.cos(math.radians(lat))


def polygonal(geom: BaseGeometry) -> Polygon | MultiPolygon:
    """The polygonal part of a (repaired) geometry; the reference outlines are not all valid."""
    fixed = shapely.make_valid(geom)
    if isinstance(fixed, Polygon | MultiPolygon):
        return fixed
    parts: list[Polygon] = []
    for part in getattr(fixed, "geoms", []):
        if isinstance(part, Polygon):
            parts.append(part)
        elif isinstance(part, MultiPolygon):
            parts.extend(part.geoms)
    return MultiPolygon(parts)


def irregular_polygon(rng: np.random.Generator, lon: float, lat: float, area_km2: float) -> Polygon:
    """A star-shaped outline around (lon, lat) with about the given area, vertices rounded."""
    count = int(rng.integers(12, 26))
    angles = (np.arange(count) + rng.uniform(-0.3, 0.3, count)) * (2 * math.pi / count)
    radius = np.ones(count)
    for harmonic in range(2, 6):
        amplitude = rng.uniform(0.0, 0.22) / math.sqrt(harmonic - 1)
        radius += amplitude * np.cos(harmonic * angles + rng.uniform(0, 2 * math.pi))
    radius = np.clip(radius * rng.uniform(0.94, 1.06, count), 0.4, None)
    stretch = math.exp(rng.normal(0.0, 0.25))
    turn = rng.uniform(0, math.pi)
    x = radius * np.cos(angles) * stretch
    y = radius * np.sin(angles) / stretch
    x, y = x * math.cos(turn) - y * math.sin(turn), x * math.sin(turn) + y * math.cos(turn)
    unit_area = 0.5 * abs(float(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))))
    scale = math.sqrt(area_km2 / unit_area)
    lons = lon + x * scale / km_per_deg_lon(lat)
    lats = lat + y * scale / KM_PER_DEG_LAT
    shell = Polygon(zip(lons, lats, strict=True))
    # The local km grid is close to the projected CRS, but not equal: correct the area exactly.
    factor = math.sqrt(area_km2 / geo.area_km2(shell))
    shell = affinity.scale(shell, xfact=factor, yfact=factor, origin=(lon, lat))
    return round_polygon(shell)


def round_polygon(polygon: Polygon) -> Polygon:
    coords = np.round(np.asarray(polygon.exterior.coords), COORD_DECIMALS)
    return Polygon(coords)


def random_points_in(
    rng: np.random.Generator, area: BaseGeometry, count: int, *, avoid: BaseGeometry | None = None
) -> np.ndarray:
    """`count` uniform points (rows of lon, lat) inside `area` and outside `avoid`, rounded."""
    inner = area.buffer(-POINT_MARGIN_DEG)
    if inner.is_empty:
        inner = area
    shapely.prepare(inner)
    blocked = avoid.buffer(POINT_MARGIN_DEG) if avoid is not None and not avoid.is_empty else None
    if blocked is not None:
        shapely.prepare(blocked)
    return sample_prepared(rng, inner, count, blocked=blocked)


def sample_prepared(
    rng: np.random.Generator, inner: BaseGeometry, count: int, *, blocked: BaseGeometry | None = None
) -> np.ndarray:
    """Rejection sampling in the bounding box of an already prepared geometry."""
    min_x, min_y, max_x, max_y = inner.bounds
    found: list[np.ndarray] = []
    have = 0
    for _ in range(1000):
        if have >= count:
            break
        need = max(16, (count - have) * 3)
        xs = np.round(rng.uniform(min_x, max_x, need), COORD_DECIMALS)
        ys = np.round(rng.uniform(min_y, max_y, need), COORD_DECIMALS)
        keep = shapely.contains_xy(inner, xs, ys)
        if blocked is not None:
            keep &= ~shapely.contains_xy(blocked, xs, ys)
        chosen = np.column_stack((xs[keep], ys[keep]))
        found.append(chosen)
        have += len(chosen)
    if have < count:
        raise PlacementError("区域内可用于放置企业坐标的空间不足")
    return np.concatenate(found)[:count]


class ParkPlacer:
    """Places park outlines one by one inside host districts, never touching an earlier one."""

    def __init__(self, districts: dict[str, BaseGeometry]) -> None:
        self._room: dict[str, BaseGeometry] = {}
        for code, outline in districts.items():
            room = polygonal(outline).buffer(-DISTRICT_MARGIN_DEG)
            shapely.prepare(room)
            self._room[code] = room
        self._placed: list[Polygon] = []
        self._occupied: BaseGeometry = Polygon()

    @property
    def occupied(self) -> BaseGeometry:
        return self._occupied

    def place(
        self, rng: np.random.Generator, hosts: Sequence[str], area_km2: float, *, attempts: int = 600
    ) -> tuple[str, Polygon]:
        """(host district code, outline) for a new park of about `area_km2`, shrinking if crowded."""
        target = area_km2
        for attempt in range(attempts):
            if attempt and attempt % 150 == 0:
                target *= 0.8
            host = hosts[attempt % len(hosts)]
            room = self._room[host]
            centre = sample_prepared(rng, room, 1)[0]
            candidate = irregular_polygon(rng, float(centre[0]), float(centre[1]), target)
            if not candidate.is_valid or not room.contains(candidate):
                continue
            if self._occupied.intersects(candidate.buffer(PARK_GAP_DEG)):
                continue
            self._placed.append(candidate)
            self._occupied = shapely.union_all(self._placed)
            shapely.prepare(self._occupied)
            return host, candidate
        raise PlacementError(f"无法在{'、'.join(hosts)}内放置面积约{area_km2:.2f}平方公里的园区")
