// MapFeature rows from the API → GeoJSON for the situation sources, and change pages →
// `updateData` diffs. Pure functions, unit-tested.
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { MapFeature } from '../bindings/MapFeature';
import type { Layer } from '../bindings/Layer';
import type { Changes } from '../bindings/Changes';

/** The situation layers, in drawing order (last on top). */
export const LAYERS: readonly Layer[] = ['warehouses', 'shelters', 'hazards', 'teams', 'incidents'];

/** Properties of one situation feature (what the style and the click handler read). */
export interface FeatureProps {
  id: string;
  layer: Layer;
  name: string;
  class: string;
  status: string;
  grade: number;
  /** The response level in force (incidents; 0: none). */
  response: number;
  demo: boolean;
}

export type SituationFeature = Feature<Point, FeatureProps>;

/** Mirror of the MapLibre diff type, without depending on maplibre in pure code. */
export interface SourceDiff {
  add: SituationFeature[];
  update: {
    id: string;
    newGeometry: Point;
    addOrUpdateProperties: { key: string; value: unknown }[];
  }[];
  remove: string[];
}

export function toFeature(f: MapFeature): SituationFeature {
  return {
    type: 'Feature',
    id: f.id,
    geometry: { type: 'Point', coordinates: [f.lon, f.lat] },
    properties: {
      id: f.id,
      layer: f.layer,
      name: f.name,
      class: f.class,
      status: f.status,
      grade: f.grade,
      response: f.response,
      demo: f.demo,
    },
  };
}

export function emptyByLayer<T>(make: () => T): Record<Layer, T> {
  return {
    incidents: make(),
    teams: make(),
    warehouses: make(),
    shelters: make(),
    hazards: make(),
  };
}

/** Splits the layers() answer into one FeatureCollection per layer. */
export function toCollections(features: readonly MapFeature[]): Record<Layer, FeatureCollection<Point, FeatureProps>> {
  const out = emptyByLayer<FeatureCollection<Point, FeatureProps>>(() => ({ type: 'FeatureCollection', features: [] }));
  for (const f of features) {
    const fc = out[f.layer];
    if (fc) fc.features.push(toFeature(f));
  }
  return out;
}

/** The ids each source holds. */
export type IdIndex = Record<Layer, Set<string>>;

export function indexIds(features: readonly MapFeature[]): IdIndex {
  const idx = emptyByLayer(() => new Set<string>());
  for (const f of features) idx[f.layer]?.add(f.id);
  return idx;
}

/**
 * Turns one page of changes into per-layer diffs, given the ids the sources hold now.
 * A feature already present is updated (geometry + all properties), a new one is added,
 * and a removed id is removed from whichever layer holds it. `ids` is updated in place
 * so that the next page is planned against the state after this one. Layers without
 * changes are absent from the result.
 */
export function planDiff(ids: IdIndex, page: Pick<Changes, 'upserted' | 'removed'>): Partial<Record<Layer, SourceDiff>> {
  const out: Partial<Record<Layer, SourceDiff>> = {};
  const diffOf = (l: Layer): SourceDiff => (out[l] ??= { add: [], update: [], remove: [] });

  for (const id of page.removed) {
    for (const l of LAYERS) {
      if (ids[l].delete(id)) diffOf(l).remove.push(id);
    }
  }
  for (const f of page.upserted) {
    // A feature that moved to another layer (should not happen) leaves the old one.
    for (const l of LAYERS) {
      if (l !== f.layer && ids[l].delete(f.id)) diffOf(l).remove.push(f.id);
    }
    const set = ids[f.layer];
    if (!set) continue;
    const feature = toFeature(f);
    const d = diffOf(f.layer);
    if (set.has(f.id)) {
      const pending = d.add.findIndex((a) => a.id === f.id);
      if (pending >= 0) {
        d.add[pending] = feature; // added earlier in this same page
      } else {
        d.update = d.update.filter((u) => u.id !== f.id);
        d.update.push({
          id: f.id,
          newGeometry: feature.geometry,
          addOrUpdateProperties: Object.entries(feature.properties).map(([key, value]) => ({ key, value })),
        });
      }
    } else {
      // Removed then re-added in one page: MapLibre applies remove before add, so both stay.
      set.add(f.id);
      d.add.push(feature);
    }
  }
  return out;
}
