/**
 * One scripted model server per test, for the model server's own tests: `serve` starts it, `post` talks
 * to it, `server()` is it; it is closed after each test, within 3 s, so that a close() that hangs fails
 * its test instead of the hook timing out. Call once at the top of a test file.
 */
import { afterEach } from "vitest";
import { type ModelServer, type Script, startModelServer } from "./model-server.ts";
import { post as postTo, type Read } from "./wire-client.ts";

export function serverPerTest() {
  let current: ModelServer | undefined;
  afterEach(async () => {
    const late = new Promise((res) => setTimeout(res, 3_000).unref());
    await Promise.race([current?.close(), late]);
    current = undefined;
  });
  return {
    async serve(script: Script): Promise<ModelServer> {
      current = await startModelServer(script);
      return current;
    },
    post: (path: string, body: unknown, deadlineMs?: number): Promise<Read> =>
      postTo(current!.url, path, body, deadlineMs),
    /** The running test's server. */
    server: (): ModelServer => current!,
    /** The test closed the server itself: nothing is left to close after it. */
    forget(): void {
      current = undefined;
    },
  };
}
