// What the measure tool computes and draws, from its mode and points. Pure, unit-tested.
import type { Feature, FeatureCollection } from 'geojson';
import type { MeasureMode } from '../../state.svelte';
import { pathLength, perimeter, polygonArea, type LonLat } from './geo';

/** The figures of a measurement: length (distance mode), area and perimeter (area mode). */
export function measured(mode: MeasureMode, points: readonly LonLat[]): { length: number; area: number; perimeter: number } {
  if (mode === 'area') return { length: 0, area: polygonArea(points), perimeter: perimeter(points) };
  return { length: pathLength(points), area: 0, perimeter: 0 };
}

/** The GeoJSON drawn for a measurement (the pointer's rubber band while drawing). */
export function measureFeatures(mode: MeasureMode, points: readonly LonLat[], hover: LonLat | null, label: (m: number) => string): FeatureCollection {
  const features: Feature[] = [];
  if (mode === 'off') return { type: 'FeatureCollection', features };
  const pts = points.map((p) => [p[0], p[1]]);
  const withHover = hover ? [...pts, [hover[0], hover[1]]] : pts;
  if (mode === 'area' && withHover.length >= 3) {
    const ring = [...withHover, withHover[0] as number[]];
    features.push({ type: 'Feature', properties: { role: 'fill' }, geometry: { type: 'Polygon', coordinates: [ring] } });
    features.push({ type: 'Feature', properties: { role: 'line' }, geometry: { type: 'LineString', coordinates: ring } });
  } else if (pts.length >= 2) {
    features.push({ type: 'Feature', properties: { role: 'line' }, geometry: { type: 'LineString', coordinates: pts } });
  }
  if (hover && pts.length >= 1 && !(mode === 'area' && withHover.length >= 3)) {
    features.push({ type: 'Feature', properties: { role: 'preview' }, geometry: { type: 'LineString', coordinates: [pts[pts.length - 1] as number[], [hover[0], hover[1]]] } });
  }
  let run = 0;
  pts.forEach((p, i) => {
    if (i > 0) run += pathLength([points[i - 1] as LonLat, points[i] as LonLat]);
    const text = mode === 'distance' && i > 0 ? label(run) : '';
    features.push({ type: 'Feature', properties: { role: 'vertex', label: text }, geometry: { type: 'Point', coordinates: p } });
  });
  return { type: 'FeatureCollection', features };
}

