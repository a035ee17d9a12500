// Geodesy for the measure tool, the pointer readout and the drill-down filter. Pure, unit-tested.
//
// Lengths and areas are geodesic on the WGS84 ellipsoid, computed by GeographicLib
// (`geographiclib-geodesic`, Karney's reference implementation, no hand-written geodesy):
// lengths by its inverse problem (accurate to ~15 nm for any pair of points, nearly antipodal
// ones included), areas by its PolygonArea (edges are geodesics; a fraction of a square metre
// per edge, whatever the polygon's size).

// Default import: the package is CommonJS (UMD), for which Node's ESM has no named exports.
import geodesicLib from 'geographiclib-geodesic';

export type LonLat = readonly [number, number];

const { Geodesic } = geodesicLib;
const WGS84 = Geodesic.WGS84;
const A = 6378137; // WGS84 semi-major axis = Web Mercator's sphere radius, m
const RAD = Math.PI / 180;

/** Geodesic distance on the WGS84 ellipsoid, metres. */
export function geodesic(a: LonLat, b: LonLat): number {
  return WGS84.Inverse(a[1], a[0], b[1], b[0], Geodesic.DISTANCE).s12 ?? 0;
}

/** Length of a polyline, metres. */
export function pathLength(points: readonly LonLat[]): number {
  let d = 0;
  for (let i = 1; i < points.length; i++) d += geodesic(points[i - 1] as LonLat, points[i] as LonLat);
  return d;
}

/** Perimeter of a closed ring (the last point joins the first), metres. */
export function perimeter(points: readonly LonLat[]): number {
  if (points.length < 2) return 0;
  return pathLength(points) + (points.length > 2 ? geodesic(points[points.length - 1] as LonLat, points[0] as LonLat) : 0);
}

/** Area of a simple polygon with geodesic edges (ring, not closed or closed), square metres. */
export function polygonArea(points: readonly LonLat[]): number {
  if (points.length < 3) return 0;
  const polygon = WGS84.Polygon(false);
  // A repeated closing point only adds an edge of length 0.
  for (const p of points) polygon.AddPoint(p[1], p[0]);
  // Signed (either winding), so a clockwise ring is not taken for the rest of the earth.
  return Math.abs(polygon.Compute(false, true).area ?? 0);
}

/** Degrees → 41°44′06.1″N (seconds to `digits` decimals). */
export function toDms(deg: number, axis: 'lat' | 'lon', digits = 1): string {
  const hemi = axis === 'lat' ? (deg >= 0 ? 'N' : 'S') : deg >= 0 ? 'E' : 'W';
  const unit = 10 ** digits;
  // Round once in the smallest unit so 59.96″ carries into the minutes.
  let total = Math.round(Math.abs(deg) * 3600 * unit);
  const secs = total % (60 * unit);
  total = (total - secs) / (60 * unit);
  const mins = total % 60;
  const d = (total - mins) / 60;
  const s = (secs / unit).toFixed(digits).padStart(digits > 0 ? 3 + digits : 2, '0');
  return `${d}°${String(mins).padStart(2, '0')}′${s}″${hemi}`;
}

/** Metres per CSS pixel at a latitude and zoom (512-pixel tiles, as MapLibre). */
export function metresPerPixel(lat: number, zoom: number): number {
  return (2 * Math.PI * A * Math.cos(lat * RAD)) / (512 * 2 ** zoom);
}

/** The map's representative scale 1:N on a 96-dpi screen, N rounded to 2 significant digits. */
export function scaleDenominator(lat: number, zoom: number): number {
  const n = metresPerPixel(lat, zoom) / (0.0254 / 96);
  if (!Number.isFinite(n) || n <= 0) return 0;
  const p = 10 ** Math.max(0, Math.floor(Math.log10(n)) - 1);
  return Math.round(n / p) * p;
}

export type Bbox = readonly [number, number, number, number];

export function inBbox(p: LonLat, b: Bbox): boolean {
  return p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3];
}

/** A closed GeoJSON polygon ring of a bounding box. */
export function bboxRing(b: Bbox): [number, number][] {
  return [
    [b[0], b[1]],
    [b[2], b[1]],
    [b[2], b[3]],
    [b[0], b[3]],
    [b[0], b[1]],
  ];
}

/** Polygons as GeoJSON coordinates: polygon → rings → positions. */
export type Polygons = number[][][][];

function inRing(p: LonLat, ring: number[][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i] as number[];
    const b = ring[j] as number[];
    const ax = a[0] as number;
    const ay = a[1] as number;
    const bx = b[0] as number;
    const by = b[1] as number;
    if (ay > p[1] !== by > p[1] && p[0] < ((bx - ax) * (p[1] - ay)) / (by - ay) + ax) inside = !inside;
  }
  return inside;
}

/** Whether a point lies inside any of the polygons (outer ring in, no hole around it). */
export function inPolygons(p: LonLat, polygons: Polygons): boolean {
  for (const poly of polygons) {
    const [outer, ...holes] = poly;
    if (outer && inRing(p, outer) && !holes.some((h) => inRing(p, h))) return true;
  }
  return false;
}
