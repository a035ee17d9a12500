// Where the app runs and where its local resources live. Everything the map loads comes
// from the host that serves the UI: the Tauri custom protocols in the desktop app, or the
// hub's own origin in a browser. Nothing here may name another host.

/** The subset of `window.location` the URL builders need (injectable for tests). */
export interface Where {
  protocol: string;
  origin: string;
}

/** True inside the Tauri webview (the IPC bridge is injected before any script runs). */
export function isTauri(w: object = globalThis): boolean {
  return '__TAURI_INTERNALS__' in w;
}

/**
 * Vector tile URL template of the basemap pack.
 * Tauri serves the MBTiles pack on the `tiles` URI scheme; the hub under `/tiles/`.
 */
export function tileUrl(tauri: boolean, where: Where): string {
  return tauri ? 'tiles://localhost/{z}/{x}/{y}.pbf' : `${where.origin}/tiles/{z}/{x}/{y}.pbf`;
}

/**
 * Glyph URL template. MapLibre needs an absolute URL; braces must stay literal, so this is
 * plain string concatenation (never `new URL`, which would percent-encode them).
 */
export function glyphsUrl(where: Where): string {
  return `${where.origin}/glyphs/{fontstack}/{range}.pbf`;
}

/** CJK is drawn from local system fonts; only Latin glyph PBFs ship with the app. */
export const LOCAL_IDEOGRAPH_FONT_FAMILY = "'Noto Sans CJK SC', 'Noto Sans SC', 'WenQuanYi Micro Hei', sans-serif";
