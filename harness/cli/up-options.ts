import { parseArgs } from "node:util";
import type { StackOptions } from "../stack/index.ts";

/** A flag problem: reported with exit code 2. */
export class UsageError extends Error {}

const FLAGS = {
  app: { type: "string" },
  nodes: { type: "string" },
  workers: { type: "string" },
  "node-cpu": { type: "string" },
  "write-mode": { type: "string" },
  persistence: { type: "string" },
  granularity: { type: "string" },
  shards: { type: "string" },
  "log-level": { type: "string" },
  "run-dir": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${flag} must be ${allowed.join(" or ")}, got "${value}"`);
  }
  return value as T;
}

function integer(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${flag} must be an integer >= ${min}, got "${value}"`);
  return n;
}

/** `up`'s flags as stack options, or `"help"`. Throws UsageError naming the flag at fault. */
export function parseUpFlags(argv: string[]): Omit<StackOptions, "registry" | "root" | "warn"> | "help" {
  let values: ReturnType<typeof parseArgs<{ options: typeof FLAGS; strict: true }>>["values"];
  try {
    ({ values } = parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return "help";
  const app = oneOf("app", values.app, ["stateless", "stateful"] as const);
  if (!app) throw new UsageError("--app is required (stateless or stateful)");
  const nodeCpu = values["node-cpu"] === undefined ? null : Number(values["node-cpu"]);
  if (nodeCpu !== null && !(nodeCpu > 0)) {
    throw new UsageError(`--node-cpu must be a number of cores > 0, got "${values["node-cpu"]}"`);
  }
  const appOnly: Array<[string, "stateless" | "stateful"]> = [
    ["workers", "stateless"],
    ["write-mode", "stateless"],
    ["persistence", "stateful"],
    ["granularity", "stateful"],
    ["shards", "stateful"],
  ];
  for (const [flag, owner] of appOnly) {
    if (values[flag as keyof typeof values] !== undefined && owner !== app) {
      throw new UsageError(`--${flag} applies to the ${owner} app only`);
    }
  }
  const opts: Omit<StackOptions, "registry" | "root" | "warn"> = {
    app,
    nodes: integer("nodes", values.nodes, 1) ?? 1,
    nodeCpu,
    keepRunDir: values["run-dir"] !== undefined,
  };
  const workers = integer("workers", values.workers, 0);
  if (workers !== undefined) opts.workers = workers;
  const writeMode = oneOf("write-mode", values["write-mode"], ["queue", "sync"] as const);
  if (writeMode) opts.writeMode = writeMode;
  const persistence = oneOf("persistence", values.persistence, ["sync", "async"] as const);
  if (persistence) opts.persistence = persistence;
  const granularity = oneOf("granularity", values.granularity, ["seat", "section"] as const);
  if (granularity) opts.granularity = granularity;
  const shards = integer("shards", values.shards, 1);
  if (shards !== undefined) opts.shards = shards;
  if (values["log-level"]) opts.logLevel = values["log-level"];
  if (values["run-dir"]) opts.runDir = values["run-dir"];
  return opts;
}
