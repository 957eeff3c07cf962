/**
 * Codex usage events already counted, by time, model and usage numbers: exactly what a string key
 * of them (`${ms},${model},${input},...`) told apart, without making a string per event (turning
 * eight numbers into text was a tenth of a Codex scan). Eight doubles per event, an open-addressed
 * table of their indexes; the model by a number per distinct name.
 */
export interface Usage {
  input: number;
  cached: number;
  write: number;
  output: number;
  reasoning: number;
  total: number;
}

const WIDTH = 8;

export class EventSet {
  private data = new Float64Array(WIDTH * 16384);
  private table = new Int32Array(32768).fill(-1);
  private count = 0;
  /** Model ids by name, null as "null" (as a template literal wrote it); the last one asked. */
  private readonly models = new Map<string, number>();
  private lastModel: string | null | undefined;
  private lastId = 0;

  /** Adds the event; false when an equal one is in already. */
  add(ms: number, model: string | null, t: Usage): boolean {
    let id = this.lastId;
    if (model !== this.lastModel) {
      const name = model === null ? "null" : model;
      let known = this.models.get(name);
      if (known === undefined) {
        known = this.models.size;
        this.models.set(name, known);
      }
      this.lastModel = model;
      this.lastId = id = known;
    }
    const h = hash(ms, id, t.input, t.cached, t.write, t.output, t.reasoning, t.total);
    const mask = this.table.length - 1;
    const d = this.data;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const at = this.table[slot]!;
      if (at < 0) {
        this.table[slot] = this.count;
        this.store(ms, id, t);
        return true;
      }
      const o = at * WIDTH;
      if (
        d[o] === ms &&
        d[o + 1] === id &&
        d[o + 2] === t.input &&
        d[o + 3] === t.cached &&
        d[o + 4] === t.write &&
        d[o + 5] === t.output &&
        d[o + 6] === t.reasoning &&
        d[o + 7] === t.total
      )
        return false;
    }
  }

  private store(ms: number, id: number, t: Usage): void {
    if ((this.count + 1) * WIDTH > this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    const d = this.data;
    const o = this.count * WIDTH;
    d[o] = ms;
    d[o + 1] = id;
    d[o + 2] = t.input;
    d[o + 3] = t.cached;
    d[o + 4] = t.write;
    d[o + 5] = t.output;
    d[o + 6] = t.reasoning;
    d[o + 7] = t.total;
    this.count++;
    if (this.count * 2 > this.table.length) this.rehash();
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2).fill(-1);
    const mask = table.length - 1;
    const d = this.data;
    for (let i = 0; i < this.count; i++) {
      const o = i * WIDTH;
      let slot =
        hash(d[o]!, d[o + 1]!, d[o + 2]!, d[o + 3]!, d[o + 4]!, d[o + 5]!, d[o + 6]!, d[o + 7]!) & mask;
      while (table[slot]! >= 0) slot = (slot + 1) & mask;
      table[slot] = i;
    }
    this.table = table;
  }
}

/**
 * An event's hash: equal numbers hash equal (-0 as 0). The time by the low and high 32 bits of
 * its whole part, the others by their low 32 bits (counts past 2^32 only collide more).
 */
function hash(ms: number, id: number, a: number, b: number, c: number, d: number, e: number, f: number) {
  let h = Math.imul(0x9e3779b9 ^ (ms | 0), 0x85ebca6b);
  h = Math.imul(h ^ ((ms / 4294967296) | 0), 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 15) ^ id, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ (a | 0), 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 15) ^ (b | 0), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ (c | 0), 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 15) ^ (d | 0), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ (e | 0), 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 15) ^ (f | 0), 0x85ebca6b);
  return h ^ (h >>> 16);
}
