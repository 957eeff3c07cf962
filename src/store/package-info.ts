/** longrun's own package version, read once from the package.json beside src/ or dist/. */
import { builtin } from "./builtin.ts";

const { readFileSync } = builtin("node:fs");

export const version: string = (() => {
  try {
    return (
      JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
    ).version;
  } catch {
    return "0.0.0";
  }
})();
