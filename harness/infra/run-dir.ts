import { mkdtempSync, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The given run folder (created if missing), or a fresh `statebench-*` folder under the OS temp dir. */
export async function ensureRunDir(runDir?: string): Promise<string> {
  if (runDir) {
    await mkdir(runDir, { recursive: true });
    return runDir;
  }
  return mkdtempSync(join(tmpdir(), "statebench-"));
}

/** The last `lines` lines of a log file, for error messages ("" when it cannot be read). */
export function logTail(file: string, lines = 30): string {
  try {
    const text = readFileSync(file, "utf8");
    return text.split("\n").slice(-lines - 1).join("\n").trimEnd();
  } catch {
    return "";
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
