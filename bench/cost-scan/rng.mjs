/** A seeded random source for the cost-scan generator, and the ids and clocks the agent CLIs write. */

/** mulberry32: a small seeded PRNG over [0, 1), with helpers. Same seed, same sequence. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = {
    next,
    /** An integer in [lo, hi]. */
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    /** True with probability p. */
    chance: (p) => next() < p,
    pick: (list) => list[Math.floor(next() * list.length)],
    /** One of `entries` ([value, weight] pairs), by weight. */
    weighted: (entries) => {
      const total = entries.reduce((s, [, w]) => s + w, 0);
      let x = next() * total;
      for (const [v, w] of entries) {
        x -= w;
        if (x < 0) return v;
      }
      return entries.at(-1)[0];
    },
    /** A log-normal integer with the given median and spread (sigma of the log), clamped to [lo, hi]. */
    lognormal: (median, sigma, lo, hi) => {
      const u = Math.max(next(), 1e-12);
      const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
      return Math.min(hi, Math.max(lo, Math.round(median * Math.exp(sigma * z))));
    },
    hex: (n) => {
      let s = "";
      for (let i = 0; i < n; i++) s += HEX[Math.floor(next() * 16)];
      return s;
    },
    base62: (n) => {
      let s = "";
      for (let i = 0; i < n; i++) s += B62[Math.floor(next() * 62)];
      return s;
    },
    /** A random (version 4) UUID. */
    uuid: () => {
      const h = r.hex(32);
      const v = HEX[8 + Math.floor(next() * 4)];
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${v}${h.slice(17, 20)}-${h.slice(20)}`;
    },
    /** A time-ordered (version 7) UUID for the millisecond `ms`, as Codex names its threads. */
    uuid7: (ms) => {
      const t = ms.toString(16).padStart(12, "0");
      const h = r.hex(20);
      const v = HEX[8 + Math.floor(next() * 4)];
      return `${t.slice(0, 8)}-${t.slice(8)}-7${h.slice(0, 3)}-${v}${h.slice(3, 6)}-${h.slice(6, 18)}`;
    },
  };
  return r;
}

const HEX = "0123456789abcdef";
const B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** ISO time with milliseconds, UTC, as both CLIs write `timestamp`. */
export const iso = (ms) => new Date(ms).toISOString();

/** Codex's rollout file name stamp: 2025-10-01T09-30-12 (local time; the generator's clock is UTC). */
export const rolloutStamp = (ms) => iso(ms).slice(0, 19).replaceAll(":", "-");

export const DAY_MS = 86_400_000;

/** A slice of `min`..`max` characters of `blob` at a random place (signatures, encrypted reasoning). */
export function sliceOf(r, blob, min, max) {
  const n = r.int(min, max);
  const at = r.int(0, blob.length - n);
  return blob.slice(at, at + n);
}
