/**
 * Task Master's own project format (task-master-ai 0.43.1), for the same tasks as the checklist: found by
 * reading the installed package and what `task-master init` / `add-task` write.
 */
const ISO = "2026-03-14T09:30:00.000Z";

const TM_STATUS = {
  complete: "done",
  in_progress: "in-progress",
  not_started: "pending",
  failed: "blocked",
  archived: "cancelled",
};

const PRIORITIES = ["high", "medium", "medium", "low"];

/** The same tasks as Task Master 0.43 stores them (the tagged format: { master: { tasks, metadata } }). */
export function taskMasterJson(tasks) {
  const num = (taskId) => Number(taskId.slice(1));
  const tmTasks = tasks.map((t) => ({
    id: t.n,
    title: t.title,
    description: t.description,
    details: [...(Array.isArray(t.notes) ? t.notes : [t.notes]), ...(t.note ? [`Note: ${t.note}`] : [])].join(
      "\n",
    ),
    testStrategy: t.criteria
      .map((c) => (typeof c === "string" ? c : `${c.text} (check: ${c.check})`))
      .join("\n"),
    status: TM_STATUS[t.status],
    dependencies: t.deps.map(num),
    priority: PRIORITIES[t.n % PRIORITIES.length],
    subtasks: [],
  }));
  const data = {
    master: {
      tasks: tmTasks,
      metadata: { created: ISO, updated: ISO, description: "Tasks for master context" },
    },
  };
  return `${JSON.stringify(data, null, 2)}\n`;
}

/** .taskmaster/config.json as `task-master init` 0.43.1 writes it, with telemetry off (the benchmark runs offline). */
export const TM_CONFIG = {
  models: {
    main: { provider: "anthropic", modelId: "claude-sonnet-4-20250514", maxTokens: 64000, temperature: 0.2 },
    research: { provider: "perplexity", modelId: "sonar", maxTokens: 8700, temperature: 0.1 },
    fallback: {
      provider: "anthropic",
      modelId: "claude-3-7-sonnet-20250219",
      maxTokens: 120000,
      temperature: 0.2,
    },
  },
  global: {
    logLevel: "info",
    debug: false,
    defaultNumTasks: 10,
    defaultSubtasks: 5,
    defaultPriority: "medium",
    projectName: "Task Master",
    responseLanguage: "English",
    enableCodebaseAnalysis: false,
    enableProxy: false,
    anonymousTelemetry: false,
  },
};

export const TM_STATE = {
  currentTag: "master",
  lastSwitched: ISO,
  branchTagMapping: {},
  migrationNoticeShown: true,
};
