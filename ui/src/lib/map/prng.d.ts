// Types of prng.js (plain JS, shared with ui/bench/map-bench.mjs).

/** mulberry32: a small, fast, seeded PRNG giving floats in [0, 1). */
export function prng(seed: number): () => number;
