// Shim of `k6/http`: synchronous requests (as k6's VUs make them) through the shim's transport, emitting the
// samples k6 emits per request (http_reqs, http_req_duration, http_req_failed) with k6's tags: name, method,
// status, expected_response, url (= name when a name tag is given, as k6 does), error_code on failures.
import { emit, shim } from "../state.ts";

interface Params {
  headers?: Record<string, string>;
  tags?: Record<string, string>;
  timeout?: string | number;
  responseCallback?: ResponseCallback;
}
type ResponseCallback = { statuses: Array<number | { min: number; max: number }> } | null;

let defaultCallback: ResponseCallback = { statuses: [{ min: 200, max: 399 }] };

export function expectedStatuses(...statuses: Array<number | { min: number; max: number }>): ResponseCallback {
  return { statuses };
}

export function setResponseCallback(cb: ResponseCallback): void {
  defaultCallback = cb;
}

function expected(cb: ResponseCallback, status: number): boolean {
  if (!cb) return true;
  return cb.statuses.some((s) => (typeof s === "number" ? s === status : status >= s.min && status <= s.max));
}

function timeoutMs(t: string | number | undefined): number {
  if (t === undefined) return 60_000;
  if (typeof t === "number") return t;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(t);
  if (!m) throw new Error(`k6 shim: bad timeout ${t}`);
  return Number(m[1]) * (m[2] === "ms" ? 1 : m[2] === "s" ? 1000 : 60_000);
}

export function request(method: string, url: string, body?: string | null, params: Params = {}) {
  if (!shim.transport) throw new Error("k6 shim: no HTTP transport");
  const res = shim.transport(method, url, body ?? null, params.headers ?? {}, timeoutMs(params.timeout));
  const cb = params.responseCallback === undefined ? defaultCallback : params.responseCallback;
  const ok = expected(cb, res.status);
  const name = params.tags?.name ?? url;
  const tags: Record<string, string> = {
    ...params.tags,
    expected_response: String(ok),
    method,
    name,
    proto: "HTTP/1.1",
    status: String(res.status),
    url: name,
  };
  if (res.errorCode !== null) tags.error_code = String(res.errorCode);
  emit("http_reqs", "counter", "default", 1, tags);
  emit("http_req_duration", "trend", "time", res.durationMs, tags);
  emit("http_req_failed", "rate", "default", ok ? 0 : 1, tags);
  return {
    status: res.status,
    body: res.body,
    error_code: res.errorCode ?? 0,
    timings: { duration: res.durationMs },
    json: () => JSON.parse(res.body),
  };
}

export const get = (url: string, params?: Params) => request("GET", url, null, params);
export const post = (url: string, body?: string | null, params?: Params) => request("POST", url, body, params);
export const del = (url: string, body?: string | null, params?: Params) => request("DELETE", url, body, params);

export default { request, get, post, del, expectedStatuses, setResponseCallback };
