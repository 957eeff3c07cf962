/** The one way longrun writes a user's file: temp file, fsync, rename; refusing read-only files. */
import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";
import { UserError } from "../core/user-error.ts";
import { display } from "./paths.ts";

/** Refuse, before any change, to write a file that is read-only or whose folder is not writable. */
export function assertWritable(file: string): void {
  const shown = display(file);
  try {
    const st = statSync(file);
    if ((st.mode & 0o222) === 0)
      throw new UserError(
        `${shown}: the file is read-only (make it writable, e.g. \`chmod u+w ${shown}\`, then retry)`,
      );
  } catch (err) {
    if (err instanceof UserError) throw err;
    if ((err as NodeJS.ErrnoException).code !== "ENOENT")
      throw new UserError(`${shown}: cannot stat (${(err as NodeJS.ErrnoException).code})`);
  }
  const dir = path.dirname(file);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UserError(
      `${shown}: cannot be written: no permission to write in its folder ${display(dir)} (fix the folder's permissions, then retry)`,
    );
  }
}

/** Write `content` atomically, keeping the file's mode. Errors become one-line UserErrors. */
export async function writeAtomic(file: string, content: string): Promise<void> {
  assertWritable(file);
  // Loaded on the first write (read-only commands never need it).
  const { default: writeFileAtomic } = await import("write-file-atomic");
  try {
    await writeFileAtomic(file, content, { fsync: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "EACCES" || code === "EPERM"
        ? "permission denied; fix the folder's permissions"
        : code === "ENOSPC"
          ? "the disk is full"
          : String((err as Error).message ?? err);
    throw new UserError(`${display(file)}: could not write (${why}); the file is unchanged`);
  }
}
