/**
 * A small WebAssembly assembler, enough for simd.ts: functions written as nested instruction lists
 * with named locals, globals, labels and callees, encoded to a module's bytes. Instruction numbers
 * are those of the WebAssembly 2.0 core spec (SIMD included).
 */

export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

type ValType = typeof I32 | typeof F64 | typeof V128;

/** Code: bytes, or structured parts resolved when the function is encoded. */
export type Code = number | Code[] | Part;
type Part =
  | { kind: "block"; label: string; body: Code[] }
  | { kind: "loop"; label: string; body: Code[] }
  | { kind: "if"; then: Code[]; else?: Code[] }
  | { kind: "br"; label: string }
  | { kind: "br_if"; label: string }
  | { kind: "local"; op: 0x20 | 0x21 | 0x22; name: string }
  | { kind: "global"; op: 0x23 | 0x24; name: string }
  | { kind: "call"; name: string };

export interface Func {
  name: string;
  params: [string, ValType][];
  result: ValType | null;
  locals: [string, ValType][];
  body: Code[];
  exported: boolean;
}

export const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
};

// structure
export const block = (label: string, ...body: Code[]): Part => ({ kind: "block", label, body });
export const loop = (label: string, ...body: Code[]): Part => ({ kind: "loop", label, body });
export const if_ = (cond: Code, then: Code[], otherwise?: Code[]): Code[] =>
  otherwise ? [cond, { kind: "if", then, else: otherwise }] : [cond, { kind: "if", then }];
export const br = (label: string): Part => ({ kind: "br", label });
export const brIf = (label: string, cond: Code): Code[] => [cond, { kind: "br_if", label }];
export const ret = (value?: Code): Code[] => (value === undefined ? [0x0f] : [value, 0x0f]);
export const call = (name: string, ...args: Code[]): Code[] => [...args, { kind: "call", name }];

// variables
export const get = (name: string): Part => ({ kind: "local", op: 0x20, name });
export const set = (name: string, value: Code): Code[] => [value, { kind: "local", op: 0x21, name }];
export const tee = (name: string, value: Code): Code[] => [value, { kind: "local", op: 0x22, name }];
export const gget = (name: string): Part => ({ kind: "global", op: 0x23, name });
export const gset = (name: string, value: Code): Code[] => [value, { kind: "global", op: 0x24, name }];

// i32
export const i32 = (n: number): number[] => [0x41, ...sleb(n | 0)];
const bin =
  (op: number) =>
  (a: Code, b: Code): Code[] => [a, b, op];
export const eqz = (a: Code): Code[] => [a, 0x45];
export const eq = bin(0x46);
export const ne = bin(0x47);
export const ltS = bin(0x48);
export const ltU = bin(0x49);
export const gtS = bin(0x4a);
export const gtU = bin(0x4b);
export const leS = bin(0x4c);
export const leU = bin(0x4d);
export const geS = bin(0x4e);
export const geU = bin(0x4f);
export const clz = (a: Code): Code[] => [a, 0x67];
export const ctz = (a: Code): Code[] => [a, 0x68];
export const add = bin(0x6a);
export const sub = bin(0x6b);
export const mul = bin(0x6c);
export const and = bin(0x71);
export const or = bin(0x72);
export const shl = bin(0x74);
export const select = (a: Code, b: Code, cond: Code): Code[] => [a, b, cond, 0x1b];
/** Memory access at an address plus a constant offset. */
export const load8 = (addr: Code, offset = 0): Code[] => [addr, 0x2d, 0, ...uleb(offset)];
export const load32 = (addr: Code, offset = 0): Code[] => [addr, 0x28, 0, ...uleb(offset)];
export const load64 = (addr: Code, offset = 0): Code[] => [addr, 0x29, 0, ...uleb(offset)];
export const ne64 = bin(0x52);
export const store8 = (addr: Code, value: Code): Code[] => [addr, value, 0x3a, 0, 0];
export const store32 = (addr: Code, value: Code): Code[] => [addr, value, 0x36, 0, 0];

// f64
export const f64 = (x: number): number[] => {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(x);
  return [0x44, ...b];
};
export const f64Add = bin(0xa0);
export const f64Mul = bin(0xa2);
export const f64FromU32 = (a: Code): Code[] => [a, 0xb8];
export const f64FromI32 = (a: Code): Code[] => [a, 0xb7];
export const divU = bin(0x6e);
export const remU = bin(0x70);
export const shrU = bin(0x76);
export const storeF64 = (addr: Code, value: Code): Code[] => [addr, value, 0x39, 0, 0];

// v128
const simd = (op: number) => [0xfd, ...uleb(op)];
export const vload = (addr: Code, offset = 0): Code[] => [addr, ...simd(0x00), 0, ...uleb(offset)];
export const splat8 = (a: Code): Code[] => [a, ...simd(0x0f)];
/** A v128 constant of one byte in every lane. */
export const vconst8 = (b: number): number[] => [...simd(0x0c), ...new Array<number>(16).fill(b & 0xff)];
export const vOps = {
  eq8: (a: Code, b: Code): Code[] => [a, b, ...simd(0x23)],
  ltU8: (a: Code, b: Code): Code[] => [a, b, ...simd(0x26)],
  and: (a: Code, b: Code): Code[] => [a, b, ...simd(0x4e)],
  or: (a: Code, b: Code): Code[] => [a, b, ...simd(0x50)],
  bitmask8: (a: Code): Code[] => [a, ...simd(0x64)],
};

export function func(
  name: string,
  params: [string, ValType][],
  result: ValType | null,
  locals: [string, ValType][],
  body: Code[],
  exported = true,
): Func {
  return { name, params, result, locals, body, exported };
}

/** A module of `funcs`, with mutable i32 `globals` (0 at start) and one memory of `pages`, exported as "memory". */
export function assemble(funcs: Func[], globals: string[], pages: number): Uint8Array {
  const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
  const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];
  const name = (s: string): number[] => vec([...Buffer.from(s)].map((b) => [b]));
  const index = new Map(funcs.map((f, i) => [f.name, i]));
  const globalIndex = new Map(globals.map((g, i) => [g, i]));
  const types = funcs.map((f) => [
    0x60,
    ...vec(f.params.map(([, t]) => [t])),
    ...vec(f.result === null ? [] : [[f.result]]),
  ]);

  const encode = (f: Func): number[] => {
    const locals = new Map<string, number>();
    for (const [n] of [...f.params, ...f.locals]) {
      if (locals.has(n)) throw new Error(`wasm ${f.name}: ${n} twice`);
      locals.set(n, locals.size);
    }
    const out: number[] = [];
    const labels: string[] = [];
    const depth = (label: string) => {
      const at = labels.lastIndexOf(label);
      if (at < 0) throw new Error(`wasm ${f.name}: no label ${label}`);
      return labels.length - 1 - at;
    };
    const emit = (c: Code): void => {
      if (typeof c === "number") out.push(c);
      else if (Array.isArray(c)) for (const x of c) emit(x);
      else if (c.kind === "block" || c.kind === "loop") {
        out.push(c.kind === "block" ? 0x02 : 0x03, 0x40);
        labels.push(c.label);
        for (const x of c.body) emit(x);
        labels.pop();
        out.push(0x0b);
      } else if (c.kind === "if") {
        out.push(0x04, 0x40);
        labels.push("");
        for (const x of c.then) emit(x);
        if (c.else) {
          out.push(0x05);
          for (const x of c.else) emit(x);
        }
        labels.pop();
        out.push(0x0b);
      } else if (c.kind === "br" || c.kind === "br_if")
        out.push(c.kind === "br" ? 0x0c : 0x0d, ...uleb(depth(c.label)));
      else if (c.kind === "local") {
        const i = locals.get(c.name);
        if (i === undefined) throw new Error(`wasm ${f.name}: no local ${c.name}`);
        out.push(c.op, ...uleb(i));
      } else if (c.kind === "global") {
        const i = globalIndex.get(c.name);
        if (i === undefined) throw new Error(`wasm ${f.name}: no global ${c.name}`);
        out.push(c.op, ...uleb(i));
      } else {
        const i = index.get(c.name);
        if (i === undefined) throw new Error(`wasm ${f.name}: no function ${c.name}`);
        out.push(0x10, ...uleb(i));
      }
    };
    for (const x of f.body) emit(x);
    const decl = vec(f.locals.map(([, t]) => [1, t]));
    const b = [...decl, ...out, 0x0b];
    return [...uleb(b.length), ...b];
  };

  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(3, vec(funcs.map((_, i) => uleb(i)))),
    ...section(5, vec([[0x00, ...uleb(pages)]])),
    ...section(6, vec(globals.map(() => [I32, 0x01, 0x41, 0x00, 0x0b]))),
    ...section(
      7,
      vec([
        ...funcs.flatMap((f, i) => (f.exported ? [[...name(f.name), 0x00, ...uleb(i)]] : [])),
        [...name("memory"), 0x02, 0],
      ]),
    ),
    ...section(10, vec(funcs.map(encode))),
  ]);
}
