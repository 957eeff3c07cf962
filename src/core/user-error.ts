/** An error caused by the user's input or environment: printed as one line, no stack, with an exit code. */
import type { Diagnostic } from "./diagnostic.ts";

export class UserError extends Error {
  readonly exitCode: number;
  /** Where the problem is, when it is in a file (so `check` can list it with the others). */
  readonly diagnostic: Diagnostic | undefined;

  constructor(message: string, exitCode = 2, diagnostic?: Diagnostic) {
    super(message);
    this.name = "UserError";
    this.exitCode = exitCode;
    this.diagnostic = diagnostic;
  }
}
