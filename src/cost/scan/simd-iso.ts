/** simd-code.ts's `iso`: the time of a plain ISO timestamp, in wasm-asm.ts's notation. */
import {
  add,
  and,
  type Code,
  divU,
  eq,
  eqz,
  F64,
  f64,
  f64Add,
  f64FromI32,
  f64FromU32,
  f64Mul,
  func,
  get,
  geU,
  gtU,
  I32,
  i32,
  if_,
  leU,
  load8,
  ltU,
  mul,
  ne,
  or,
  remU,
  ret,
  select,
  set,
  shrU,
  sub,
} from "./wasm-asm.ts";

/**
 * Date.parse of a plain string at s, n bytes long, where it is `YYYY-MM-DDTHH:MM:SS.mmmZ` or without
 * `.mmm` with every part in range (a year from 1970, a day its month has): its ms;
 * else -1 (fields.ts then asks Date.parse). The same test as fields.ts's isoTime.
 */
const digitsAt = (at: number, count: number): Code => {
  // the number of `count` digits at s + at, or a large value where one is not a digit
  let v: Code = i32(0);
  for (let k = 0; k < count; k++) {
    const d = sub(load8(get("s"), at + k), i32(0x30));
    v = add(mul(v, i32(10)), select(d, i32(100000), ltU(d, i32(10))));
  }
  return v;
};
export const iso = func(
  "iso",
  [
    ["s", I32],
    ["n", I32],
  ],
  F64,
  [
    ["y", I32],
    ["m", I32],
    ["d", I32],
    ["t", I32],
    ["era", I32],
    ["yoe", I32],
  ],
  [
    if_(
      eqz(
        and(
          and(
            and(or(eq(get("n"), i32(24)), eq(get("n"), i32(20))), eq(load8(get("s"), 4), i32(0x2d))),
            and(eq(load8(get("s"), 7), i32(0x2d)), eq(load8(get("s"), 10), i32(0x54))),
          ),
          and(
            and(eq(load8(get("s"), 13), i32(0x3a)), eq(load8(get("s"), 16), i32(0x3a))),
            and(
              eq(load8(add(get("s"), sub(get("n"), i32(1)))), i32(0x5a)),
              or(eq(get("n"), i32(20)), eq(load8(get("s"), 19), i32(0x2e))),
            ),
          ),
        ),
      ),
      [ret(f64(-1))],
    ),
    set("y", digitsAt(0, 4)),
    set("m", digitsAt(5, 2)),
    set("d", digitsAt(8, 2)),
    // the time of day in ms (each part checked; a non-digit makes a part too large)
    set("t", digitsAt(11, 2)),
    if_(gtU(get("t"), i32(23)), [ret(f64(-1))]),
    set("era", digitsAt(14, 2)),
    if_(gtU(get("era"), i32(59)), [ret(f64(-1))]),
    set("t", add(mul(get("t"), i32(60)), get("era"))),
    set("era", digitsAt(17, 2)),
    if_(gtU(get("era"), i32(59)), [ret(f64(-1))]),
    set("t", add(mul(get("t"), i32(60)), get("era"))),
    set("era", select(digitsAt(20, 3), i32(0), eq(get("n"), i32(24)))),
    if_(gtU(get("era"), i32(999)), [ret(f64(-1))]),
    set("t", add(mul(get("t"), i32(1000)), get("era"))),
    if_(or(ltU(get("y"), i32(1970)), gtU(get("y"), i32(9999))), [ret(f64(-1))]),
    if_(gtU(sub(get("m"), i32(1)), i32(11)), [ret(f64(-1))]),
    // the day within its month (Feb 29 only in leap years)
    set(
      "era",
      select(
        add(
          i32(28),
          and(
            eqz(remU(get("y"), i32(4))),
            or(ne(remU(get("y"), i32(100)), i32(0)), eqz(remU(get("y"), i32(400)))),
          ),
        ),
        add(i32(30), and(add(get("m"), shrU(get("m"), i32(3))), i32(1))),
        eq(get("m"), i32(2)),
      ),
    ),
    if_(geU(sub(get("d"), i32(1)), get("era")), [ret(f64(-1))]),
    // days from 1970-01-01 (H. Hinnant's days_from_civil; years from 1970: nothing negative)
    set("y", sub(get("y"), leU(get("m"), i32(2)))),
    set("era", divU(get("y"), i32(400))),
    set("yoe", sub(get("y"), mul(get("era"), i32(400)))),
    set(
      "d",
      add(
        sub(add(mul(get("yoe"), i32(365)), divU(get("yoe"), i32(4))), divU(get("yoe"), i32(100))),
        sub(
          add(
            divU(
              add(mul(i32(153), add(get("m"), select(i32(-3), i32(9), gtU(get("m"), i32(2))))), i32(2)),
              i32(5),
            ),
            get("d"),
          ),
          i32(1),
        ),
      ),
    ),
    set("d", sub(add(mul(get("era"), i32(146097)), get("d")), i32(719468))),
    f64Add(f64Mul(f64FromI32(get("d")), f64(86400000)), f64FromU32(get("t"))),
  ],
  false,
);
