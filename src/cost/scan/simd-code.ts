/**
 * The source of simd.ts's WebAssembly module, in wasm-asm.ts's notation; simd-wasm.ts holds its
 * bytes (assembling them at every start took 10-20 ms): `node scripts/simd-wasm.ts` writes them
 * again, and a unit test fails while they are stale. What each function does: see simd.ts.
 */

import { iso } from "./simd-iso.ts";
import {
  add,
  and,
  assemble,
  block,
  br,
  brIf,
  type Code,
  call,
  clz,
  ctz,
  eq,
  eqz,
  F64,
  f64,
  f64Add,
  f64FromU32,
  f64Mul,
  func,
  geS,
  get,
  geU,
  gget,
  gset,
  gtS,
  gtU,
  I32,
  i32,
  if_,
  leS,
  leU,
  load8,
  load32,
  load64,
  loop,
  ltS,
  ltU,
  mul,
  ne,
  ne64,
  or,
  ret,
  select,
  set,
  shl,
  splat8,
  store8,
  store32,
  storeF64,
  sub,
  tee,
  V128,
  vconst8,
  vload,
  vOps,
} from "./wasm-asm.ts";

const p = get("p");
const END = gget("END");
const inc = (name: string, by = 1) => set(name, add(get(name), i32(by)));
const anyOf = (x: Code, bytes: number[]): Code =>
  bytes.map((b): Code => eq(x, i32(b))).reduce((a, b) => or(a, b));

/**
 * find{n}: candidates where the first two bytes are (the first alone for n = 1), 32 positions a
 * round; each candidate's n bytes then compared at once (a 4-byte load, masked).
 */
function find(n: number) {
  const candidates = (offset: number): Code => {
    const first = vOps.eq8(vload(get("pos"), offset), get("v0"));
    return vOps.bitmask8(
      n === 1 ? first : vOps.and(first, vOps.eq8(vload(get("pos"), offset + 1), get("v1"))),
    );
  };
  const mask = n === 4 ? -1 : (1 << (8 * n)) - 1;
  return func(
    `find${n}`,
    [
      ["pos", I32],
      ["end", I32],
      ["b0", I32],
      ["b1", I32],
      ["b2", I32],
      ["b3", I32],
    ],
    I32,
    [
      ["v0", V128],
      ["v1", V128],
      ["bits", I32],
      ["last", I32],
      ["i", I32],
      ["word", I32],
    ],
    [
      set("v0", splat8(get("b0"))),
      set("v1", splat8(get("b1"))),
      set(
        "word",
        and(
          or(or(get("b0"), shl(get("b1"), i32(8))), or(shl(get("b2"), i32(16)), shl(get("b3"), i32(24)))),
          i32(mask),
        ),
      ),
      set("last", sub(get("end"), i32(n))), // the last place a match may start
      loop(
        "l",
        if_(gtS(get("pos"), get("last")), [ret(i32(-1))]),
        set("bits", or(candidates(0), shl(candidates(16), i32(16)))),
        loop(
          "c",
          if_(get("bits"), [
            set("i", add(get("pos"), ctz(get("bits")))),
            if_(gtS(get("i"), get("last")), [ret(i32(-1))]),
            if_(eq(and(load32(get("i")), i32(mask)), get("word")), [ret(get("i"))]),
            set("bits", and(get("bits"), sub(get("bits"), i32(1)))),
            br("c"),
          ]),
        ),
        inc("pos", 32),
        br("l"),
      ),
      i32(-1),
    ],
  );
}

const stringEnd = func(
  "stringEnd",
  [
    ["pos", I32],
    ["end", I32],
  ],
  I32,
  [
    ["q", V128],
    ["bs", V128],
    ["sp", V128],
    ["v", V128],
    ["bits", I32],
  ],
  [
    set("q", splat8(i32(0x22))),
    set("bs", splat8(i32(0x5c))),
    set("sp", splat8(i32(0x20))),
    loop(
      "l",
      if_(geU(get("pos"), get("end")), [ret(get("end"))]),
      set("v", vload(get("pos"))),
      set(
        "bits",
        vOps.bitmask8(
          vOps.or(
            vOps.or(vOps.eq8(get("v"), get("q")), vOps.eq8(get("v"), get("bs"))),
            vOps.ltU8(get("v"), get("sp")),
          ),
        ),
      ),
      if_(get("bits"), [
        set("pos", add(get("pos"), ctz(get("bits")))),
        ret(select(get("pos"), get("end"), leU(get("pos"), get("end")))),
      ]),
      inc("pos", 16),
      br("l"),
    ),
    get("end"),
  ],
);

const lastByte = func(
  "lastByte",
  [
    ["from", I32],
    ["pos", I32],
    ["b", I32],
  ],
  I32,
  [
    ["j", I32],
    ["bits", I32],
    ["needle", V128],
  ],
  [
    set("needle", splat8(get("b"))),
    loop(
      "l",
      if_(leS(get("pos"), get("from")), [ret(i32(-1))]),
      // j = max(pos - 16, from); lanes at or past pos are masked off
      set("j", sub(get("pos"), i32(16))),
      set("j", select(get("j"), get("from"), gtS(get("j"), get("from")))),
      set(
        "bits",
        and(
          vOps.bitmask8(vOps.eq8(vload(get("j")), get("needle"))),
          sub(shl(i32(1), sub(get("pos"), get("j"))), i32(1)),
        ),
      ),
      if_(get("bits"), [ret(add(get("j"), sub(i32(31), clz(get("bits")))))]),
      set("pos", get("j")),
      br("l"),
    ),
    i32(-1),
  ],
);

// ---- JSON (json-pick.ts): every function takes a position and answers the one after what it
// read, or -1 where the bytes are not JSON (or not JSON it reads); END is the line's end.

/** Kinds of recorded values (json-pick.ts K). */
const KIND = { null: 1, true: 2, false: 3, int: 4, num: 5, str: 6, strX: 7, obj: 8, arr: 9 };
const MAX_DEPTH = 200;

/** Moves p past JSON whitespace (compact JSON has none: one compare). */
const skipWs: Code[] = [
  loop(
    "ws",
    if_(and(ltS(p, END), leU(load8(p), i32(0x20))), [
      if_(anyOf(load8(p), [0x20, 0x09, 0x0a, 0x0d]), [inc("p"), br("ws")]),
    ]),
  ),
];

/** Moves a local to the first `"`, `\` or control byte at or after it, or to END (needs locals v, bits). */
const scanString = (name: string): Code[] => [
  block(
    "se",
    loop(
      "sl",
      brIf("se", geS(get(name), END)),
      set("v", vload(get(name))),
      set(
        "bits",
        vOps.bitmask8(
          vOps.or(
            vOps.or(vOps.eq8(get("v"), vconst8(0x22)), vOps.eq8(get("v"), vconst8(0x5c))),
            vOps.ltU8(get("v"), vconst8(0x20)),
          ),
        ),
      ),
      if_(get("bits"), [set(name, add(get(name), ctz(get("bits")))), br("se")]),
      inc(name, 16),
      br("sl"),
    ),
  ),
  set(name, select(get(name), END, leS(get(name), END))),
];
const SCAN_LOCALS: [string, typeof V128 | typeof I32][] = [
  ["v", V128],
  ["bits", I32],
];

/** Moves p past the digits at p. */
const skipDigits: Code[] = [
  loop("dg", if_(and(ltS(p, END), ltU(sub(load8(p), i32(0x30)), i32(10))), [inc("p"), br("dg")])),
];

/** At a backslash: after a valid escape. */
const esc = func(
  "esc",
  [["p", I32]],
  I32,
  [
    ["e", I32],
    ["k", I32],
    ["h", I32],
  ],
  [
    if_(geS(add(p, i32(1)), END), [ret(i32(-1))]),
    set("e", load8(p, 1)),
    if_(anyOf(get("e"), [0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]), [ret(add(p, i32(2)))]),
    if_(or(ne(get("e"), i32(0x75)), gtS(add(p, i32(6)), END)), [ret(i32(-1))]),
    set("k", add(p, i32(2))),
    loop(
      "l",
      if_(ltS(get("k"), add(p, i32(6))), [
        set("h", load8(get("k"))),
        if_(
          eqz(
            or(ltU(sub(get("h"), i32(0x30)), i32(10)), ltU(sub(or(get("h"), i32(0x20)), i32(0x61)), i32(6))),
          ),
          [ret(i32(-1))],
        ),
        inc("k"),
        br("l"),
      ]),
    ),
    add(p, i32(6)),
  ],
  false,
);

/** After an opening quote: after the closing one (no control characters, valid escapes). */
const str = func(
  "str",
  [["p", I32]],
  I32,
  [["c", I32], ...SCAN_LOCALS],
  [
    loop(
      "l",
      ...scanString("p"),
      if_(geS(p, END), [ret(i32(-1))]),
      set("c", load8(p)),
      if_(eq(get("c"), i32(0x22)), [ret(add(p, i32(1)))]),
      if_(ne(get("c"), i32(0x5c)), [ret(i32(-1))]),
      set("p", call("esc", p)),
      if_(ltS(p, i32(0)), [ret(i32(-1))]),
      br("l"),
    ),
    i32(-1),
  ],
  false,
);

/** A number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, followed by a delimiter or the end. */
const num = func(
  "num",
  [["p", I32]],
  I32,
  [
    ["c", I32],
    ["s", I32],
  ],
  [
    if_(and(ltS(p, END), eq(load8(p), i32(0x2d))), [inc("p")]),
    if_(geS(p, END), [ret(i32(-1))]),
    set("c", load8(p)),
    if_(
      eq(get("c"), i32(0x30)),
      [inc("p")],
      [if_(ltU(sub(get("c"), i32(0x31)), i32(9)), [inc("p"), ...skipDigits], [ret(i32(-1))])],
    ),
    if_(and(ltS(p, END), eq(load8(p), i32(0x2e))), [
      inc("p"),
      set("s", p),
      ...skipDigits,
      if_(eq(p, get("s")), [ret(i32(-1))]),
    ]),
    if_(and(ltS(p, END), eq(or(load8(p), i32(0x20)), i32(0x65))), [
      inc("p"),
      if_(and(ltS(p, END), or(eq(load8(p), i32(0x2b)), eq(load8(p), i32(0x2d)))), [inc("p")]),
      set("s", p),
      ...skipDigits,
      if_(eq(p, get("s")), [ret(i32(-1))]),
    ]),
    set("c", select(load8(p), i32(0x20), ltS(p, END))),
    if_(anyOf(get("c"), [0x2c, 0x7d, 0x5d, 0x20, 0x09, 0x0a, 0x0d]), [ret(p)]),
    i32(-1),
  ],
  false,
);

/** true, false or null whose first byte is at p: 4 (or, for false, 5) bytes compared at once. */
const literal = (word: number, offset: number, length: number): Code[] =>
  ret(
    select(
      add(p, i32(length)),
      i32(-1),
      and(leS(add(p, i32(length)), END), eq(load32(p, offset), i32(word))),
    ),
  );

/** The end of a member or element at p: past `,` (0: more follow) or past the closer (1), else -1. */
const afterValue = (closer: number, more: string): Code[] => [
  if_(ltS(p, i32(0)), [ret(i32(-1))]),
  ...skipWs,
  if_(geS(p, END), [ret(i32(-1))]),
  set("c", load8(p)),
  if_(eq(get("c"), i32(closer)), [ret(add(p, i32(1)))]),
  if_(ne(get("c"), i32(0x2c)), [ret(i32(-1))]),
  inc("p"),
  ...skipWs,
  br(more),
];

/** A value not wanted (validated, nothing recorded). */
const skip = func(
  "skip",
  [
    ["p", I32],
    ["depth", I32],
  ],
  I32,
  [["c", I32], ...SCAN_LOCALS],
  [
    set("c", load8(p)),
    if_(eq(get("c"), i32(0x22)), [ret(call("str", add(p, i32(1))))]),
    if_(eq(get("c"), i32(0x7b)), [
      if_(gtS(get("depth"), i32(MAX_DEPTH)), [ret(i32(-1))]),
      inc("p"),
      ...skipWs,
      if_(and(ltS(p, END), eq(load8(p), i32(0x7d))), [ret(add(p, i32(1)))]),
      loop(
        "m",
        if_(or(geS(p, END), ne(load8(p), i32(0x22))), [ret(i32(-1))]),
        set("p", call("str", add(p, i32(1)))),
        if_(ltS(p, i32(0)), [ret(i32(-1))]),
        ...skipWs,
        if_(or(geS(p, END), ne(load8(p), i32(0x3a))), [ret(i32(-1))]),
        inc("p"),
        ...skipWs,
        if_(geS(p, END), [ret(i32(-1))]),
        set("p", call("skip", p, add(get("depth"), i32(1)))),
        ...afterValue(0x7d, "m"),
      ),
    ]),
    if_(eq(get("c"), i32(0x5b)), [
      if_(gtS(get("depth"), i32(MAX_DEPTH)), [ret(i32(-1))]),
      inc("p"),
      ...skipWs,
      if_(and(ltS(p, END), eq(load8(p), i32(0x5d))), [ret(add(p, i32(1)))]),
      loop(
        "a",
        if_(geS(p, END), [ret(i32(-1))]),
        set("p", call("skip", p, add(get("depth"), i32(1)))),
        ...afterValue(0x5d, "a"),
      ),
    ]),
    if_(eq(get("c"), i32(0x74)), [literal(0x65757274, 0, 4)]), // "true"
    if_(eq(get("c"), i32(0x66)), [literal(0x65736c61, 1, 5)]), // "f" + "alse"
    if_(eq(get("c"), i32(0x6e)), [literal(0x6c6c756e, 0, 4)]), // "null"
    call("num", p),
  ],
  false,
);

/** Whether the n bytes at a and b are equal (8 at a time). */
const keyEq = func(
  "keyEq",
  [
    ["a", I32],
    ["b", I32],
    ["n", I32],
  ],
  I32,
  [["x", I32]],
  [
    loop(
      "w",
      if_(leS(add(get("x"), i32(8)), get("n")), [
        if_(ne64(load64(add(get("a"), get("x"))), load64(add(get("b"), get("x")))), [ret(i32(0))]),
        inc("x", 8),
        br("w"),
      ]),
    ),
    loop(
      "t",
      if_(ltS(get("x"), get("n")), [
        if_(ne(load8(add(get("a"), get("x"))), load8(add(get("b"), get("x")))), [ret(i32(0))]),
        inc("x"),
        br("t"),
      ]),
    ),
    i32(1),
  ],
  false,
);

/**
 * After `{` of an object some of whose keys are wanted: `level` is a table (json-pick.ts) of
 * 4 bytes key count, 64 4-byte buckets by a hash of a key's length, first and last bytes (the
 * address of the one wanted key there, 0: none, 1: several, look through all), then per key 16
 * bytes: the key's address, its length, its slot, the table of its own wanted keys (0: none). A key
 * with an escape or twice is left to JSON.parse (-1).
 */
const obj = func(
  "obj",
  [
    ["p", I32],
    ["level", I32],
    ["depth", I32],
  ],
  I32,
  [
    ["n", I32],
    ["k0", I32],
    ["k", I32],
    ["klen", I32],
    ["ent", I32],
    ["e", I32],
    ["i", I32],
    ["slot", I32],
    ["child", I32],
    ["c", I32],
    ...SCAN_LOCALS,
  ],
  [
    if_(gtS(get("depth"), i32(MAX_DEPTH)), [ret(i32(-1))]),
    ...skipWs,
    if_(and(ltS(p, END), eq(load8(p), i32(0x7d))), [ret(add(p, i32(1)))]),
    set("n", load32(get("level"))),
    loop(
      "m",
      if_(or(geS(p, END), ne(load8(p), i32(0x22))), [ret(i32(-1))]),
      set("k0", add(p, i32(1))),
      set("k", get("k0")),
      ...scanString("k"),
      if_(or(geS(get("k"), END), ne(load8(get("k")), i32(0x22))), [ret(i32(-1))]),
      set("klen", sub(get("k"), get("k0"))),
      set(
        "ent",
        load32(
          add(
            get("level"),
            shl(
              and(
                add(
                  add(get("klen"), mul(load8(get("k0")), i32(3))),
                  mul(load8(sub(get("k"), i32(1))), i32(5)),
                ),
                i32(63),
              ),
              i32(2),
            ),
          ),
          4,
        ),
      ),
      if_(
        eq(get("ent"), i32(1)),
        [
          // a shared bucket: every wanted key
          set("ent", i32(0)),
          set("e", add(get("level"), i32(4 + 256))),
          set("i", i32(0)),
          block(
            "found",
            loop(
              "f",
              brIf("found", geS(get("i"), get("n"))),
              if_(
                and(
                  eq(load32(get("e"), 4), get("klen")),
                  call("keyEq", load32(get("e")), get("k0"), get("klen")),
                ),
                [set("ent", get("e")), br("found")],
              ),
              inc("e", 16),
              inc("i"),
              br("f"),
            ),
          ),
        ],
        [
          if_(get("ent"), [
            if_(
              eqz(
                and(
                  eq(load32(get("ent"), 4), get("klen")),
                  call("keyEq", load32(get("ent")), get("k0"), get("klen")),
                ),
              ),
              [set("ent", i32(0))],
            ),
          ]),
        ],
      ),
      set("p", add(get("k"), i32(1))),
      ...skipWs,
      if_(or(geS(p, END), ne(load8(p), i32(0x3a))), [ret(i32(-1))]),
      inc("p"),
      ...skipWs,
      if_(geS(p, END), [ret(i32(-1))]),
      if_(
        eqz(get("ent")),
        [set("p", call("skip", p, add(get("depth"), i32(1))))],
        [
          set("slot", load32(get("ent"), 8)),
          if_(load8(add(gget("KINDS"), get("slot"))), [ret(i32(-1))]), // a wanted key twice
          set("child", load32(get("ent"), 12)),
          if_(
            and(ne(get("child"), i32(0)), eq(load8(p), i32(0x7b))),
            [
              store8(add(gget("KINDS"), get("slot")), i32(KIND.obj)),
              set("p", call("obj", add(p, i32(1)), get("child"), add(get("depth"), i32(1)))),
            ],
            [set("p", call("leaf", p, get("slot"), add(get("depth"), i32(1))))],
          ),
        ],
      ),
      ...afterValue(0x7d, "m"),
    ),
    i32(-1),
  ],
  false,
);

/** A wanted value other than a wanted object: its kind, and for a string where, for a plain whole number its value. */
const leaf = func(
  "leaf",
  [
    ["p", I32],
    ["slot", I32],
    ["depth", I32],
  ],
  I32,
  [
    ["c", I32],
    ["s", I32],
    ["e", I32],
    ["x", I32],
    ["b", I32],
    ["j", I32],
    ["ok", I32],
    ["v", F64],
  ],
  [
    set("c", load8(p)),
    if_(eq(get("c"), i32(0x22)), [
      set("s", add(p, i32(1))),
      set("e", call("str", get("s"))),
      if_(ltS(get("e"), i32(0)), [ret(i32(-1))]),
      // plain: printable ASCII without escapes
      set("x", get("s")),
      set("ok", i32(1)),
      block(
        "scan",
        loop(
          "l",
          brIf("scan", geS(get("x"), sub(get("e"), i32(1)))),
          set("b", load8(get("x"))),
          if_(or(eq(get("b"), i32(0x5c)), gtU(get("b"), i32(0x7e))), [set("ok", i32(0)), br("scan")]),
          inc("x"),
          br("l"),
        ),
      ),
      store8(add(gget("KINDS"), get("slot")), select(i32(KIND.str), i32(KIND.strX), get("ok"))),
      // a plain time's ms (fields.ts), else -1
      storeF64(
        add(gget("NUMS"), shl(get("slot"), i32(3))),
        call("iso", get("s"), sub(sub(get("e"), i32(1)), get("s"))),
      ),
      store32(add(gget("STARTS"), shl(get("slot"), i32(2))), get("s")),
      store32(add(gget("ENDS"), shl(get("slot"), i32(2))), sub(get("e"), i32(1))),
      ret(get("e")),
    ]),
    // a plain whole number (the usual wanted value): its digits read once
    if_(ltU(sub(get("c"), i32(0x30)), i32(10)), [
      set("x", p),
      set("v", f64(0)),
      loop(
        "dg",
        if_(and(ltS(get("x"), END), ltU(tee("b", sub(load8(get("x")), i32(0x30))), i32(10))), [
          set("v", f64Add(f64Mul(get("v"), f64(10)), f64FromU32(get("b")))),
          inc("x"),
          br("dg"),
        ]),
      ),
      set("b", select(load8(get("x")), i32(0x20), ltS(get("x"), END))),
      if_(
        and(
          and(leS(sub(get("x"), p), i32(15)), or(ne(get("c"), i32(0x30)), eq(sub(get("x"), p), i32(1)))),
          eqz(or(eq(get("b"), i32(0x2e)), eq(or(get("b"), i32(0x20)), i32(0x65)))),
        ),
        [
          if_(eqz(anyOf(get("b"), [0x2c, 0x7d, 0x5d, 0x20, 0x09, 0x0a, 0x0d])), [ret(i32(-1))]),
          store8(add(gget("KINDS"), get("slot")), i32(KIND.int)),
          storeF64(add(gget("NUMS"), shl(get("slot"), i32(3))), get("v")),
          ret(get("x")),
        ],
      ),
    ]),
    if_(or(eq(get("c"), i32(0x2d)), ltU(sub(get("c"), i32(0x30)), i32(10))), [
      set("j", call("num", p)),
      if_(ltS(get("j"), i32(0)), [ret(i32(-1))]),
      // 0, or 1-15 digits not starting with 0: exact as a double, as JSON.parse reads it
      if_(
        and(
          and(ne(get("c"), i32(0x2d)), leS(sub(get("j"), p), i32(15))),
          or(ne(get("c"), i32(0x30)), eq(sub(get("j"), p), i32(1))),
        ),
        [
          set("v", f64(0)),
          set("x", p),
          set("ok", i32(1)),
          block(
            "d",
            loop(
              "l",
              brIf("d", geS(get("x"), get("j"))),
              set("b", sub(load8(get("x")), i32(0x30))),
              if_(gtU(get("b"), i32(9)), [set("ok", i32(0)), br("d")]),
              set("v", f64Add(f64Mul(get("v"), f64(10)), f64FromU32(get("b")))),
              inc("x"),
              br("l"),
            ),
          ),
          if_(get("ok"), [
            store8(add(gget("KINDS"), get("slot")), i32(KIND.int)),
            storeF64(add(gget("NUMS"), shl(get("slot"), i32(3))), get("v")),
            ret(get("j")),
          ]),
        ],
      ),
      store8(add(gget("KINDS"), get("slot")), i32(KIND.num)),
      ret(get("j")),
    ]),
    set("j", call("skip", p, get("depth"))),
    if_(ltS(get("j"), i32(0)), [ret(i32(-1))]),
    store8(
      add(gget("KINDS"), get("slot")),
      select(
        i32(KIND.obj),
        select(
          i32(KIND.arr),
          select(
            i32(KIND.true),
            select(i32(KIND.false), i32(KIND.null), eq(get("c"), i32(0x66))),
            eq(get("c"), i32(0x74)),
          ),
          eq(get("c"), i32(0x5b)),
        ),
        eq(get("c"), i32(0x7b)),
      ),
    ),
    get("j"),
  ],
  false,
);

const pick = func(
  "pick",
  [
    ["pos", I32],
    ["end", I32],
    ["level", I32],
    ["kinds", I32],
    ["starts", I32],
    ["ends", I32],
    ["nums", I32],
  ],
  I32,
  [["p", I32]],
  [
    gset("END", get("end")),
    gset("KINDS", get("kinds")),
    gset("STARTS", get("starts")),
    gset("ENDS", get("ends")),
    gset("NUMS", get("nums")),
    set("p", get("pos")),
    ...skipWs,
    if_(or(geS(p, END), ne(load8(p), i32(0x7b))), [ret(i32(0))]),
    set("p", call("obj", add(p, i32(1)), get("level"), i32(0))),
    if_(ltS(p, i32(0)), [ret(i32(0))]),
    ...skipWs,
    eq(p, END),
  ],
);

/** The module: its functions, the globals of the JSON walk, one page of memory (grown by callers). */
export function moduleBytes(): Uint8Array {
  return assemble(
    [
      find(1),
      find(2),
      find(3),
      find(4),
      stringEnd,
      lastByte,
      esc,
      str,
      num,
      skip,
      keyEq,
      obj,
      iso,
      leaf,
      pick,
    ],
    ["END", "KINDS", "STARTS", "ENDS", "NUMS"],
    1,
  );
}
