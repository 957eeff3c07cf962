/** A line diff (Myers' O(ND) algorithm): which lines of `a` were kept, deleted, and which of `b` inserted. Pure. */

export type DiffOp =
  | { op: "equal"; a: number; b: number }
  | { op: "delete"; a: number }
  | { op: "insert"; b: number };

/** The edit script from `a` to `b`, in order. Indices are 0-based line numbers. */
export function diffLines(a: readonly string[], b: readonly string[]): DiffOp[] {
  // Common prefix and suffix first: the usual edit of a log touches only its end.
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf])
    suf++;
  const ops: DiffOp[] = [];
  for (let i = 0; i < pre; i++) ops.push({ op: "equal", a: i, b: i });
  ops.push(...middle(a.slice(pre, a.length - suf), b.slice(pre, b.length - suf), pre, pre));
  for (let k = suf; k > 0; k--) ops.push({ op: "equal", a: a.length - k, b: b.length - k });
  return ops;
}

function middle(a: readonly string[], b: readonly string[], ao: number, bo: number): DiffOp[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((_, j) => ({ op: "insert", b: bo + j }));
  if (m === 0) return a.map((_, i) => ({ op: "delete", a: ao + i }));
  const max = n + m;
  const v = new Int32Array(2 * max + 1);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[max + k - 1]! < v[max + k + 1]!) ? v[max + k + 1]! : v[max + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[max + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk back through the saved frontiers.
  const out: DiffOp[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[max + k - 1]! < vd[max + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[max + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      out.push({ op: "equal", a: ao + x, b: bo + y });
    }
    if (d === 0) break;
    if (x === prevX) out.push({ op: "insert", b: bo + --y });
    else out.push({ op: "delete", a: ao + --x });
  }
  return out.reverse();
}
