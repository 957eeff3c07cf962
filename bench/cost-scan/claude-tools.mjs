/**
 * Claude Code's tool calls and their results as its session logs hold them (shapes recorded from Claude Code
 * 2.1.197 against the scripted model server; see bench/cost-scan/record.ts): the `tool_use` input, the
 * `tool_result` the next user line sends back, and the `toolUseResult` it keeps beside it, which repeats
 * the output (and, for Edit, the whole original file).
 */
import { COMMANDS } from "./text.mjs";

const TOOLS = [
  ["Bash", 45],
  ["Read", 25],
  ["Edit", 12],
  ["Grep", 8],
  ["TodoWrite", 5],
  ["Write", 5],
];

export const pickTool = (r) => r.weighted(TOOLS);

/** The `input` of a tool_use block, and the pool file it names (if any). */
export function toolInput(r, pools, name, cwd) {
  const file = r.pick(pools.files);
  return { input: inputOf(r, name, cwd, file), file };
}

function inputOf(r, name, cwd, file) {
  switch (name) {
    case "Bash":
      return { command: r.pick(COMMANDS), description: "Run the tests" };
    case "Read":
      return { file_path: `${cwd}/${file.path}` };
    case "Edit":
      return {
        file_path: `${cwd}/${file.path}`,
        old_string: "const delay = base * 2 ** attempt;",
        new_string: "const delay = Math.min(30_000, base * 2 ** attempt) * (0.5 + Math.random());",
      };
    case "Grep":
      return { pattern: "retryDelay", path: `${cwd}/src`, output_mode: "content", "-n": true };
    case "Write":
      return { file_path: `${cwd}/test/retry.test.ts`, content: file.content.slice(0, 2000) };
    default:
      return {
        todos: [
          { content: "Reproduce the failure", status: "completed", activeForm: "Reproducing the failure" },
          { content: "Fix the retry loop", status: "in_progress", activeForm: "Fixing the retry loop" },
          { content: "Add a test / テストを追加", status: "pending", activeForm: "Adding a test" },
        ],
      };
  }
}

/** `{ content, toolUseResult, isError }` of the user line that answers a tool_use. */
export function toolResult(r, pools, name, input, file) {
  switch (name) {
    case "Bash": {
      const out = r.pick(pools.outputs);
      const failed = r.chance(0.08);
      return {
        content: failed ? `Exit code 1\n${out}` : out,
        isError: failed,
        toolUseResult: failed
          ? `Error: Exit code 1\n${out}`
          : { stdout: out, stderr: "", interrupted: false, isImage: false, noOutputExpected: false },
      };
    }
    case "Read": {
      file.numbered ??= numbered(file.content);
      return {
        content: file.numbered,
        toolUseResult: {
          type: "text",
          file: {
            filePath: input.file_path,
            content: file.content,
            numLines: file.lines,
            startLine: 1,
            totalLines: file.lines,
          },
        },
      };
    }
    case "Edit": {
      const snippet = numbered(file.content.split("\n").slice(0, 12).join("\n"));
      return {
        content: `The file ${input.file_path} has been updated. Here's the result of running \`cat -n\` on a snippet of the edited file:\n${snippet}`,
        toolUseResult: {
          filePath: input.file_path,
          oldString: input.old_string,
          newString: input.new_string,
          originalFile: file.content,
          structuredPatch: [
            {
              oldStart: 4,
              oldLines: 1,
              newStart: 4,
              newLines: 1,
              lines: [`-${input.old_string}`, `+${input.new_string}`],
            },
          ],
          userModified: false,
          replaceAll: false,
        },
      };
    }
    case "Grep": {
      const out =
        "src/upload/client.ts:41:  const retryDelay = 250;\nsrc/upload/client.ts:88:    await sleep(retryDelay * 2 ** attempt);";
      return {
        content: out,
        toolUseResult: { mode: "content", numFiles: 0, filenames: [], content: out, numLines: 2 },
      };
    }
    case "Write":
      return {
        content: `File created successfully at: ${input.file_path}`,
        toolUseResult: {
          type: "create",
          filePath: input.file_path,
          content: input.content,
          structuredPatch: [],
        },
      };
    default:
      return {
        content:
          "Todos have been modified successfully. Ensure that you continue to use the todo list to track your progress. Please proceed with the current tasks if applicable",
        toolUseResult: { oldTodos: [], newTodos: input.todos },
      };
  }
}

/** Lines numbered as Claude's Read tool returns them: right-aligned number, "→", the line. */
function numbered(text) {
  return text
    .split("\n")
    .map((l, i) => `${String(i + 1).padStart(6)}→${l}`)
    .join("\n");
}
