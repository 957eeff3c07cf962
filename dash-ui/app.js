// longrun dash: the page. Plain modules, no build step; every text from the run goes in as textContent.
const token = document.querySelector('meta[name="longrun-token"]').content;
const $ = (id) => document.getElementById(id);
const FEED_MAX = 600;
const COLORS = ["#2f6fde", "#d9822b", "#2e9d5b", "#b8489a", "#7a5cd6", "#c0392b", "#1f9aa8", "#8a7b2a"];

let state = null;
let stateAt = Date.now();

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

const usd = (n) => (n === null || n === undefined ? "unknown" : `$${n.toFixed(n < 10 ? 4 : 2)}`);
const num = (n) => (n ?? 0).toLocaleString("en-US");
function dur(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h
    ? `${h}h ${String(m).padStart(2, "0")}m`
    : m
      ? `${m}m ${String(s % 60).padStart(2, "0")}s`
      : `${s}s`;
}
const clock = (ts) => (ts ? new Date(ts).toISOString().slice(11, 19) : "");

async function api(path, init = {}) {
  const res = await fetch(path, {
    ...init,
    headers: { "x-longrun-token": token, ...(init.body ? { "content-type": "application/json" } : {}) },
  });
  const body = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
  if (!res.ok) throw new Error(body.error ?? `HTTP ${res.status}`);
  return body;
}

// ---- header -------------------------------------------------------------------------------------

function renderHeader(s) {
  $("repo").textContent = s.repo.name;
  $("repo").title = s.repo.dir;
  $("branch").textContent = s.repo.branch ? `on ${s.repo.branch}` : "";
  const r = s.run;
  const badge = $("state");
  badge.textContent = r ? r.state : "no run";
  badge.className = `badge state-${r ? r.state : "none"}`;
  badge.dataset.state = r ? r.state : "none";
  if (r?.end) badge.title = `${r.end.reason}${r.end.detail ? `: ${r.end.detail}` : ""}`;
  $("run-id").textContent = r ? r.id : "";
  $("harness").textContent = r ? `${r.harness}${r.model ? ` · ${r.model}` : ""}` : "";
  $("iteration").textContent = r ? `iteration ${r.iteration}${r.taskId ? ` on ${r.taskId}` : ""}` : "";
  const j = r?.journal;
  $("notice").hidden = !j || j.ready;
  if (j && !j.ready)
    $("notice").textContent =
      `reading the journal: ${Math.floor((100 * j.read) / Math.max(1, j.size))}% of ${num(Math.round(j.size / 1048576))} MB (the latest activity is shown already)`;
  tickElapsed();
  const b = $("budgets");
  b.replaceChildren(
    ...s.budgets.map((x) => {
      const used = x.used ?? 0;
      const share = Math.min(1, x.limit ? used / x.limit : 0);
      const label =
        x.name === "cost"
          ? `${usd(x.used)} of $${x.limit}`
          : x.name === "time"
            ? `${dur(used)} of ${dur(x.limit)}`
            : `${num(used)} of ${num(x.limit)} ${x.name}`;
      const bar = el("span", { class: "bar" }, el("span", { class: share >= 0.9 ? "fill hot" : "fill" }));
      bar.firstChild.style.width = `${(share * 100).toFixed(1)}%`;
      return el(
        "span",
        { class: "budget", "data-budget": x.name, title: `${x.name} budget` },
        bar,
        el("span", { text: label }),
      );
    }),
  );
}

function tickElapsed() {
  const r = state?.run;
  if (!r) {
    $("elapsed").textContent = "";
    return;
  }
  const live = r.state === "running" || r.state === "stopping";
  $("elapsed").textContent = dur(r.activeMs + (live ? Date.now() - stateAt : 0));
}

// ---- tasks --------------------------------------------------------------------------------------

function viewLink(path, label) {
  return el("a", {
    href: "#",
    class: "artifact",
    "data-path": path,
    onclick: (e) => {
      e.preventDefault();
      openFile(path);
    },
    text: label,
  });
}

function renderTasks(s) {
  const c = s.counts;
  $("counts").textContent = `${c.total ?? 0} · ${[
    "complete",
    "in_progress",
    "not_started",
    "failed",
    "archived",
  ]
    .filter((k) => c[k])
    .map((k) => `${c[k]} ${k.replace("_", " ")}`)
    .join(" · ")}`;
  $("checklist-error").hidden = !s.checklistError;
  $("checklist-error").textContent = s.checklistError ?? "";
  const rows = s.tasks.map((t) => {
    const crit = el("ul", { class: "criteria" });
    for (const k of t.criteria) {
      const mark = k.passed === true ? "✓" : k.passed === false ? "✗" : k.check ? "·" : "○";
      crit.append(
        el(
          "li",
          {
            class: k.passed === true ? "pass" : k.passed === false ? "fail" : "",
            title: k.check ? `check: ${k.check}` : "attested, no command checks it",
          },
          el("span", { class: "mark", text: mark }),
          ` ${k.text}`,
          k.output ? el("span", {}, " ", viewLink(k.output, "output")) : null,
        ),
      );
    }
    for (const k of t.checks)
      crit.append(
        el(
          "li",
          { class: k.passed ? "pass" : "fail" },
          el("span", { class: "mark", text: k.passed ? "✓" : "✗" }),
          ` ${k.kind}: ${k.label} `,
          viewLink(k.output, "output"),
        ),
      );
    const evidence = el("div", { class: "evidence small" });
    if (t.commit)
      evidence.append(
        "commit ",
        el("a", {
          href: "#",
          class: "mono",
          onclick: (e) => {
            e.preventDefault();
            openCommit(t.commit);
          },
          text: t.commit.slice(0, 10),
        }),
      );
    if (t.failure)
      evidence.append(
        el(
          "div",
          { class: "why" },
          `last failure: ${t.failure.summary} `,
          viewLink(t.failure.output, "output"),
        ),
      );
    if (t.why && t.status !== "failed") evidence.append(el("div", { class: "why", text: t.why }));
    if (t.status === "failed") evidence.append(el("div", { class: "why", text: `failed: ${t.why}` }));
    else if (t.note) evidence.append(el("div", { class: "note muted", text: t.note }));
    return el(
      "tr",
      {
        "data-task": t.id,
        "data-status": t.status,
        class: `${t.active ? "active " : ""}status-${t.status}${t.waitingOn.length && t.status === "not_started" ? " blocked" : ""}`,
      },
      el(
        "td",
        {},
        el("div", { class: "mono", text: t.id }),
        el("div", { text: t.title }),
        t.milestone ? el("span", { class: "tag", text: "milestone" }) : null,
      ),
      el(
        "td",
        {},
        el("span", { class: `badge status ${t.status}`, text: t.status.replace("_", " ") }),
        t.active
          ? el("div", { class: "small", text: "active" })
          : t.ready
            ? el("div", { class: "small muted", text: "ready" })
            : null,
      ),
      el("td", { text: String(t.attempts) }),
      el(
        "td",
        { class: "small" },
        ...t.dependsOn.map((d) =>
          el("div", {
            class: d.status === "complete" ? "muted" : "",
            text: `${d.id} ${d.status === "complete" ? "✓" : `(${d.status.replace("_", " ")})`}`,
          }),
        ),
      ),
      el("td", {}, crit, evidence),
    );
  });
  $("tasks").tBodies[0].replaceChildren(...rows);
}

// ---- steering -----------------------------------------------------------------------------------

function renderControl(s) {
  const items = s.control.steering.map((m) =>
    el("li", { "data-id": m.id }, el("span", { class: "muted small", text: `${clock(m.ts)} ` }), m.text),
  );
  $("steering").replaceChildren(
    ...(items.length ? items : [el("li", { class: "muted small", text: "nothing queued" })]),
  );
  const live = s.run && ["running", "paused", "stopping"].includes(s.run.state);
  $("pause").disabled = s.control.paused;
  $("resume").disabled = !s.control.paused;
  $("stop").disabled = !live || !!s.control.stop;
  $("stop-now").disabled = !live || !!s.control.stop?.now;
}

async function action(name, body = {}) {
  const out = $("action-result");
  try {
    const r = await api(`/api/action/${name}`, { method: "POST", body: JSON.stringify(body) });
    out.textContent = `${name}: done${r.logged ? " (noted in run-log.md)" : ""}`;
    out.className = "small ok";
    return r;
  } catch (err) {
    out.textContent = `${name}: ${err.message}`;
    out.className = "small fail";
    return null;
  }
}

// ---- spend --------------------------------------------------------------------------------------

function renderSpend(s) {
  const sp = s.spend;
  $("spend-total").textContent = `${usd(sp.costUSD)} · ${num(sp.tokens)} tokens`;
  $("spend-kinds").textContent =
    `input ${num(sp.input)} · cached ${num(sp.cachedInput)} · cache write ${num(sp.cacheWrite)} · output ${num(sp.output)} (reasoning ${num(sp.reasoning)}) · cache reads ${(sp.cacheReadShare * 100).toFixed(1)}% of input`;
  drawChart(sp.chart);
  const rows = sp.tasks.map((t) =>
    el(
      "tr",
      {},
      el("td", { class: "mono", text: t.taskId }),
      el("td", { class: "num", text: usd(t.costUSD) }),
      el("td", { class: "num muted", text: `${num(t.tokens)} tok` }),
    ),
  );
  $("task-costs").tBodies[0].replaceChildren(
    ...(rows.length ? rows : [el("tr", {}, el("td", { class: "muted", text: "no usage yet" }))]),
  );
}

const SVG = "http://www.w3.org/2000/svg";
function drawChart(chart) {
  const svg = $("chart");
  svg.replaceChildren();
  const legend = $("chart-legend");
  legend.replaceChildren();
  if (!chart.points.length) {
    const t = document.createElementNS(SVG, "text");
    t.setAttribute("x", "200");
    t.setAttribute("y", "80");
    t.setAttribute("text-anchor", "middle");
    t.setAttribute("class", "empty");
    t.textContent = "no usage yet";
    svg.append(t);
    return;
  }
  const byCost = chart.points.every((p) => p.costUSD !== null);
  const value = (p) => (byCost ? p.costUSD : p.tokens);
  // Each point is the total at the end of its bucket; every line starts from zero at the first bucket.
  const width = chart.bucketMinutes * 60_000;
  const times = [...new Set(chart.points.map((p) => p.t))].map((t) => Date.parse(t));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times) + width;
  const max = Math.max(...chart.points.map(value), 1e-9);
  const x = (t) => 4 + ((t - t0) / (t1 - t0)) * 392;
  const y = (v) => 152 - (v / max) * 144;
  chart.models.forEach((m, i) => {
    const pts = chart.points.filter((p) => p.model === m);
    const xy = [`${x(t0).toFixed(1)},${y(0).toFixed(1)}`];
    for (const p of pts) xy.push(`${x(Date.parse(p.t) + width).toFixed(1)},${y(value(p)).toFixed(1)}`);
    const line = document.createElementNS(SVG, "polyline");
    line.setAttribute("points", xy.join(" "));
    line.setAttribute("fill", "none");
    line.setAttribute("stroke", COLORS[i % COLORS.length]);
    line.setAttribute("stroke-width", "2");
    line.setAttribute("vector-effect", "non-scaling-stroke");
    line.setAttribute("data-model", m);
    svg.append(line);
    const last = pts.at(-1);
    legend.append(
      el(
        "span",
        { class: "key" },
        el("span", { class: `swatch c${i % COLORS.length}` }),
        ` ${m}: ${byCost ? usd(last.costUSD) : `${num(last.tokens)} tokens`}`,
      ),
    );
  });
  legend.append(
    el("span", {
      class: "muted",
      text: ` · ${byCost ? "USD" : "tokens"}, cumulative, ${chart.bucketMinutes}-minute steps, ${clock(new Date(t0).toISOString())}–${clock(new Date(t1).toISOString())} UTC`,
    }),
  );
}

// ---- activity and log ---------------------------------------------------------------------------

function feedRow(r) {
  const li = el(
    "li",
    {
      class: `k-${r.kind}${r.ok === false ? " bad" : r.ok === true ? " good" : ""}`,
      "data-kind": r.kind,
      "data-n": r.n,
    },
    el("span", { class: "ts", text: clock(r.ts) }),
    r.taskId ? el("span", { class: "task mono", text: r.taskId }) : null,
    el("span", {
      class: "kind",
      text:
        r.kind === "loop" ? r.name : r.kind === "tool" || r.kind === "tool_end" ? (r.name ?? "tool") : r.kind,
    }),
    el("span", { class: "text", text: r.text }),
  );
  return li;
}

function addRows(rows) {
  const feed = $("feed");
  const follow = $("follow-feed").checked;
  const frag = document.createDocumentFragment();
  for (const r of rows) frag.append(feedRow(r));
  feed.append(frag);
  while (feed.childElementCount > FEED_MAX) feed.firstElementChild.remove();
  if (follow) feed.scrollTop = feed.scrollHeight;
  document.dispatchEvent(new CustomEvent("longrun:rows", { detail: rows }));
}

function renderLog(s) {
  $("log-error").hidden = !s.log.error;
  $("log-error").textContent = s.log.error ?? "";
  const log = $("log");
  log.replaceChildren(
    ...s.log.events.map((e) =>
      el(
        "li",
        { class: `tag-${e.tag}` },
        el("span", { class: "ts", text: e.stamp.slice(5) }),
        el("span", { class: "kind", text: e.tag }),
        el("span", { class: "text", text: e.text }),
      ),
    ),
  );
  log.scrollTop = log.scrollHeight;
}

// ---- artifacts and the viewer -------------------------------------------------------------------

async function loadArtifacts() {
  try {
    const r = await api("/api/artifacts");
    $("artifacts").replaceChildren(
      ...r.files.map((f) =>
        el(
          "li",
          {},
          viewLink(f.path, f.path.replace(/^\.longrun\/runs\/[^/]+\//, "")),
          el("span", { class: "muted", text: ` ${num(f.size)} B` }),
        ),
      ),
    );
    if (!r.files.length) $("artifacts").replaceChildren(el("li", { class: "muted", text: "none yet" }));
  } catch (err) {
    $("artifacts").replaceChildren(el("li", { class: "fail", text: err.message }));
  }
}

const viewer = { path: null, offset: 0, next: 0, size: 0, limit: 65536 };
async function openFile(path, offset = 0) {
  try {
    const r = await api(`/api/file?path=${encodeURIComponent(path)}&offset=${offset}&limit=${viewer.limit}`);
    Object.assign(viewer, { path, offset: r.offset, next: r.next, size: r.size });
    $("viewer-title").textContent = path;
    $("viewer-range").textContent = `bytes ${num(r.offset)}–${num(r.next)} of ${num(r.size)}`;
    $("viewer-text").textContent = r.text;
    for (const b of ["viewer-prev", "viewer-start", "viewer-next", "viewer-end", "viewer-prev"])
      $(b).hidden = false;
    $("viewer-prev").disabled = r.offset === 0;
    $("viewer-start").disabled = r.offset === 0;
    $("viewer-next").disabled = r.next >= r.size;
    $("viewer-end").disabled = r.next >= r.size;
    if (!$("viewer").open) $("viewer").showModal();
  } catch (err) {
    $("action-result").textContent = `${path}: ${err.message}`;
  }
}

async function openCommit(sha) {
  try {
    const r = await api(`/api/commit?sha=${sha}`);
    $("viewer-title").textContent = `commit ${sha.slice(0, 10)}`;
    $("viewer-range").textContent = "";
    $("viewer-text").textContent = r.text;
    for (const b of ["viewer-prev", "viewer-start", "viewer-next", "viewer-end"]) $(b).hidden = true;
    if (!$("viewer").open) $("viewer").showModal();
  } catch (err) {
    $("action-result").textContent = `commit ${sha}: ${err.message}`;
  }
}

// ---- wiring -------------------------------------------------------------------------------------

let artifactsKey = "";
// The task table and the log are drawn again only when they changed: a state comes every 200 ms while
// the run writes, and redrawing hundreds of task rows (then reading the log's scrollHeight, which lays
// the page out at once) took the page seconds per second on a large run.
let tasksKey = "";
let logKey = "";
let spendKey = "";
function render(s) {
  const key = s.run ? `${s.run.id}:${s.run.iteration}:${s.run.state}:${s.counts.complete ?? 0}` : "";
  if (key !== artifactsKey) {
    artifactsKey = key;
    loadArtifacts();
  }
  state = s;
  stateAt = Date.now();
  renderHeader(s);
  const tasks = JSON.stringify([s.tasks, s.counts, s.checklistError]);
  if (tasks !== tasksKey) {
    tasksKey = tasks;
    renderTasks(s);
  }
  renderControl(s);
  const spend = JSON.stringify(s.spend);
  if (spend !== spendKey) {
    spendKey = spend;
    renderSpend(s);
  }
  const log = JSON.stringify(s.log);
  if (log !== logKey) {
    logKey = log;
    renderLog(s);
  }
  document.body.dataset.runState = s.run ? s.run.state : "none";
  document.title = `${s.run ? `${s.run.state}${s.run.taskId ? ` ${s.run.taskId}` : ""}` : "no run"} · ${s.repo.name} · longrun`;
}

function connect() {
  const es = new EventSource(`/api/stream?token=${encodeURIComponent(token)}`);
  es.addEventListener("open", () => $("live").classList.add("on"));
  es.addEventListener("error", () => $("live").classList.remove("on"));
  es.addEventListener("reset", (e) => {
    const d = JSON.parse(e.data);
    $("feed").replaceChildren();
    addRows(d.feed);
    loadArtifacts();
  });
  es.addEventListener("rows", (e) => addRows(JSON.parse(e.data)));
  es.addEventListener("state", (e) => render(JSON.parse(e.data)));
}

$("steer-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const text = $("steer-text").value.trim();
  if (!text) return;
  if (await action("steer", { text })) $("steer-text").value = "";
});
$("pause").addEventListener("click", () => action("pause"));
$("resume").addEventListener("click", () => action("resume"));
$("stop").addEventListener(
  "click",
  () => confirm("Stop the run after its current iteration?") && action("stop"),
);
$("stop-now").addEventListener(
  "click",
  () => confirm("Stop the run now? The session in flight is ended.") && action("stop", { now: true }),
);
$("show-reasoning").addEventListener("change", (e) =>
  document.body.classList.toggle("show-reasoning", e.target.checked),
);
$("artifacts-refresh").addEventListener("click", loadArtifacts);
$("viewer-close").addEventListener("click", () => $("viewer").close());
$("viewer-next").addEventListener("click", () => openFile(viewer.path, viewer.next));
$("viewer-prev").addEventListener("click", () =>
  openFile(viewer.path, Math.max(0, viewer.offset - viewer.limit)),
);
$("viewer-start").addEventListener("click", () => openFile(viewer.path, 0));
$("viewer-end").addEventListener("click", () => openFile(viewer.path, "end"));
setInterval(tickElapsed, 1000);
connect();
