// Export of the current view as PNG or PDF (keys E / P) through `exportView` of
// lib/export/view.ts: the region (or the drill-down jurisdiction), the wall's classification
// line, the legend of the visible layers, in the current language. The file is saved by
// the browser (a download); the Blob is returned too.
import * as api from '../../api';
import { toFailure } from '../../api';
import { pick } from '../../i18n/core';
import { i18n } from '../../i18n/index.svelte';
import { app, mapRef, showToast } from '../../state.svelte';
import { exportView, legendGroups } from '../../export/view';
import { tierTree } from './actions';

export async function exportCurrentView(format: 'png' | 'pdf'): Promise<Blob | null> {
  const ctl = mapRef.get();
  const boot = app.boot;
  if (!ctl || !boot || app.exporting) return null;
  app.exporting = format;
  try {
    const lang = i18n.lang;
    const j = app.drill ? tierTree().byCode.get(app.drill.code) : undefined;
    const region = j ? pick(lang, j.name_zh, j.name_en) : pick(lang, boot.region.name_zh, boot.region.name_en);
    app.wall ??= await api.wall();
    return await exportView(ctl.map, format, {
      region,
      classification: app.wall.classification,
      legend: legendGroups(ctl.palette, app.visible, lang),
      lang,
      demo: boot.demo,
    });
  } catch (e) {
    showToast(toFailure(e).toString());
    return null;
  } finally {
    app.exporting = null;
  }
}
