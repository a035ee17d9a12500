// The readiness table's layers on the map: the basemap's township polygons filled by a figure's
// colour class (one fill layer above the land, under the basemap's lines and labels and the
// situation layers — outside their update path), and the chosen jurisdiction's boundary.
import type * as maplibregl from 'maplibre-gl';
import type { ExpressionSpecification, FilterSpecification, LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { JurisdictionSummary } from '../../bindings/JurisdictionSummary';
import { BASEMAP_SOURCE } from '../../map/style';
import { boundaryOf } from '../commander/tiers';

export const FILL_LAYER = 'readiness-choropleth';
export const CHOSEN_LAYER = 'readiness-chosen';
const FILL_OPACITY = 0.55;
const CHOSEN_COLOUR = '#ffffff';

export class Choropleth {
  private readonly map: maplibregl.Map;

  constructor(map: maplibregl.Map) {
    this.map = map;
  }

  private layers(): LayerSpecification[] {
    return this.map.getStyle().layers;
  }

  /** Fills the townships that `filter` keeps with `colour` (added on first use). */
  fill(colour: ExpressionSpecification | string, filter: FilterSpecification): void {
    if (!this.map.getSource(BASEMAP_SOURCE)) return;
    if (this.map.getLayer(FILL_LAYER)) {
      this.map.setPaintProperty(FILL_LAYER, 'fill-color', colour);
      this.map.setFilter(FILL_LAYER, filter);
      return;
    }
    // Under the basemap's first line layer: boundaries, rivers and labels stay readable on top.
    const before = this.layers().find((l) => l.type === 'line' && 'source' in l && l.source === BASEMAP_SOURCE)?.id;
    this.map.addLayer(
      { id: FILL_LAYER, type: 'fill', source: BASEMAP_SOURCE, 'source-layer': 'township', filter, paint: { 'fill-color': colour, 'fill-opacity': FILL_OPACITY } },
      before,
    );
  }

  /** Outlines a jurisdiction (null: none) just under the situation layers. */
  outline(j: Pick<JurisdictionSummary, 'code' | 'tier'> | null): void {
    if (this.map.getLayer(CHOSEN_LAYER)) this.map.removeLayer(CHOSEN_LAYER);
    const b = j ? boundaryOf(j) : null;
    if (!b || !this.map.getSource(BASEMAP_SOURCE)) return;
    const k = parseFloat(getComputedStyle(document.documentElement).fontSize) / 16 || 1;
    const before = this.layers().find((l) => 'source' in l && typeof l.source === 'string' && l.source.startsWith('situation-'))?.id;
    this.map.addLayer(
      {
        id: CHOSEN_LAYER,
        type: 'line',
        source: BASEMAP_SOURCE,
        'source-layer': b.sourceLayer,
        filter: ['==', ['get', b.key], b.value],
        layout: { 'line-join': 'round' },
        paint: { 'line-color': CHOSEN_COLOUR, 'line-width': 3 * k, 'line-opacity': 0.9 },
      },
      before,
    );
  }

  /** Takes the fill off the map (the outline stays with the table). */
  clearFill(): void {
    if (this.map.getLayer(FILL_LAYER)) this.map.removeLayer(FILL_LAYER);
  }

  /** Takes both layers off the map. */
  clear(): void {
    this.clearFill();
    this.outline(null);
  }
}
