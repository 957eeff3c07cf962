/**
 * How the dash's process keeps its heap small. Its young generation stays at V8's starting size:
 * folding a large journal makes gigabytes of short-lived strings and objects, and V8 doubles its young
 * generation each time the bytes that survived its scavenges pass its size, up to semi-spaces of 64 MB
 * (128 MB of RSS) that it then keeps. A growth factor of 1 keeps it where it starts (1 MB semi-spaces):
 * on a 1 GB journal the fold peaks ~60 MB lower and is no slower (bench/dash). `--max-semi-space-size`
 * would be the usual knob, but V8 reads it only when the heap is set up; the growth factor is read at
 * each growth. Process-wide: call it in the dash's own process only.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

export function keepYoungGenerationSmall(): void {
  setFlagsFromString("--semi-space-growth-factor=1");
}

/**
 * A full garbage collection, for the dash's first read of a large journal. What the fold keeps for a while
 * (an iteration's steps, a session's usage until its end) is promoted and then dies; V8 lets its old
 * generation grow to ~3x what lives before it collects, ~30 MB more at the peak of a 1 GB read. One
 * collection per 32 MB read (~15 ms each) keeps it near what lives, at no cost in read time (bench/dash).
 * Process-wide (it exposes `gc`): the dash's own process only.
 */
export function fullCollection(): () => void {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as (o?: { type: "major" | "minor" }) => void;
  return () => gc({ type: "major" });
}
