import { mkdtempSync, readFileSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The given run folder (created if missing), or a fresh `statebench-*` folder under the OS temp dir. `owned` is
 * true for a fresh folder: whoever made it removes it on stop (a given folder belongs to the caller).
 */
export async function ensureRunDir(runDir?: string): Promise<{ dir: string; owned: boolean }> {
  if (runDir) {
    await mkdir(runDir, { recursive: true });
    return { dir: runDir, owned: false };
  }
  return { dir: mkdtempSync(join(tmpdir(), "statebench-")), owned: true };
}

/** Removes a folder this harness created (best effort: a leftover temp folder is not worth failing a stop). */
export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true }).catch(() => {});
}

/** The last `lines` lines of a log file, for error messages ("" when it cannot be read). */
export function logTail(file: string, lines = 30): string {
  try {
    const text = readFileSync(file, "utf8");
    return text
      .split("\n")
      .slice(-lines - 1)
      .join("\n")
      .trimEnd();
  } catch {
    return "";
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
