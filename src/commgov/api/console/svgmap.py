"""A unit's map drawn on the server as SVG (no script, no tiles): unit outlines with their
names, households as dots labelled only with their file number, a legend and a scale bar.

Everything here is a pure function of plain data. Longitude and latitude (WGS-84 degrees) are
projected equirectangularly, longitude scaled by the cosine of the middle latitude, and fitted
into the drawing box with north up. A unit whose boundary no plugin gives is outlined by the
convex hull around its households (drawn dashed and said so in the legend)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import attrs
from markupsafe import Markup, escape

from commgov.api.console.svg import FONT

WIDTH: Final = 800
HEIGHT: Final = 600
PAD: Final = 36
TOP: Final = 34
"""Room above the map for its title."""
BOTTOM: Final = 64
"""Room below the map for the legend and the scale bar."""
LEAST_SPAN: Final = 0.002
"""The smallest extent drawn, in degrees (about 200 m): one household still gets a map."""
HULL_PAD: Final = 0.0004
"""How far (degrees, about 40 m) an outline drawn around households reaches beyond them."""
METRES_PER_DEGREE: Final = 111_320.0
COLOURS: Final = ("#8b1a1a", "#1f5f8b", "#2e7d32", "#8d6e00", "#6a1b9a", "#00695c")

Point = tuple[float, float]
"""``(lon, lat)`` in degrees."""


@attrs.frozen
class MapArea:
    """A unit's outline: its ``code``, ``name`` and outer ``ring`` (lon, lat); ``drawn`` is
    true for a boundary a plugin gave, false for the hull around its households."""

    code: str
    name: str
    ring: tuple[Point, ...]
    drawn: bool = True


@attrs.frozen
class MapDot:
    """A household on the map: its masked ``label``, where it is and the unit it belongs to."""

    label: str
    lon: float
    lat: float
    unit_code: str


@attrs.frozen
class MapWords:
    """The map's words in the reader's language (the caller translates them)."""

    title: str
    households: str
    outline: str
    hull: str


@attrs.frozen
class Projection:
    """Degrees to the drawing's pixels: ``x = left + (lon - west)·cos(lat₀)·scale`` and
    ``y = top + (north - lat)·scale`` (north up)."""

    west: float
    north: float
    factor: float
    """cos of the middle latitude."""
    scale: float
    """Pixels per degree of latitude."""
    left: float
    top: float

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        """Where the point is drawn."""
        return (
            self.left + (lon - self.west) * self.factor * self.scale,
            self.top + (self.north - lat) * self.scale,
        )

    def metres_per_pixel(self) -> float:
        """Ground metres one pixel spans (the same both ways)."""
        return METRES_PER_DEGREE / self.scale


def household_label(household_id: int) -> str:
    """The only words shown beside a household's dot: its file number, no name or address."""
    return f"#{household_id}"


def fit(
    points: Iterable[Point], *, width: float = WIDTH, height: float = HEIGHT, pad: float = PAD
) -> Projection:
    """The projection that fits ``points`` into the map's box (below the title, above the
    legend), centred, the same scale both ways; at least ``LEAST_SPAN`` is shown."""
    found = list(points)
    if not found:
        raise ValueError("nothing to draw: no point")
    lons = [p[0] for p in found]
    lats = [p[1] for p in found]
    middle = (min(lats) + max(lats)) / 2
    factor = math.cos(math.radians(middle))
    lon_span = max(max(lons) - min(lons), LEAST_SPAN / factor)
    lat_span = max(max(lats) - min(lats), LEAST_SPAN)
    box_w, box_h = width - 2 * pad, height - TOP - BOTTOM - 2 * pad
    scale = min(box_w / (lon_span * factor), box_h / lat_span)
    west = (min(lons) + max(lons)) / 2 - lon_span / 2
    north = (min(lats) + max(lats)) / 2 + lat_span / 2
    left = pad + (box_w - lon_span * factor * scale) / 2
    top = TOP + pad + (box_h - lat_span * scale) / 2
    return Projection(west=west, north=north, factor=factor, scale=scale, left=left, top=top)


def hull(points: Iterable[Point], *, reach: float = HULL_PAD) -> tuple[Point, ...]:
    """The convex hull around ``points`` widened by ``reach`` degrees (a small square for one
    point, a thin box for points on a line), counter-clockwise."""
    spread = {(lon + dx, lat + dy) for lon, lat in points for dx in (-reach, reach)
              for dy in (-reach, reach)}  # fmt: skip
    ordered = sorted(spread)
    if len(ordered) < 3:
        return tuple(ordered)

    def cross(o: Point, a: Point, b: Point) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[Point] = []
    upper: list[Point] = []
    for chain, sequence in ((lower, ordered), (upper, list(reversed(ordered)))):
        for point in sequence:
            while len(chain) >= 2 and cross(chain[-2], chain[-1], point) <= 0:
                chain.pop()
            chain.append(point)
    return tuple(lower[:-1] + upper[:-1])


def dots_from(collection: Mapping[str, Any], homes: Mapping[int, str]) -> list[MapDot]:
    """The households of a GeoJSON collection (``Point`` features with a ``household_id``)
    that are in ``homes`` (household id → its unit's code: those the reader may see), each
    labelled by ``household_label`` only, whatever else the feature carries."""
    dots = []
    for feature in _features(collection):
        point = _point(feature.get("geometry"))
        household = _properties(feature).get("household_id")
        if point is None or not isinstance(household, int) or household not in homes:
            continue
        dots.append(MapDot(household_label(household), point[0], point[1], homes[household]))
    return dots


def areas_from(collection: Mapping[str, Any], names: Mapping[str, str]) -> list[MapArea]:
    """The unit outlines of a GeoJSON collection: ``Polygon`` (or ``MultiPolygon``) features
    whose ``code`` property is one of ``names`` (unit code → name), their outer rings."""
    areas = []
    for feature in _features(collection):
        code = _properties(feature).get("code")
        if not isinstance(code, str) or code not in names:
            continue
        for ring in _rings(feature.get("geometry")):
            areas.append(MapArea(code, names[code], ring))
    return areas


def hull_areas(
    dots: Sequence[MapDot], names: Mapping[str, str], drawn: Iterable[str] = ()
) -> list[MapArea]:
    """An outline around each unit's households, for the units of ``names`` that have
    households on the map and no boundary (``drawn``)."""
    given = set(drawn)
    out = []
    for code, name in names.items():
        mine = [(d.lon, d.lat) for d in dots if d.unit_code == code]
        if mine and code not in given:
            out.append(MapArea(code, name, hull(mine), drawn=False))
    return out


def draw(areas: Sequence[MapArea], dots: Sequence[MapDot], words: MapWords) -> Markup:
    """The map as inline SVG: outlines with their names, dots with their labels, a legend
    and a scale bar. There must be something to draw (an outline or a dot)."""
    points = [p for area in areas for p in area.ring] + [(d.lon, d.lat) for d in dots]
    projection = fit(points)
    colour = {a.code: COLOURS[i % len(COLOURS)] for i, a in enumerate(_unique(areas))}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart map" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'font-family="{FONT}" font-size="12">',
        f"<title>{escape(words.title)}</title>",
        f'<text x="{PAD}" y="22" font-weight="bold" font-size="15">{escape(words.title)}</text>',
        f'<rect x="1" y="{TOP}" width="{WIDTH - 2}" height="{HEIGHT - TOP - BOTTOM}" '
        'fill="#fbfbf8" stroke="#dde1e6"/>',
    ]
    parts += [_area(a, projection, colour.get(a.code, COLOURS[0])) for a in areas]
    parts += [_area_name(a, projection) for a in _unique(areas)]
    parts += [_dot(d, projection, colour.get(d.unit_code, "#1d2733")) for d in dots]
    parts.append(_legend(words, any(a.drawn for a in areas), any(not a.drawn for a in areas)))
    parts.append(_scale_bar(projection))
    parts.append(_north_arrow())
    parts.append("</svg>")
    return Markup("".join(parts))


def scale_length(metres_per_pixel: float, *, most_pixels: float = 160) -> int:
    """The scale bar's length in metres: a round 1, 2 or 5 × 10ⁿ at most ``most_pixels``."""
    most = metres_per_pixel * most_pixels
    best = 1
    for power in range(0, 7):
        for step in (1, 2, 5):
            if step * 10**power <= most:
                best = step * 10**power
    return best


def _unique(areas: Sequence[MapArea]) -> list[MapArea]:
    seen: dict[str, MapArea] = {}
    for area in areas:
        seen.setdefault(area.code, area)
    return list(seen.values())


def _area(area: MapArea, projection: Projection, colour: str) -> str:
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (projection.xy(*p) for p in area.ring))
    dash = "" if area.drawn else ' stroke-dasharray="6 4"'
    return (
        f'<polygon points="{points}" fill="{colour}" fill-opacity="0.08" stroke="{colour}" '
        f'stroke-width="2"{dash} data-unit="{escape(area.code)}">'
        f"<title>{escape(area.name)} {escape(area.code)}</title></polygon>"
    )


def _area_name(area: MapArea, projection: Projection) -> str:
    xs, ys = zip(*(projection.xy(*p) for p in area.ring), strict=True)
    x, y = (min(xs) + max(xs)) / 2, min(ys) + 16
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" font-weight="bold" '
        f'class="unit-name">{escape(area.name)}</text>'
    )


def _dot(dot: MapDot, projection: Projection, colour: str) -> str:
    x, y = projection.xy(dot.lon, dot.lat)
    label = escape(dot.label)
    return (
        f'<g class="household"><circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}" '
        f'stroke="#fff"><title>{label}</title></circle>'
        f'<text x="{x + 6:.1f}" y="{y - 5:.1f}" font-size="10" fill="#1d2733">{label}</text></g>'
    )


def _legend(words: MapWords, drawn: bool, hulled: bool) -> str:
    """The legend's entries side by side under the map: households, then the outlines."""
    y = HEIGHT - BOTTOM + 24
    box = f'y="{y - 11}" width="14" height="12" stroke="#8b1a1a" stroke-width="2"'
    marks = [(f'<circle cy="{y - 4}" r="4.5" fill="#8b1a1a" cx=', 6, words.households)]
    if drawn:
        marks.append((f'<rect {box} fill="#8b1a1a" fill-opacity="0.08" x=', 0, words.outline))
    if hulled:
        marks.append((f'<rect {box} fill="none" stroke-dasharray="4 3" x=', 0, words.hull))
    placed = [
        f'{mark}"{PAD + i * 200 + shift}"/>'
        f'<text x="{PAD + i * 200 + 20}" y="{y}">{escape(text)}</text>'
        for i, (mark, shift, text) in enumerate(marks)
    ]
    return f'<g class="legend">{"".join(placed)}</g>'


def _scale_bar(projection: Projection) -> str:
    metres = scale_length(projection.metres_per_pixel())
    pixels = metres / projection.metres_per_pixel()
    right = WIDTH - PAD
    y = HEIGHT - BOTTOM + 24
    shown = f"{metres // 1000} km" if metres >= 1000 else f"{metres} m"
    return (
        f'<g class="scale" data-metres="{metres}">'
        f'<path d="M{right - pixels:.1f},{y - 6} v6 h{pixels:.1f} v-6" fill="none" '
        f'stroke="#1d2733" stroke-width="2"/>'
        f'<text x="{right - pixels / 2:.1f}" y="{y + 16}" text-anchor="middle">{shown}</text>'
        "</g>"
    )


def _north_arrow() -> str:
    x, y = WIDTH - PAD, TOP + 26
    return (
        f'<g class="north"><path d="M{x},{y - 18} l7,18 l-7,-5 l-7,5 z" fill="#1d2733"/>'
        f'<text x="{x}" y="{y + 14}" text-anchor="middle" font-weight="bold">N</text></g>'
    )


def _features(collection: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    features = collection.get("features")
    if not isinstance(features, list):
        return []
    return [f for f in features if isinstance(f, Mapping)]


def _properties(feature: Mapping[str, Any]) -> Mapping[str, Any]:
    found = feature.get("properties")
    return found if isinstance(found, Mapping) else {}


def _point(geometry: object) -> Point | None:
    if not isinstance(geometry, Mapping) or geometry.get("type") != "Point":
        return None
    return _position(geometry.get("coordinates"))


def _position(value: object) -> Point | None:
    if not isinstance(value, list | tuple) or len(value) < 2:
        return None
    lon, lat = value[0], value[1]
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lon, lat)):
        return None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    return float(lon), float(lat)


def _rings(geometry: object) -> list[tuple[Point, ...]]:
    """The outer rings of a ``Polygon`` or ``MultiPolygon`` (rings of fewer than 3 points
    and positions that are not degrees are left out)."""
    if not isinstance(geometry, Mapping) or not isinstance(geometry.get("coordinates"), list):
        return []
    kind, coordinates = geometry.get("type"), geometry["coordinates"]
    polygons = {"Polygon": [coordinates], "MultiPolygon": coordinates}.get(str(kind), [])
    rings = []
    for polygon in polygons:
        outer = polygon[0] if isinstance(polygon, list) and polygon else None
        if not isinstance(outer, list):
            continue
        ring = tuple(p for p in (_position(v) for v in outer) if p is not None)
        if len(ring) >= 3:
            rings.append(ring)
    return rings
