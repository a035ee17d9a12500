// Geodesy for the measure tool, the pointer readout and the drill-down filter. Pure, unit-tested.
//
// Lengths are geodesics on the WGS84 ellipsoid (Vincenty's inverse formula, millimetre
// accuracy; the haversine on the mean sphere where it does not converge, nearly antipodal
// points). Areas are computed on the authalic sphere after mapping each latitude to its
// authalic latitude — an equal-area mapping of the ellipsoid, so the area of a polygon the
// size of a county is exact to well under 0.1 %.

export type LonLat = readonly [number, number];

const A = 6378137; // WGS84 semi-major axis, m
const F = 1 / 298.257223563;
const B = A * (1 - F);
const E2 = F * (2 - F);
const E = Math.sqrt(E2);
const MEAN_R = 6371008.8;
const RAD = Math.PI / 180;

/** Haversine distance on the mean sphere, metres. */
export function haversine(a: LonLat, b: LonLat): number {
  const dLat = (b[1] - a[1]) * RAD;
  const dLon = (b[0] - a[0]) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * RAD) * Math.cos(b[1] * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * MEAN_R * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Geodesic distance on the WGS84 ellipsoid (Vincenty inverse), metres. */
export function geodesic(a: LonLat, b: LonLat): number {
  if (a[0] === b[0] && a[1] === b[1]) return 0;
  const L = (b[0] - a[0]) * RAD;
  const U1 = Math.atan((1 - F) * Math.tan(a[1] * RAD));
  const U2 = Math.atan((1 - F) * Math.tan(b[1] * RAD));
  const sinU1 = Math.sin(U1);
  const cosU1 = Math.cos(U1);
  const sinU2 = Math.sin(U2);
  const cosU2 = Math.cos(U2);
  let lambda = L;
  for (let i = 0; i < 200; i++) {
    const sinL = Math.sin(lambda);
    const cosL = Math.cos(lambda);
    const sinSigma = Math.hypot(cosU2 * sinL, cosU1 * sinU2 - sinU1 * cosU2 * cosL);
    if (sinSigma === 0) return 0;
    const cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosL;
    const sigma = Math.atan2(sinSigma, cosSigma);
    const sinAlpha = (cosU1 * cosU2 * sinL) / sinSigma;
    const cos2Alpha = 1 - sinAlpha * sinAlpha;
    const cos2SigmaM = cos2Alpha === 0 ? 0 : cosSigma - (2 * sinU1 * sinU2) / cos2Alpha;
    const C = (F / 16) * cos2Alpha * (4 + F * (4 - 3 * cos2Alpha));
    const prev = lambda;
    lambda = L + (1 - C) * F * sinAlpha * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
    if (Math.abs(lambda - prev) < 1e-12) {
      const u2 = (cos2Alpha * (A * A - B * B)) / (B * B);
      const bigA = 1 + (u2 / 16384) * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
      const bigB = (u2 / 1024) * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
      const dSigma =
        bigB *
        sinSigma *
        (cos2SigmaM + (bigB / 4) * (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM) - (bigB / 6) * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)));
      return B * bigA * (sigma - dSigma);
    }
  }
  return haversine(a, b);
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

function q(sinPhi: number): number {
  const es = E * sinPhi;
  return (1 - E2) * (sinPhi / (1 - es * es) - (1 / (2 * E)) * Math.log((1 - es) / (1 + es)));
}
const QP = q(1);
/** Radius of the sphere with the ellipsoid's area. */
const AUTHALIC_R = A * Math.sqrt(QP / 2);

/** Authalic latitude (radians) of a geodetic latitude (degrees). */
export function authalicLatitude(latDeg: number): number {
  return Math.asin(Math.max(-1, Math.min(1, q(Math.sin(latDeg * RAD)) / QP)));
}

/** Area of a simple polygon (ring, not closed or closed), square metres. */
export function polygonArea(points: readonly LonLat[]): number {
  const ring = points.length > 1 && points[0]?.[0] === points[points.length - 1]?.[0] && points[0]?.[1] === points[points.length - 1]?.[1] ? points.slice(0, -1) : points;
  const n = ring.length;
  if (n < 3) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const lower = ring[i] as LonLat;
    const middle = ring[(i + 1) % n] as LonLat;
    const upper = ring[(i + 2) % n] as LonLat;
    sum += (upper[0] - lower[0]) * RAD * Math.sin(authalicLatitude(middle[1]));
  }
  return Math.abs((sum * AUTHALIC_R * AUTHALIC_R) / 2);
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
