import { describe, expect, it } from 'vitest';
import {
  bboxRing,
  geodesic,
  inBbox,
  inPolygons,
  pathLength,
  perimeter,
  polygonArea,
  scaleDenominator,
  toDms,
} from '../src/lib/components/commander/geo';

const dms = (d: number, m: number, s: number) => d + m / 60 + s / 3600;

// WGS84, for the independent reference values below (closed forms and quadrature, not the library).
const A = 6378137;
const F = 1 / 298.257223563;
const E2 = F * (2 - F);
const E = Math.sqrt(E2);
const B = A * (1 - F);
const RAD = Math.PI / 180;

/** Meridian arc between two latitudes (degrees): Simpson's rule on the meridian radius of curvature. */
function meridianArc(lat1: number, lat2: number): number {
  const n = 2000;
  const h = ((lat2 - lat1) * RAD) / n;
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const s = Math.sin(lat1 * RAD + i * h);
    const m = (A * (1 - E2)) / (1 - E2 * s * s) ** 1.5;
    sum += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * m;
  }
  return (sum * h) / 3;
}

/** Area of the ellipsoid's zone from the equator to a latitude, per radian of longitude (closed form). */
function zone(lat: number): number {
  const s = Math.sin(lat * RAD);
  return ((B * B) / 2) * (s / (1 - E2 * s * s) + (1 / (2 * E)) * Math.log((1 + E * s) / (1 - E * s)));
}

describe('geodesic length (WGS84, GeographicLib)', () => {
  it('matches Vincenty’s own test line (Flinders Peak → Buninyong, 54 972.271 m)', () => {
    const flinders: [number, number] = [dms(144, 25, 29.5244), -dms(37, 57, 3.7203)];
    const buninyong: [number, number] = [dms(143, 55, 35.3839), -dms(37, 39, 10.1561)];
    expect(geodesic(flinders, buninyong)).toBeCloseTo(54972.271, 3);
  });

  it('solves nearly antipodal points (GeographicLib’s example: Wellington → Salamanca, 19 959 679.267 m)', () => {
    expect(geodesic([174.81, -41.32], [-5.5, 40.96])).toBeCloseTo(19959679.267, 3);
    // Antipodal on the equator: the shortest path runs over a pole, half a meridian.
    expect(geodesic([0, 0], [180, 0])).toBeCloseTo(2 * meridianArc(0, 90), 5);
  });

  it('equals the meridian arc and the equatorial arc (to the micrometre)', () => {
    // 41°–42° N along a meridian: 111 063.588 m.
    expect(geodesic([126, 41], [126, 42])).toBeCloseTo(meridianArc(41, 42), 5);
    expect(meridianArc(41, 42)).toBeCloseTo(111063.588, 3);
    // One degree along the equator: a · π/180.
    expect(geodesic([10, 0], [11, 0])).toBeCloseTo(A * RAD, 6);
  });

  it('is 0 between a point and itself, and symmetric', () => {
    const a: [number, number] = [125.955, 41.735];
    const b: [number, number] = [126.1, 41.6];
    expect(geodesic(a, a)).toBe(0);
    expect(geodesic(a, b)).toBeCloseTo(geodesic(b, a), 6);
  });

  it('sums a path and closes a ring', () => {
    const p: [number, number][] = [
      [126, 41],
      [126, 42],
      [127, 42],
    ];
    expect(pathLength(p)).toBeCloseTo(geodesic([126, 41], [126, 42]) + geodesic([126, 42], [127, 42]), 6);
    expect(perimeter(p)).toBeCloseTo(pathLength(p) + geodesic([127, 42], [126, 41]), 6);
    expect(pathLength([[1, 1]])).toBe(0);
  });
});

describe('geodesic area (WGS84, GeographicLib)', () => {
  // 12 308 778 361.469 m² and 443 770.917 m, as documented for GeographicLib's Rust port
  // (geographiclib-rs); reproduced to 0.01 m² by integrating zone areas along the ring densified
  // to 10 000 points per edge.
  it('gives the 1°×1° geodesic cell at the equator (12 308 778 361.469 m²)', () => {
    const cell: [number, number][] = [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
    ];
    expect(polygonArea(cell)).toBeCloseTo(12308778361.469, 2);
    expect(perimeter(cell)).toBeCloseTo(443770.917, 3);
  });

  it('gives an eighth of the ellipsoid for the octant (closed form, to 1 m² in 6.4 × 10¹³)', () => {
    const total = 4 * Math.PI * zone(90); // 510 065 621 724 088.5 m²
    const area = polygonArea([
      [0, 90],
      [0, 0],
      [90, 0],
    ]);
    expect(Math.abs(area - total / 8)).toBeLessThan(1);
  });

  it('differs from the lat/lon cell only by its geodesic (not parallel) edges', () => {
    // 41°–42° N × 1°: the cell bounded by parallels is 9 273 263 736 m²; the geodesic edges
    // bow poleward by ~120 m, which leaves the polygon 74 161 m² smaller (8 × 10⁻⁶).
    const ring: [number, number][] = [
      [125, 41],
      [126, 41],
      [126, 42],
      [125, 42],
    ];
    const cellArea = RAD * (zone(42) - zone(41));
    expect(cellArea).toBeCloseTo(9273263736, 0);
    expect(cellArea - polygonArea(ring)).toBeCloseTo(74161, -1);
    expect(polygonArea([...ring, [125, 41]])).toBe(polygonArea(ring));
  });

  it('does not depend on the winding', () => {
    const ring: [number, number][] = [
      [125.9, 41.7],
      [126.0, 41.7],
      [125.95, 41.76],
    ];
    expect(polygonArea([...ring].reverse())).toBeCloseTo(polygonArea(ring), 3);
  });

  it('gives about 1 ha for a 100 m square, and nothing for fewer than 3 points', () => {
    const lat = 41.735;
    const dLat = 100 / 111_064; // metres of meridian per degree here
    const dLon = 100 / ((RAD * A * Math.cos(lat * RAD)) / Math.sqrt(1 - E2 * Math.sin(lat * RAD) ** 2));
    const sq: [number, number][] = [
      [126, lat],
      [126 + dLon, lat],
      [126 + dLon, lat + dLat],
      [126, lat + dLat],
    ];
    expect(polygonArea(sq)).toBeGreaterThan(9_999);
    expect(polygonArea(sq)).toBeLessThan(10_001);
    expect(polygonArea(sq.slice(0, 2))).toBe(0);
  });
});

describe('degrees, minutes, seconds', () => {
  it('formats longitude and latitude with hemispheres', () => {
    expect(toDms(125.955, 'lon')).toBe('125°57′18.0″E');
    expect(toDms(41.735, 'lat')).toBe('41°44′06.0″N');
    expect(toDms(-12.5, 'lat')).toBe('12°30′00.0″S');
    expect(toDms(-0.000_01, 'lon')).toBe('0°00′00.0″W');
  });

  it('carries rounded seconds into minutes and degrees', () => {
    expect(toDms(41.999_999, 'lat')).toBe('42°00′00.0″N');
    expect(toDms(10 + 59 / 60 + 59.96 / 3600, 'lon')).toBe('11°00′00.0″E');
    expect(toDms(125.955, 'lon', 2)).toBe('125°57′18.00″E');
  });
});

describe('map scale and point tests', () => {
  it('gives the representative scale 1:N at 96 dpi', () => {
    // z10.4 at 41.7° N: 43.25 m per CSS pixel → about 1:160 000.
    expect(scaleDenominator(41.7, 10.4)).toBe(160_000);
    expect(scaleDenominator(0, 0)).toBe(300_000_000); // 295.8 million, two significant digits
    expect(scaleDenominator(41.7, 13)).toBe(27_000);
  });

  it('tests points against a box and polygons (holes excluded)', () => {
    const b = [125.8, 41.5, 126.1, 41.8] as const;
    expect(inBbox([125.9, 41.6], b)).toBe(true);
    expect(inBbox([126.2, 41.6], b)).toBe(false);
    const outer = bboxRing(b);
    const hole = bboxRing([125.9, 41.6, 126.0, 41.7]);
    expect(outer).toHaveLength(5);
    expect(inPolygons([125.85, 41.55], [[outer]])).toBe(true);
    expect(inPolygons([125.95, 41.65], [[outer, hole]])).toBe(false);
    expect(inPolygons([125.95, 41.65], [[outer, hole], [hole]])).toBe(true);
    expect(inPolygons([127, 41.65], [[outer]])).toBe(false);
  });
});
