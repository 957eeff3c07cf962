/** JSON Schemas for editors, generated from the same zod definitions that validate the files. */
import { z } from "zod";
import { checklistSchema } from "./checklist-schema.ts";
import { configSchema } from "./config-schema.ts";

export function schemaFiles(): Record<string, unknown> {
  return {
    "schema/checklist.schema.json": {
      title: "longrun checklist.yaml",
      ...z.toJSONSchema(checklistSchema, { io: "input" }),
    },
    "schema/config.schema.json": {
      title: "longrun .longrun/config.yaml",
      ...z.toJSONSchema(configSchema, { io: "input" }),
    },
  };
}
