/** .longrun/config.yaml as `longrun init` writes it: every key present and commented. */
export function configTemplate(): string {
  return `# longrun configuration for this repo. Commit it. Command-line flags override these values.
# Validate with \`longrun check\`. Durations are written like 90s, 30m, 8h or 1h30m.

harness:
  # Agent CLI that does the work: codex, claude, opencode, pi, or command (any shell command).
  name: codex
  # Model to ask for; null uses the CLI's own default.
  model: null
  # For \`name: command\`: the shell command to run (gets the brief on stdin and in $LONGRUN_BRIEF).
  command: null
  # An OpenAI- or Anthropic-compatible server to point the CLI at; null keeps the CLI's own config.
  base_url: null
  # Environment variable that holds the API key for base_url.
  api_key_env: null
  # One agent session may run this long before it is stopped.
  timeout: 2h
  # A session that prints nothing for this long is stopped.
  idle_timeout: 10m

verify:
  # Commands run after every session; when empty, checklist.yaml summary.verification_loop.fast is used.
  fast: []
  # Commands run at milestones and before the run ends; when empty, summary.verification_loop.full.
  full: []
  # One verification command may run this long.
  timeout: 30m

loop:
  # Failed attempts at one task before longrun asks for a new strategy, then marks it failed.
  max_attempts: 3
  # Agent sessions in one run, at most.
  max_iterations: 200
  # fresh: a new agent session per iteration (the Ralph loop); continue: resume the CLI's session.
  session: fresh
  # A session whose output passes this many megabytes is stopped (an agent flooding its output).
  max_output_mb: 20

budgets:
  # Stop the run when its estimated spend reaches this many US dollars; null for no limit.
  max_cost_usd: null
  # Stop the run after this many tokens (input + output); null for no limit.
  max_tokens: null
  # Stop the run after this long; null for no limit.
  max_time: null

notify:
  # Tell a person about the run: a shell command that gets the event as JSON on stdin, and/or a URL
  # that gets it as a JSON POST. A notifier that fails is logged; it never stops the run.
  command: null
  webhook: null
  # Which events: task_complete, task_failed, budget_stop, run_end, needs_human.
  events: [task_failed, budget_stop, run_end, needs_human]

cost:
  # Flat plans you pay for (e.g. [chatgpt-pro], [claude-max-20x]; \`longrun cost estimate\` lists them).
  # Usage of a harness a plan covers is shown at API prices, but not as spend.
  plans: []
  # Rows that add to or override the built-in price table, same fields as its rows, e.g.
  # - { model: my-model, input: 0.5, cachedInput: 0.05, output: 2, source: "our gateway", checked: "2026-11-26" }
  prices: []
`;
}
