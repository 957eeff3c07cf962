/**
 * Who may talk to the dashboard: the token in every request, a Host header naming this server on the
 * loopback (a page of another site that re-points its own name at 127.0.0.1, DNS rebinding, is
 * refused), and for changes a POST from the page's own origin. Pure: headers in, a verdict out.
 */
import { timingSafeEqual } from "node:crypto";

export interface Verdict {
  ok: boolean;
  status: number;
  message: string;
}

const OK: Verdict = { ok: true, status: 200, message: "" };

export interface RequestFacts {
  method: string;
  host: string | undefined;
  origin: string | undefined;
  /** `Sec-Fetch-Site`, sent by browsers. */
  fetchSite: string | undefined;
  /** The token from the query (`?token=`) or the `X-Longrun-Token` / `Authorization: Bearer` header. */
  token: string | null;
}

export function sameToken(given: string | null, token: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The hosts this server answers to: 127.0.0.1 and localhost, on its port. */
export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

export function checkRequest(r: RequestFacts, token: string, port: number, changes: boolean): Verdict {
  const hosts = allowedHosts(port);
  if (!r.host || !hosts.has(r.host.toLowerCase()))
    return {
      ok: false,
      status: 403,
      message: `Host ${r.host ? `\`${r.host}\`` : "(none)"} refused: open http://127.0.0.1:${port}/ (only 127.0.0.1 and localhost are served)`,
    };
  if (!sameToken(r.token, token))
    return {
      ok: false,
      status: 401,
      message: "missing or wrong token: open the URL `longrun dash` printed (it carries ?token=…)",
    };
  if (!changes) return OK;
  if (r.method !== "POST")
    return { ok: false, status: 405, message: `${r.method} cannot change anything here: use POST` };
  if (r.origin !== undefined && !hosts.has(r.origin.replace(/^http:\/\//, "").toLowerCase()))
    return { ok: false, status: 403, message: `cross-origin request from ${r.origin} refused` };
  if (r.fetchSite !== undefined && r.fetchSite !== "same-origin" && r.fetchSite !== "none")
    return { ok: false, status: 403, message: `cross-site request (${r.fetchSite}) refused` };
  return OK;
}
