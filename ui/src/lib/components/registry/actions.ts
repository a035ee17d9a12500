// What the import and export dialog (导入导出, key X) asks of the API: opening it, an import
// (check or commit) with its progress read every 250 ms while it runs, and an export saved as
// a download.
import * as api from '../../api';
import type { ExportFile } from '../../bindings/ExportFile';
import type { FileFormat } from '../../bindings/FileFormat';
import type { ImportProgress } from '../../bindings/ImportProgress';
import type { ImportReport } from '../../bindings/ImportReport';
import type { ImportRequest } from '../../bindings/ImportRequest';
import type { Registry } from '../../bindings/Registry';
import { fromBase64, saveBlob } from '../../export/save';
import { app } from '../../state.svelte';
import { POLL_MS } from './registry';

export function toggleRegistry(open = !app.registryOpen): void {
  app.registryOpen = open;
}

/** Runs an import, telling `onProgress` how far it is until it answers. */
export async function runImport(request: ImportRequest, onProgress: (p: ImportProgress) => void): Promise<ImportReport> {
  let running = true;
  const poll = async () => {
    while (running) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      if (!running) return;
      try {
        const p = await api.importProgress();
        if (running && p.running) onProgress(p);
      } catch {
        // The import's own answer reports any failure.
      }
    }
  };
  void poll();
  try {
    return await api.importFile(request);
  } finally {
    running = false;
  }
}

/** Exports a registry and saves it as a download; resolves with what was saved. */
export async function exportRegistry(registry: Registry, format: FileFormat): Promise<ExportFile> {
  const f = await api.exportRegistry(registry, format);
  saveBlob(new Blob([fromBase64(f.data)], { type: f.mime }), f.name);
  return f;
}
