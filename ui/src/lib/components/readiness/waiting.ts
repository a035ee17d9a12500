// A wait without progress of its own (the readiness table being measured, an export being
// written) shown on a progress bar: a value easing towards 95 % while the request runs.

/** The bar's value `elapsedMs` into the wait. */
export function waitingProgress(elapsedMs: number): number {
  return Math.min(0.95, 1 - Math.exp(-Math.max(0, elapsedMs) / 700));
}

/** Tells `set` the bar's value now and every 100 ms; the returned function stops it. */
export function startWaiting(set: (value: number) => void): () => void {
  const t0 = performance.now();
  set(waitingProgress(0));
  const timer = setInterval(() => set(waitingProgress(performance.now() - t0)), 100);
  return () => clearInterval(timer);
}
