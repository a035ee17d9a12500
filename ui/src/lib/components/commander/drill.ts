// The drill-down on the map: the situation layers filtered to records inside a jurisdiction
// (a `within` filter added to each situation layer's own filter), and its boundary outlined.
// The shape is the jurisdiction's bounding box at first, then — once its tiles are loaded —
// its boundary polygon read back from the basemap's vector tiles (`querySourceFeatures`:
// the tile pieces of the polygon, which together cover it).
import type * as maplibregl from 'maplibre-gl';
import type { FilterSpecification, LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { JurisdictionSummary } from '../../bindings/JurisdictionSummary';
import { BASEMAP_SOURCE } from '../../map/style';
import { bboxRing, type Bbox, type Polygons } from './geo';
import { boundaryOf } from './tiers';

export const OUTLINE_LAYER = 'commander-drill-outline';
const OUTLINE_COLOUR = '#ffd54a';

/** The situation layers the filter applies to (not the selection rings: the controller owns
 *  their filters). */
function situationLayers(map: maplibregl.Map): string[] {
  return map
    .getStyle()
    .layers.filter((l: LayerSpecification) => 'source' in l && typeof l.source === 'string' && l.source.startsWith('situation-') && !l.id.endsWith('-selected'))
    .map((l) => l.id);
}

export class DrillFilter {
  private readonly map: maplibregl.Map;
  /** Each touched layer's own filter, restored when the drill-down ends. */
  private readonly base = new Map<string, FilterSpecification | null>();

  constructor(map: maplibregl.Map) {
    this.map = map;
  }

  /** Keeps only the features inside `polygons` (null: every feature). */
  apply(polygons: Polygons | null): void {
    if (!polygons) return this.clear();
    const geometry = polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
    const within = ['within', geometry] as unknown as FilterSpecification;
    for (const id of situationLayers(this.map)) {
      if (!this.base.has(id)) this.base.set(id, (this.map.getFilter(id) as FilterSpecification | undefined) ?? null);
      const own = this.base.get(id);
      this.map.setFilter(id, own ? (['all', own, within] as unknown as FilterSpecification) : within);
    }
  }

  clear(): void {
    for (const [id, own] of this.base) if (this.map.getLayer(id)) this.map.setFilter(id, own);
    this.base.clear();
    this.outline(null);
  }

  /** Outlines a jurisdiction's boundary from the basemap (none for null or a village). */
  outline(j: Pick<JurisdictionSummary, 'code' | 'tier'> | null): void {
    if (this.map.getLayer(OUTLINE_LAYER)) this.map.removeLayer(OUTLINE_LAYER);
    const b = j ? boundaryOf(j) : null;
    if (!b || !this.map.getSource(BASEMAP_SOURCE)) return;
    const k = parseFloat(getComputedStyle(document.documentElement).fontSize) / 16 || 1;
    // Below the situation layers, above the basemap's lines and labels.
    const before = this.map.getStyle().layers.find((l: LayerSpecification) => 'source' in l && typeof l.source === 'string' && l.source.startsWith('situation-'))?.id;
    this.map.addLayer(
      {
        id: OUTLINE_LAYER,
        type: 'line',
        source: BASEMAP_SOURCE,
        'source-layer': b.sourceLayer,
        filter: ['==', ['get', b.key], b.value],
        layout: { 'line-join': 'round' },
        paint: { 'line-color': OUTLINE_COLOUR, 'line-width': 3 * k, 'line-opacity': 0.95 },
      },
      before,
    );
  }

  /** The boundary polygons of a jurisdiction in the loaded tiles (null when none is loaded). */
  boundary(j: Pick<JurisdictionSummary, 'code' | 'tier'>): Polygons | null {
    const b = boundaryOf(j);
    if (!b || !this.map.getSource(BASEMAP_SOURCE)) return null;
    const out: Polygons = [];
    for (const f of this.map.querySourceFeatures(BASEMAP_SOURCE, { sourceLayer: b.sourceLayer, filter: ['==', ['get', b.key], b.value] })) {
      const g = f.geometry;
      if (g.type === 'Polygon') out.push(g.coordinates);
      else if (g.type === 'MultiPolygon') out.push(...g.coordinates);
    }
    return out.length > 0 ? out : null;
  }
}

/** A bounding box as polygons (one ring). */
export function bboxPolygons(b: Bbox): Polygons {
  return [[bboxRing(b)]];
}
