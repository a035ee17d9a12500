// mulberry32, the seeded PRNG of the synthetic data (bare.html) and the map benchmark; plain JS so Node runs it as is (types: prng.d.ts).

/** mulberry32: a small, fast, seeded PRNG giving floats in [0, 1). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
