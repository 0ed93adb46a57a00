/** `statebench --help`. */
export const MAIN_HELP = `statebench: stateless API + cache + database + queue vs stateful in-memory actors, on a ticket flash sale.

Usage: statebench <command> [flags]

Commands:
  up        start PostgreSQL, Redis, HAProxy and an app's nodes; print one JSON line; run until Ctrl-C
  bench     run benchmark scenarios against both apps and write results/<run-id>/
  report    build the HTML report of a results folder
  bench-ci  short benchmark compared with the committed baseline (regression gate)
  import-k6 turn the k6 output of a Kubernetes run (k6-operator pods) into results/<run-id>/ and its report

Run "statebench <command> --help" for a command's flags.
`;

/** `statebench up --help`. */
export const UP_HELP = `Usage: statebench up --app stateless|stateful [flags]

Starts private PostgreSQL (and Redis for the stateless app) and HAProxy, then the app's processes behind HAProxy.
Prints ONE JSON line on stdout:
  { "url", "app", "nodes": [{ "id", "url", "metricsUrl", "pid", "role" }], "databaseUrl", "redisUrl", "runDir" }
then runs until SIGINT/SIGTERM (or "stop" on stdin, or the end of the command that launched it: npx's or npm's
wrapper, timeout) and cleans up everything it started. "setsid statebench up" runs on its own.

Flags:
  --app stateless|stateful        which app (required)
  --nodes N                       API replicas / actor nodes behind HAProxy (default 1)
  --workers N                     stateless: BullMQ worker processes (default 1)
  --node-cpu C                    CPU quota per app process in cores, e.g. 0.5 (cgroups; warns if unavailable)
  --write-mode queue|sync         stateless: WRITE_MODE
  --persistence sync|async        stateful: PERSISTENCE
  --granularity seat|section      stateful: GRANULARITY
  --shards N                      stateful: SHARDS
  --log-level LEVEL               LOG_LEVEL of the app processes (default warn)
  --run-dir DIR                   where logs and data go (default: a temp folder, removed on exit)
  -h, --help                      this text

Commands on stdin, one per line, each answered with one JSON line on stdout:
  add-nodes N            start N more nodes and add them to HAProxy
  kill-node ID [SIGNAL]  send SIGNAL (default SIGKILL) to a process, e.g. kill-node node-2 SIGSTOP
  stop-node ID           graceful leave: drain in HAProxy, SIGTERM, remove
  status                 running processes and HAProxy's per-node counters
  stop                   stop everything and exit
`;
