import { OVERLOADED } from "../../contract/admission.ts";

/**
 * Owner routing for the stateful app: HAProxy computes the shard of each actor-addressed request as the
 * nodes do (`crc32(<kind>|<eventId>/<seat or section>) mod shards`) and looks its owner's server up in `mapPath`
 * (shard -> server name, kept equal to `shard_owner` by `stateful-app/lb-sync` through the runtime API).
 */
export interface HaproxyRouting {
  mapPath: string;
  shards: number;
  /** Decides the actor key: `seat|<event>/<seatId>` or `section|<event>/<sectionId>`. */
  granularity: "seat" | "section";
}

/**
 * The balancer's admission control (issue 13). Defaults in `DEFAULT_ADMISSION`; set with `--app-env LB_MAXCONN=...`
 * `LB_MAXQUEUE=...` `LB_TIMEOUT_QUEUE_MS=...` (read by `harness/stack` through `lbAdmissionFromEnv`).
 */
export interface HaproxyAdmission {
  /** Requests HAProxy lets each server work on at once (`maxconn` per server); the rest wait in its queue. 0: none. */
  maxconn: number;
  /**
   * Queued requests per usable server (`avg_queue`) beyond which a new request is answered the overload 503 at
   * once instead of queueing: the excess is told within milliseconds, and what is admitted waits at most about
   * maxqueue / throughput. 0: no such bound (only the queue timeout).
   */
  maxqueue: number;
  /** Longest wait in the queue before HAProxy answers the overload 503 (`timeout queue`). */
  timeoutQueueMs: number;
}

/**
 * Why these values: a node needs only a few dozen requests at once to keep its CPU busy (its own work is
 * microseconds to milliseconds), so 128 per server costs no throughput, while the crowd beyond it waits in
 * HAProxy (C, a few kB per request) instead of in the node's heap. 128 queued per server at ~1,000-5,000
 * requests/s is a wait of 25-130 ms, within the default SLO (p99 250 ms); 500 ms bounds the wait if a node
 * stalls. The apps' own bounds (`MAX_IN_FLIGHT`) sit above `maxconn`: they shed what reaches a node by another
 * path (peer forwards, a direct client) and do not fire behind HAProxy.
 */
export const DEFAULT_ADMISSION: HaproxyAdmission = { maxconn: 128, maxqueue: 128, timeoutQueueMs: 500 };

const ADMISSION_ENV = {
  maxconn: "LB_MAXCONN",
  maxqueue: "LB_MAXQUEUE",
  timeoutQueueMs: "LB_TIMEOUT_QUEUE_MS",
} as const;

/**
 * The balancer's admission knobs from the app environment (`--app-env`), defaults for the rest; a bad value throws
 * an error naming its variable.
 */
export function lbAdmissionFromEnv(env: Record<string, string | undefined>): HaproxyAdmission {
  const out = { ...DEFAULT_ADMISSION };
  for (const key of Object.keys(ADMISSION_ENV) as Array<keyof HaproxyAdmission>) {
    const name = ADMISSION_ENV[key];
    const raw = env[name];
    if (raw === undefined) continue;
    const n = Number(raw);
    const min = key === "timeoutQueueMs" ? 1 : 0;
    if (!/^\d+$/.test(raw) || n < min || n > 1_000_000)
      throw new Error(`--app-env ${name}: expected an integer from ${min} to 1000000, got "${raw}"`);
    out[key] = n;
  }
  return out;
}

/**
 * The admission-control lines of an HAProxy config, shared by every config statebench generates (this one, the
 * Kubernetes one in deploy/k8s): `defaults` lines (queue timeout, the overload answer for HAProxy's own 503s),
 * the backend's fast-shed rule, and the `default-server` suffix.
 */
export function admissionLines(
  a: HaproxyAdmission,
  backend: string,
): { defaults: string; rule: string; server: string } {
  const answer = `status 503 content-type application/json string '${LB_OVERLOADED_JSON}' hdr retry-after ${OVERLOADED.retryAfterS}`;
  return {
    defaults: `  timeout queue ${a.timeoutQueueMs}ms\n  http-error ${answer}\n`,
    rule:
      a.maxconn > 0 && a.maxqueue > 0
        ? `  http-request return ${answer} if { avg_queue(${backend}) ge ${a.maxqueue} }\n`
        : "",
    server: a.maxconn > 0 ? ` maxconn ${a.maxconn}` : "",
  };
}

/** Inputs of the generated haproxy.cfg. */
export interface HaproxyConfigInput {
  /** The public listener's address (default 127.0.0.1; the namespace's address on a host of its own). */
  address?: string;
  port: number;
  socketPath: string;
  slots: number;
  threads: number;
  balance: "roundrobin" | "leastconn";
  /** Route actor-addressed requests to their shard's owner; without it, plain balancing. */
  routing?: HaproxyRouting;
  /** Default `DEFAULT_ADMISSION`. */
  admission?: HaproxyAdmission;
}

/** The overload body as HAProxy sends it (no single quote inside: it sits in a single-quoted config string). */
const LB_OVERLOADED_JSON = JSON.stringify({
  ...OVERLOADED.body,
  message: "the load balancer queue is full, retry after 1 s",
});

/** Backend and slot names used in the config and the runtime API. */
export const BACKEND = "app";
export const SLOT_PREFIX = "s";

/**
 * The config. Why each part:
 * - `server-template` slots start disabled and are pointed at nodes through the runtime API, so nodes come and
 *   go without a reload (the listener never drops).
 * - `retry-on conn-failure` + `redispatch`: only requests that never reached a server are retried elsewhere;
 *   a POST that reached a node is never replayed by the balancer (the driver sees its real outcome).
 * - fast checks (`inter 500ms fall 3 rise 1`): a killed node (connection refused at once) leaves rotation in
 *   about a second; an overloaded node must miss three 2 s checks in a row, so the balancer does not turn
 *   overload into 503s by itself.
 * - no global maxconn: HAProxy derives it from the file-descriptor limit (a fixed value can exceed it and abort).
 * - admission control (`HaproxyAdmission`): per-server `maxconn`, a bounded queue answered at once past
 *   `maxqueue`, and a short `timeout queue`. Every 503 HAProxy makes itself (queue full, queue timeout, no
 *   server) is the stacks' overload answer: `Retry-After: 1` and `{"error":"overloaded"}` (contract/admission.ts).
 * - no access log: logging every request would cost the shared CPU more than the balancing.
 * - every `x-statebench-*` request header is stripped at the frontend: they are the nodes' internal headers, and
 *   a client's copy must never reach a node (the nodes also trust only peers that carry the cluster secret).
 * - `/metrics` is refused at the frontend (404): the nodes serve it on a port of their own, which HAProxy never
 *   forwards to, and a node started without METRICS_PORT must not leak its figures through the balancer either.
 * - owner routing (stateful, `routing`): see `routingRules`.
 */
export function haproxyConfig(c: HaproxyConfigInput): string {
  const a = admissionLines(c.admission ?? DEFAULT_ADMISSION, BACKEND);
  return `global
  stats socket ${c.socketPath} level admin
  stats timeout 30s
  nbthread ${c.threads}

defaults
  mode http
  option http-keep-alive
  option redispatch 1
  retries 3
  retry-on conn-failure
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  timeout http-request 10s
  timeout http-keep-alive 10s
  timeout check 2s
${a.defaults}
frontend main
  bind ${c.address ?? "127.0.0.1"}:${c.port}
  http-request del-header ^x-statebench- -m reg
  http-request deny deny_status 404 if { path /metrics } || { path_beg /metrics/ }
  default_backend ${BACKEND}

backend ${BACKEND}
  balance ${c.balance}
${a.rule}${c.routing ? routingRules(c.routing) : ""}  option httpchk GET /health
  http-check expect status 200
  default-server inter 500ms fastinter 250ms downinter 500ms fall 3 rise 1${a.server}
  server-template ${SLOT_PREFIX} 1-${c.slots} 127.0.0.1:1 check disabled
`;
}

/**
 * The owner-routing rules (HAProxy 2.6). The seat comes from the JSON body of a hold (`option
 * http-buffer-request` makes HAProxy wait for the small body), and from the path for a confirm, a release or a
 * booking read: hold and booking ids are `<seatId>.<random>`, so the seat is the id without its last `.` part.
 * Section actors are keyed by the seat's section (the seat id without its last `-` part). Event creation goes to
 * the event actor's owner. The shard's server comes from the map; `use-server` with a server name resolved at
 * runtime skips a server that is down (the request is then balanced and the node's forwarder covers it), and a
 * shard missing from the map (moving, no owner yet) is simply balanced.
 */
export function routingRules(r: HaproxyRouting): string {
  const kind = r.granularity;
  const actor = kind === "section" ? "var(txn.seat),regsub('-[^-]*$','')" : "var(txn.seat)";
  return `  option http-buffer-request
  http-request set-var(txn.event) path,field(3,/) if { path_beg /events/ }
  http-request set-var(txn.seat) req.body,json_query('$.seatId') if { method POST } { path_reg ^/events/[^/]+/holds$ }
  http-request set-var(txn.seat) path,field(5,/),regsub('\\.[^.]*$','') if { path_reg ^/events/[^/]+/(holds/[^/]+(/confirm)?|bookings/[^/]+)$ }
  http-request set-var(txn.actor) ${actor} if { var(txn.seat) -m found }
  http-request set-var(txn.shard) str(${kind}|),concat(,txn.event,/),concat(,txn.actor,),crc32,mod(${r.shards}) if { var(txn.actor) -m found }
  http-request set-var(txn.shard) str(event|),concat(,txn.event,),crc32,mod(${r.shards}) if { method PUT } { path_reg ^/events/[^/]+$ }
  http-request set-var(txn.owner) var(txn.shard),map(${r.mapPath}) if { var(txn.shard) -m found }
  use-server %[var(txn.owner)] if { var(txn.owner) -m found }
`;
}
