/** Inputs of the generated haproxy.cfg. */
export interface HaproxyConfigInput {
  port: number;
  socketPath: string;
  slots: number;
  threads: number;
  balance: "roundrobin" | "leastconn";
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
  bind 127.0.0.1:${c.port}
  default_backend ${BACKEND}

backend ${BACKEND}
  balance ${c.balance}
  option httpchk GET /health
  http-check expect status 200
  default-server inter 500ms fastinter 250ms downinter 500ms fall 3 rise 1
  server-template ${SLOT_PREFIX} 1-${c.slots} 127.0.0.1:1 check disabled
`;
}
