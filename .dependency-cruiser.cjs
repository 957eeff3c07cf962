// Layer rule of ../shared/DESIGN.md: imports point down only.
//   cli/ dash/  >  loop/  >  cost/ review/ evolve/ evals/ skills/ safety/  >  harness/  >  store/ exec/ git/  >  core/
// A new folder under src/ must get its place in LAYERS the day it is made (an unknown folder fails the check).
const LAYERS = [
  ["core"],
  ["store", "exec", "git"],
  ["harness"],
  ["cost", "review", "evolve", "evals", "skills", "safety"],
  ["loop"],
  ["cli", "dash"],
];
const rank = Object.fromEntries(LAYERS.flatMap((names, i) => names.map((n) => [n, i])));
const folders = Object.keys(rank);
const forbidden = [];
for (const from of folders) {
  // A folder may import itself and any folder of a strictly lower layer.
  const allowed = folders.filter((to) => to === from || rank[to] < rank[from]);
  const denied = folders.filter((to) => !allowed.includes(to));
  if (denied.length === 0) continue;
  forbidden.push({
    name: `layer-${from}`,
    comment: `src/${from}/ may import only ${allowed.map((a) => `${a}/`).join(", ")} (imports point down; see shared/DESIGN.md)`,
    severity: "error",
    from: { path: `^src/${from}/` },
    to: { path: `^src/(${denied.join("|")})/` },
  });
}
forbidden.push(
  {
    name: "core-is-pure",
    comment: "src/core/ does no I/O: no node:fs, node:child_process, node:net, node:http",
    severity: "error",
    from: { path: "^src/core/" },
    to: { path: "^(node:)?(fs|fs/promises|child_process|net|http|https|dgram|worker_threads)$", dependencyTypes: ["core"] },
  },
  {
    name: "known-folder",
    comment: "every folder under src/ must have a layer in .dependency-cruiser.cjs",
    severity: "error",
    from: { path: `^src/(?!(${folders.join("|")})/)[^/]+/` },
    to: {},
  },
  {
    name: "no-circular",
    severity: "error",
    from: { path: "^src/" },
    to: { circular: true },
  },
);
module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
