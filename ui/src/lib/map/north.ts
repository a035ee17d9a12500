// A north arrow on the map: always visible, turns with the map's bearing, and (a button)
// turns the map back to north when clicked. MapLibre's compass (NavigationControl) does the
// same in the zoom group; this one is large and labelled, for a wall display and for exports
// of the screen. Its label follows the page language (`<html lang>`, which the console's
// language switch sets).
import type { IControl, Map as MapLibreMap } from 'maplibre-gl';
import { translate, type Lang } from '../i18n/core';
import './controls.css';

const SVG_NS = 'http://www.w3.org/2000/svg';

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string>): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

/** The page language as the dictionaries know it. */
export function pageLang(doc: Document = document): Lang {
  return doc.documentElement.lang.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

export class NorthArrowControl implements IControl {
  private map: MapLibreMap | null = null;
  private container: HTMLElement | null = null;
  private button: HTMLButtonElement | null = null;
  private rose: SVGSVGElement | null = null;
  private observer: MutationObserver | null = null;
  private readonly onRotate = (): void => this.update();

  onAdd(map: MapLibreMap): HTMLElement {
    this.map = map;
    const container = document.createElement('div');
    container.className = 'maplibregl-ctrl onemap-north';
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'onemap-north-button';
    button.dataset['testid'] = 'north-arrow';
    button.addEventListener('click', () => map.resetNorth({ duration: 300 }));
    // A needle, its north half red, and the letter N above it.
    const svg = el('svg', { viewBox: '0 0 40 52', 'aria-hidden': 'true', focusable: 'false' });
    svg.append(
      el('path', { d: 'M20 14L27 34H13Z', fill: '#ff4d4f', stroke: '#ffffff', 'stroke-width': '1.5', 'stroke-linejoin': 'round' }),
      el('path', { d: 'M20 50L27 34H13Z', fill: '#1b2a3d', stroke: '#ffffff', 'stroke-width': '1.5', 'stroke-linejoin': 'round' }),
    );
    const n = el('text', { x: '20', y: '11', 'text-anchor': 'middle', 'font-size': '12', 'font-weight': '700', fill: '#ffffff', 'font-family': 'sans-serif' });
    n.textContent = 'N';
    svg.append(n);
    button.append(svg);
    container.append(button);
    this.container = container;
    this.button = button;
    this.rose = svg;
    map.on('rotate', this.onRotate);
    this.observer = new MutationObserver(() => this.label());
    this.observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
    this.label();
    this.update();
    return container;
  }

  onRemove(): void {
    this.map?.off('rotate', this.onRotate);
    this.observer?.disconnect();
    this.container?.remove();
    this.map = null;
  }

  private label(): void {
    const text = translate(pageLang(), 'map.north');
    this.button?.setAttribute('aria-label', text);
    if (this.button) this.button.title = text;
    // MapLibre's own buttons (zoom, compass) are named once at start: keep them in step too.
    const root = this.map?.getContainer();
    const name = (selector: string, key: string): void => {
      const b = root?.querySelector<HTMLElement>(selector);
      if (b) {
        const s = translate(pageLang(), key);
        b.title = s;
        b.setAttribute('aria-label', s);
      }
    };
    name('.maplibregl-ctrl-zoom-in', 'map.zoom_in');
    name('.maplibregl-ctrl-zoom-out', 'map.zoom_out');
    name('.maplibregl-ctrl-compass', 'map.reset_bearing');
  }

  private update(): void {
    if (!this.map || !this.rose) return;
    this.rose.style.transform = `rotate(${-this.map.getBearing()}deg)`;
  }
}
