/** The shape of checklist.yaml: one zod definition, the source of the types and of the JSON Schema. */
import { z } from "zod";
import { WRITTEN_STATUSES } from "./task-status.ts";

const text = z.string();
const optionalText = text.nullish();
/** Free text the playbook allows as one string or a list of lines. */
const textOrList = z.union([text, z.array(text)]).nullish();
const commandList = z.array(text.min(1, "a command may not be empty"));

export const criterionSchema = z.union([
  text.min(1, "a criterion may not be empty"),
  z.object({
    text: text.min(1, "a criterion needs its text"),
    check: text.min(1, "a check is a shell command; it may not be empty").optional(),
  }),
]);

export const taskSchema = z.looseObject({
  task_id: text.min(1, "task_id may not be empty"),
  title: text.min(1, "title may not be empty"),
  description: optionalText,
  acceptance_criteria: z.array(criterionSchema).nullish(),
  implementation_notes: textOrList,
  status: z.enum(WRITTEN_STATUSES as [string, ...string[]]),
  note: optionalText,
  depends_on: z.array(text).nullish(),
  verify: commandList.nullish(),
  milestone: z.boolean().nullish(),
  attempts: z.number().int().min(0).nullish(),
});

export const summarySchema = z.looseObject({
  last_updated: optionalText,
  active_task_id: optionalText,
  status: optionalText,
  blockers: textOrList,
  next_actions: textOrList,
  verification_loop: z
    .looseObject({
      fast: commandList.nullish(),
      full: commandList.nullish(),
    })
    .nullish(),
});

export const checklistSchema = z.looseObject({
  summary: summarySchema.nullish(),
  instructions: textOrList,
  guidelines: textOrList,
  tasks: z.array(taskSchema).nullish(),
});

export type Criterion = z.infer<typeof criterionSchema>;
export type Task = z.infer<typeof taskSchema>;
export type Summary = z.infer<typeof summarySchema>;
export type Checklist = z.infer<typeof checklistSchema>;

export const TASK_KEYS = Object.keys(taskSchema.shape);
export const SUMMARY_KEYS = Object.keys(summarySchema.shape);
export const TOP_KEYS = Object.keys(checklistSchema.shape);
