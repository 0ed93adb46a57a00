import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { join } from "node:path";

/**
 * Starts the V8 CPU profiler when `dir` is set (env CPU_PROF_DIR; `--cpu-prof` is not allowed in NODE_OPTIONS);
 * the returned `stop()` writes `<dir>/<label>-<pid>.cpuprofile`. A no-op without `dir`.
 */
export async function startProfiler(dir: string | undefined, label: string): Promise<() => Promise<void>> {
  if (!dir) return async () => {};
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return async () => {
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(join(dir, `${label}-${process.pid}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  };
}
