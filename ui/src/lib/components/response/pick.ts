// The intake's location on the map: "pick on map" (the next click sets it; clicks select
// nothing meanwhile) and the location drawn as a ring (a GeoJSON source of its own).
import type { GeoJSONSource, MapMouseEvent } from 'maplibre-gl';
import type { Point } from '../../bindings/Point';
import { mapScale } from '../../map/style';
import { app, mapRef } from '../../state.svelte';

export const LOCATION_SOURCE = 'response-intake-location';
const COLOUR = '#ffd54a';

let stopPicking: (() => void) | null = null;

/** Waits for a click on the map and hands its lon/lat to `onPick` (Esc or `cancelPick` stop it). */
export function pickOnMap(onPick: (p: Point) => void): void {
  cancelPick();
  const map = mapRef.get()?.map;
  if (!map) return;
  const container = map.getContainer();
  const onClick = (e: MapMouseEvent) => {
    stopPicking?.();
    stopPicking = null;
    // The console's own click handler may answer this click later (an empty spot: after a
    // cluster test): it still sees the pick, so it neither selects nor deselects.
    setTimeout(() => {
      if (!stopPicking) app.intakePicking = false;
    }, 250);
    onPick({ lon: Math.round(e.lngLat.lng * 1e6) / 1e6, lat: Math.round(e.lngLat.lat * 1e6) / 1e6 });
  };
  map.on('click', onClick);
  container.classList.add('picking-location');
  app.intakePicking = true;
  stopPicking = () => {
    map.off('click', onClick);
    container.classList.remove('picking-location');
  };
}

export function cancelPick(): void {
  stopPicking?.();
  stopPicking = null;
  app.intakePicking = false;
}

/** Draws the intake's location (null: removes it). */
export function showLocation(p: Point | null): void {
  const map = mapRef.get()?.map;
  if (!map) return;
  const data: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: p ? [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [p.lon, p.lat] } }] : [] };
  const src = map.getSource<GeoJSONSource>(LOCATION_SOURCE);
  if (src) {
    void src.setData(data);
    return;
  }
  if (!p) return;
  const k = mapScale(getComputedStyle(document.documentElement).fontSize);
  map.addSource(LOCATION_SOURCE, { type: 'geojson', data });
  map.addLayer({
    id: `${LOCATION_SOURCE}-ring`,
    type: 'circle',
    source: LOCATION_SOURCE,
    paint: { 'circle-radius': 9 * k, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': COLOUR, 'circle-stroke-width': 3 * k },
  });
}
