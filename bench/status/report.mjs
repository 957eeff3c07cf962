/** What bench/status prints and judges: the table of medians and ratios, and the product goals at 10k tasks. */
import path from "node:path";

const fmt = (s) => (s === undefined ? "-" : s < 10 ? s.toFixed(2) : s.toFixed(1));
export const ratio = (peer, ours) => (peer && ours ? peer / ours : undefined);
const fmtRatio = (r) => (r === undefined ? "-" : `${r < 10 ? r.toFixed(1) : Math.round(r)}x`);
const pad = (s, n) => String(s).padEnd(n);
/** A path as printed: relative to the current directory when inside it. */
const show = (p) => {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith("..") ? rel : p;
};

/** The product goals at the largest size: status >= 20x faster than Task Master's list and < 0.5 s; an edit < 1 s keeping comments. */
export function goals(r) {
  const big = r.sizes.at(-1);
  if (!big) return undefined;
  const st = big.longrun.status;
  return {
    tasks: big.tasks,
    statusRatioCold: { value: big.ratios.status.cold, goal: ">= 20", ok: big.ratios.status.cold >= 20 },
    statusSecondsCold: { value: st.cold.median, goal: "< 0.5", ok: st.cold.median < 0.5 },
    statusSecondsWarm: { value: st.warm.median, goal: "< 0.5", ok: st.warm.median < 0.5 },
    statusSecondsStale: st.stale && { value: st.stale.median, goal: "< 0.5", ok: st.stale.median < 0.5 },
    editSeconds: r.edit && { value: r.edit.cold.median, goal: "< 1", ok: r.edit.cold.median < 1 },
    editKeepsComments: r.edit && { ok: r.edit.allRunsOk },
  };
}

export function printTable(r, json, log, kept) {
  const rows = [
    ["tasks", "command", "cold", "stale", "no-cache", "warm", "task-master", "ratio cold", "ratio warm"],
  ];
  for (const s of r.sizes) {
    const tmm = s.taskMaster.list.median;
    for (const [name, key] of [
      ["status", "status"],
      ["task list", "taskList"],
    ]) {
      const m = s.longrun[key];
      rows.push([
        s.tasks,
        name,
        fmt(m.cold.median),
        fmt(m.stale?.median),
        fmt(m.nocache.median),
        fmt(m.warm.median),
        `list ${fmt(tmm)}`,
        fmtRatio(s.ratios[key].cold),
        fmtRatio(s.ratios[key].warm),
      ]);
    }
  }
  const e = r.edit;
  if (e)
    rows.push([
      e.tasks,
      `task note ${e.taskId}`,
      fmt(e.cold.median),
      "-",
      "-",
      fmt(e.warm.median),
      e.taskMaster ? `set-status ${fmt(e.taskMaster.median)}` : "-",
      fmtRatio(e.ratio),
      fmtRatio(e.taskMaster && ratio(e.taskMaster.median, e.warm.median)),
    ]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)) + 2);
  console.log(
    `bench/status: longrun vs Task Master ${r.peer.version} (median seconds; ratio = Task Master / longrun)`,
  );
  for (const row of rows)
    console.log(
      row
        .map((c, i) => pad(c, widths[i]))
        .join("")
        .trimEnd(),
    );
  const g = r.goals;
  const ok = (x) => (x?.ok ? "ok" : "MISSED");
  if (g)
    console.log(
      `goals at ${g.tasks} tasks: status ${fmtRatio(g.statusRatioCold.value)} faster cold (>= 20x) ${ok(g.statusRatioCold)}` +
        ` | status < 0.5 s: after a one-task edit (stale) ${g.statusSecondsStale ? `${fmt(g.statusSecondsStale.value)} s ${ok(g.statusSecondsStale)}` : "-"}, warm ${fmt(g.statusSecondsWarm.value)} s ${ok(g.statusSecondsWarm)}, first run with no cache (cold) ${fmt(g.statusSecondsCold.value)} s ${ok(g.statusSecondsCold)}` +
        (e
          ? ` | edit ${fmt(g.editSeconds.value)} s (< 1) ${ok(g.editSeconds)} | comments kept, only ${e.taskId} changed${e.check.touchedLastUpdated ? " (+ summary.last_updated)" : ""}: ${ok(g.editKeepsComments)}`
          : ""),
    );
  console.log(
    `task-master list --format json (no table drawn): ${r.sizes
      .map(
        (s) =>
          `${s.tasks} tasks ${fmt(s.taskMaster.listJson.median)} s (status ${fmtRatio(s.ratios.statusVsListJson.cold)} cold, ${fmtRatio(s.ratios.statusVsListJson.warm)} warm)`,
      )
      .join(", ")}`,
  );
  const load = Math.max(r.machine.loadavgStart[0], r.machine.loadavgEnd[0]);
  if (load > r.machine.cpus)
    console.log(
      `WARNING: the machine was busy (load ${load.toFixed(1)} on ${r.machine.cpus} CPUs): figures are noisy`,
    );
  const same = r.sizes.every((s) => s.counts.sameTasks);
  console.log(
    `network: ${r.network}; node ${r.node}; ${r.machine.cpus} CPUs; same task counts in both tools: ${same ? "yes" : "NO"}`,
  );
  console.log(`results: ${show(json)}  log: ${show(log)}${kept ? `  data: ${kept}` : ""}`);
}
