// MapLibre's worker. Vite does not emit it on its own, so it is imported as an asset URL.
// Inside Tauri (tauri://localhost) WebKitGTK refuses to start a Worker from the custom
// scheme ("Worker failed to load"), so the script is fetched and started from a blob: URL
// (reference/stack.md §2); CSP allows `worker-src 'self' blob:`.
import { setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { isTauri } from '../env';

let configured: Promise<void> | null = null;

export function configureWorker(): Promise<void> {
  configured ??= (async () => {
    if (isTauri()) {
      const res = await fetch(workerUrl);
      const text = await res.text();
      setWorkerUrl(URL.createObjectURL(new Blob([text], { type: 'text/javascript' })));
    } else {
      setWorkerUrl(new URL(workerUrl, document.baseURI).href);
    }
  })();
  return configured;
}
