/**
 * The dash server's young generation, kept at V8's starting size. Folding a large journal makes
 * gigabytes of short-lived strings and objects; V8 doubles its young generation each time the bytes
 * that survived its scavenges pass its size, up to semi-spaces of 64 MB (128 MB of RSS) that it then
 * keeps. A growth factor of 1 keeps it where it starts (1 MB semi-spaces): on a 1 GB journal the fold
 * peaks ~60 MB lower and is no slower (bench/dash). `--max-semi-space-size` would be the usual knob, but
 * V8 reads it only when the heap is set up; the growth factor is read at each growth. Process-wide: call
 * it in the dash's own process only.
 */
import { setFlagsFromString } from "node:v8";

export function keepYoungGenerationSmall(): void {
  setFlagsFromString("--semi-space-growth-factor=1");
}
