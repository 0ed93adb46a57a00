import { readdirSync, readFileSync } from "node:fs";
import type { Redis } from "ioredis";

const DIR = new URL("./scripts/", import.meta.url);

/** The Lua scripts of `redis/scripts/`, by name (file `<name>-<numKeys>.lua`). */
export type ScriptName = "hold" | "confirm" | "release" | "summary" | "seats" | "load-event";

type ScriptFn = (...keysThenArgs: Array<string | number>) => Promise<unknown>;

/**
 * Registers every script with `defineCommand` (EVALSHA, falling back to EVAL after a SCRIPT FLUSH or a Redis
 * restart) and returns a typed caller. Keys first, then arguments, as in the file header.
 */
export function defineScripts(
  redis: Redis,
): (name: ScriptName, keys: string[], args: Array<string | number>) => Promise<unknown> {
  for (const file of readdirSync(DIR)) {
    const m = /^([a-z-]+)-(\d+)\.lua$/.exec(file);
    if (!m?.[1] || !m[2]) continue;
    redis.defineCommand(commandName(m[1]), {
      numberOfKeys: Number(m[2]),
      lua: readFileSync(new URL(file, DIR), "utf8"),
    });
  }
  const commands = redis as unknown as Record<string, ScriptFn>;
  return (name, keys, args) => {
    const fn = commands[commandName(name)];
    if (!fn) throw new Error(`redis script ${name} is not defined`);
    return fn.call(redis, ...keys, ...args);
  };
}

// Prefixed so a script name can never shadow a built-in ioredis command.
function commandName(name: string): string {
  return `sl_${name.replace(/-/g, "_")}`;
}
