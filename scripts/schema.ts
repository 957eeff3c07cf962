// Writes the JSON Schemas of checklist.yaml and .longrun/config.yaml from the zod definitions.
// `npm run schema` regenerates them; a unit test fails when the checked-in files are stale.
import { writeFileSync } from "node:fs";
import { schemaFiles } from "../src/core/json-schemas.ts";

for (const [file, schema] of Object.entries(schemaFiles()))
  writeFileSync(new URL(`../${file}`, import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);
