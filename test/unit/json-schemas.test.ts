// The checked-in JSON Schemas must match the zod definitions they are generated from (`npm run schema`).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { schemaFiles } from "../../src/core/json-schemas.ts";

describe("schema/ files", () => {
  it.each(Object.entries(schemaFiles()))("%s is up to date (run `npm run schema`)", (file, schema) => {
    const onDisk = JSON.parse(readFileSync(new URL(`../../${file}`, import.meta.url), "utf8"));
    expect(onDisk).toEqual(schema);
  });

  it("lists every status spelling for task.status", () => {
    const s = schemaFiles()["schema/checklist.schema.json"] as Record<string, unknown>;
    expect(JSON.stringify(s)).toContain("archived_as_irrelevant");
  });
});
