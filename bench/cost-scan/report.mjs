/** What bench/cost-scan prints and judges: the table of medians, peak RSS and ratios, and the issue's goals. */
import path from "node:path";

const secs = (s) => (s === undefined || s === null ? "-" : s < 10 ? s.toFixed(2) : s.toFixed(1));
const mib = (m) => (m === undefined || m === null ? "-" : m.toFixed(0));
export const ratio = (peer, ours) => (peer && ours ? peer / ours : undefined);
const fmtRatio = (r) => (r === undefined ? "-" : `${r < 10 ? r.toFixed(2) : r.toFixed(1)}x`);
const show = (p) => {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith("..") ? rel : p;
};

/** The issue's goals: faster than ccusage at every size, peak RSS < 200 MiB at the largest size, same totals. */
export function goals(r) {
  const rows = r.sizes;
  const measured = rows.filter((s) => s.longrun.seconds);
  if (!r.longrun.available || measured.length === 0) return { judged: false, why: r.longrun.unavailable };
  const largest = Math.max(...rows.map((s) => s.mb));
  const big = measured.filter((s) => s.mb === largest);
  return {
    judged: true,
    faster: { goal: "ratio > 1 at every size", ok: measured.every((s) => s.ratio > 1) },
    rss: {
      goal: `longrun peak RSS < 200 MiB at ${largest} MB`,
      values: big.map((s) => s.longrun.maxRssMiB?.max),
      ok: big.length > 0 && big.every((s) => (s.longrun.maxRssMiB?.max ?? Number.POSITIVE_INFINITY) < 200),
    },
    totals: {
      goal: "identical token totals",
      ok: measured.every((s) => s.totals.longrunVsCcusage.same === true),
    },
  };
}

export function printTable(r, json, log) {
  const rows = [["size", "logs", "files", "longrun s", "MiB", "ccusage s", "MiB", "ratio", "totals"]];
  for (const s of r.sizes) {
    const t = s.totals;
    const verdict = !r.longrun.available
      ? `ccusage ${t.ccusageVsTruth.same ? "=" : "!="} truth`
      : t.longrunVsCcusage.same
        ? "same"
        : `DIFFER: ${Object.keys(t.longrunVsCcusage.diffs).join(", ") || "no longrun totals"}`;
    rows.push([
      `${s.mb} MB`,
      s.from,
      s.data.files,
      secs(s.longrun.seconds?.median),
      mib(s.longrun.maxRssMiB?.max),
      secs(s.ccusage.seconds?.median),
      mib(s.ccusage.maxRssMiB?.max),
      fmtRatio(s.ratio),
      verdict,
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)) + 2);
  console.log(
    `bench/cost-scan: longrun cost scan vs ccusage ${r.peer.version} (median of ${r.runs} runs, seconds; peak RSS MiB, the largest of the runs; ratio = ccusage / longrun)`,
  );
  for (const row of rows)
    console.log(
      row
        .map((c, i) => String(c).padEnd(widths[i]))
        .join("")
        .trimEnd(),
    );
  if (!r.longrun.available) console.log(`longrun: NOT MEASURED: ${r.longrun.unavailable}`);
  const g = r.goals;
  const ok = (x) => (x.ok ? "ok" : "MISSED");
  if (g.judged)
    console.log(
      `goals: faster at every size ${ok(g.faster)} | peak RSS < 200 MiB at the largest size (${g.rss.values.map(mib).join(", ")} MiB) ${ok(g.rss)} | identical totals ${ok(g.totals)}`,
    );
  const off = r.sizes.filter((s) => s.totals.ccusageVsTruth.same === false);
  console.log(
    `truth (the generator's manifest): ccusage ${off.length ? `DIFFERS at ${off.map((s) => `${s.mb} MB ${s.from}`).join(", ")}` : "matches it everywhere"}` +
      (r.longrun.available
        ? `; longrun ${r.sizes.every((s) => s.totals.longrunVsTruth.same) ? "matches it everywhere" : "DIFFERS (see the JSON)"}`
        : ""),
  );
  const load = Math.max(r.machine.loadavgStart[0], r.machine.loadavgEnd[0]);
  if (load > r.machine.cpus)
    console.log(
      `WARNING: the machine was busy (load ${load.toFixed(1)} on ${r.machine.cpus} CPUs): figures are noisy`,
    );
  console.log(`network: ${r.network}; node ${r.node}; ${r.machine.cpus} CPUs; peak RSS by ${r.rssMethod}`);
  console.log(
    `results: ${show(json)}  log: ${show(log)}${r.keptData ? `  data kept in: ${r.keptData}` : ""}`,
  );
}
