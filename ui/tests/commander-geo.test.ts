import { describe, expect, it } from 'vitest';
import {
  authalicLatitude,
  bboxRing,
  geodesic,
  haversine,
  inBbox,
  inPolygons,
  pathLength,
  perimeter,
  polygonArea,
  scaleDenominator,
  toDms,
} from '../src/lib/components/commander/geo';

const dms = (d: number, m: number, s: number) => d + m / 60 + s / 3600;

describe('geodesic length (WGS84, Vincenty)', () => {
  it('matches Vincenty’s own test line (Flinders Peak → Buninyong, 54 972.271 m)', () => {
    const flinders: [number, number] = [dms(144, 25, 29.5244), -dms(37, 57, 3.7203)];
    const buninyong: [number, number] = [dms(143, 55, 35.3839), -dms(37, 39, 10.1561)];
    expect(geodesic(flinders, buninyong)).toBeCloseTo(54972.271, 2);
  });

  it('is 0 between a point and itself, and symmetric', () => {
    const a: [number, number] = [125.955, 41.735];
    const b: [number, number] = [126.1, 41.6];
    expect(geodesic(a, a)).toBe(0);
    expect(geodesic(a, b)).toBeCloseTo(geodesic(b, a), 6);
  });

  it('agrees with the haversine to half a percent, and one degree of meridian is ~111 km', () => {
    const a: [number, number] = [125.8, 41.5];
    const b: [number, number] = [126.2, 41.9];
    expect(Math.abs(geodesic(a, b) - haversine(a, b)) / haversine(a, b)).toBeLessThan(0.005);
    // Meridian arc 41°–42° N on WGS84: 111 061 m (to a metre).
    expect(geodesic([126, 41], [126, 42])).toBeCloseTo(111061, -1);
  });

  it('falls back to the haversine for nearly antipodal points', () => {
    const d = geodesic([0, 0], [179.7, 0.5]);
    expect(d).toBeGreaterThan(19_900_000);
    expect(d).toBeLessThan(20_050_000);
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

describe('area on the authalic sphere', () => {
  /** Exact area of a latitude/longitude cell on the WGS84 ellipsoid. */
  function cellArea(lat1: number, lat2: number, dLon: number): number {
    const a = 6378137;
    const f = 1 / 298.257223563;
    const e2 = f * (2 - f);
    const e = Math.sqrt(e2);
    const b = a * (1 - f);
    const F = (phi: number) => {
      const s = Math.sin((phi * Math.PI) / 180);
      return s / (1 - e2 * s * s) + (1 / (2 * e)) * Math.log((1 + e * s) / (1 - e * s));
    };
    return ((b * b * ((dLon * Math.PI) / 180)) / 2) * (F(lat2) - F(lat1));
  }

  it('is exact for a degree cell (a rectangle in lon/lat)', () => {
    const ring: [number, number][] = [
      [125, 41],
      [126, 41],
      [126, 42],
      [125, 42],
    ];
    expect(polygonArea(ring) / cellArea(41, 42, 1)).toBeCloseTo(1, 9);
    expect(polygonArea([...ring, [125, 41]])).toBeCloseTo(polygonArea(ring), 3);
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
    const dLat = 100 / 111_061; // metres of meridian per degree here
    const dLon = 100 / ((Math.PI / 180) * 6378137 * Math.cos((lat * Math.PI) / 180) / Math.sqrt(1 - 0.00669438 * Math.sin((lat * Math.PI) / 180) ** 2));
    const sq: [number, number][] = [
      [126, lat],
      [126 + dLon, lat],
      [126 + dLon, lat + dLat],
      [126, lat + dLat],
    ];
    expect(polygonArea(sq)).toBeGreaterThan(9_990);
    expect(polygonArea(sq)).toBeLessThan(10_010);
    expect(polygonArea(sq.slice(0, 2))).toBe(0);
  });

  it('authalic latitude: 0 and ±90 fixed, slightly below the geodetic between', () => {
    expect(authalicLatitude(0)).toBe(0);
    expect(authalicLatitude(90)).toBeCloseTo(Math.PI / 2, 12);
    expect(authalicLatitude(45)).toBeLessThan(Math.PI / 4);
    expect(authalicLatitude(45)).toBeGreaterThan(Math.PI / 4 - 0.003);
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
