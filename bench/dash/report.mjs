/** bench/dash's terminal report: the latency table per rate, the memory figures, the goals. */

const ms = (x) => (Number.isFinite(x) ? String(Math.round(x)) : "-");
const mib = (x) => (Number.isFinite(x) ? x.toFixed(0) : "-");
const pad = (s, n) => String(s).padStart(n);

const READERS = [
  ["tail", "tail -F (peer)"],
  ["sse", "dash, plain SSE client"],
  ["page", "dash, page (longrun:rows)"],
  ["frame", "dash, page (next frame)"],
];

export function latencyLines(rows) {
  const out = [];
  out.push(
    `latency, journal write -> reader (ms)  ${["p50", "p95", "p99", "max"].map((h) => pad(h, 5)).join(" ")}  lost`,
  );
  for (const r of rows) {
    out.push(
      `${r.rate} lines/s for ${r.seconds} s: ${r.lines} lines, ${r.rows} rows; dash CPU ${(100 * r.dash.cpuShare).toFixed(0)}%, peak ${mib(r.dash.peakMiB)} MiB; page long tasks ${(r.pageLongTasks.totalMs / 1000).toFixed(1)} s`,
    );
    for (const [k, label] of READERS) {
      const f = r.figures[k];
      out.push(
        `  ${label.padEnd(36)}${[f.p50, f.p95, f.p99, f.max].map((x) => pad(ms(x), 5)).join(" ")}  ${pad(f.lost, 4)}`,
      );
    }
  }
  return out;
}

export function memoryLines(m, p) {
  const mb = (m.journal.bytes / 1e6).toFixed(0);
  const out = [];
  out.push(
    `memory, ${mb} MB journal (${m.journal.lines.toLocaleString("en-US")} lines, longest ${(m.journal.longest / 1e6).toFixed(1)} MB)`,
  );
  out.push(
    `  dash: URL printed ${(m.printedUrlMs / 1000).toFixed(2)} s, first /api/state ${(m.firstStateMs / 1000).toFixed(2)} s, journal read ${(m.readyMs / 1000).toFixed(1)} s (${m.mbPerSecond.toFixed(0)} MB/s, ${m.cpuToReady.toFixed(1)} CPU s)`,
  );
  out.push(
    `  dash RSS MiB: peak while reading ${mib(m.mib.atReady.hwm)}, idle after ${mib(m.mib.idle.rss)}, page connected ${mib(m.mib.withPage.rss)}, after ${m.live.writer.lines} live lines ${mib(m.mib.afterLive.rss)}; peak overall ${mib(m.mib.peak)}`,
  );
  for (const [k, label] of [
    ["sse", "plain SSE client"],
    ["page", "page (longrun:rows)"],
  ]) {
    const f = m.live[k];
    out.push(
      `  live, 100 lines/s on it, ${label.padEnd(20)} p50 ${ms(f.p50)} p95 ${ms(f.p95)} p99 ${ms(f.p99)} max ${ms(f.max)} ms, ${f.lost} of ${m.live.rows} rows lost`,
    );
  }
  const lt = m.live.pageLongTasks;
  out.push(
    `  the page's long tasks meanwhile: ${lt.count}, ${(lt.totalMs / 1000).toFixed(1)} s in all, longest ${lt.maxMs} ms`,
  );
  const bad = Object.entries(m.checks).filter(([, ok]) => !ok);
  out.push(
    `  state: ${bad.length ? `MISMATCH in ${bad.map(([k]) => k).join(", ")}` : "lines, bytes and tokens = the generator's manifest, no bad lines"}`,
  );
  if (p) {
    const peer = (name, r) =>
      `  ${name.padEnd(42)} ${r.error ? `failed after ${r.seconds.toFixed(1)} s (${r.error.slice(0, 60)})` : `${r.seconds.toFixed(2)} s`}, peak ${mib(r.peakMiB)} MiB`;
    out.push(peer("peer: tail -n 400", p.tail));
    out.push(peer("peer: Node stream split on \\n + JSON.parse", p.split));
    out.push(peer("peer: Node readline + JSON.parse", p.readline));
    out.push(peer("peer: Node readFileSync + split", p.naive));
    if (!p.split.error)
      out.push(
        `  ratio, split fold / dash: time to read it all ${(p.split.seconds / (m.readyMs / 1000)).toFixed(2)}x, peak RSS ${(p.split.peakMiB / m.mib.peak).toFixed(2)}x`,
      );
  }
  return out;
}

export function goalLines(latency, mem) {
  const out = [];
  const at100 = latency.find((r) => r.rate === 100);
  if (at100) {
    const p95 = at100.figures.page.p95;
    out.push(`goal: page p95 under 250 ms at 100 events/s: ${p95 < 250 ? "met" : "missed"} (${ms(p95)} ms)`);
  }
  if (mem) {
    const mb = (mem.journal.bytes / 1e6).toFixed(0);
    const read = mem.mib.atReady.hwm;
    out.push(
      `goal: dash peak RSS under 100 MiB with a ${mb} MB journal: reading it ${read < 100 ? "met" : "missed"} (${mib(read)} MiB); with a page and live lines after ${mem.mib.peak < 100 ? "met" : "missed"} (${mib(mem.mib.peak)} MiB)`,
    );
  }
  return out;
}
