/**
 * Owner routing for the stateful app (PLAN 2): HAProxy computes the shard of each actor-addressed request as the
 * nodes do (`crc32(<kind>|<eventId>/<seat or section>) mod shards`) and looks its owner's server up in `mapPath`
 * (shard -> server name, kept equal to `shard_owner` by `stateful-app/lb-sync` through the runtime API).
 */
export interface HaproxyRouting {
  mapPath: string;
  shards: number;
  /** Decides the actor key: `seat|<event>/<seatId>` or `section|<event>/<sectionId>`. */
  granularity: "seat" | "section";
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
}

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
 * - no maxconn: HAProxy derives it from the file-descriptor limit (a fixed value can exceed it and abort).
 * - no access log: logging every request would cost the shared CPU more than the balancing.
 * - every `x-statebench-*` request header is stripped at the frontend: they are the nodes' internal headers, and
 *   a client's copy must never reach a node (the nodes also trust only peers that carry the cluster secret).
 * - owner routing (stateful, `routing`): see `routingRules`.
 */
export function haproxyConfig(c: HaproxyConfigInput): string {
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
  timeout queue 10s
  timeout check 2s

frontend main
  bind ${c.address ?? "127.0.0.1"}:${c.port}
  http-request del-header ^x-statebench- -m reg
  default_backend ${BACKEND}

backend ${BACKEND}
  balance ${c.balance}
${c.routing ? routingRules(c.routing) : ""}  option httpchk GET /health
  http-check expect status 200
  default-server inter 500ms fastinter 250ms downinter 500ms fall 3 rise 1
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
function routingRules(r: HaproxyRouting): string {
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
