import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";

/** How to get k6, for the error when it is missing (text only: nothing is downloaded). */
export const K6_INSTALL_HINT =
  "k6 not found: install it (https://grafana.com/docs/k6/latest/set-up/install-k6/ — Debian/Ubuntu: Grafana's apt " +
  "repository, then `apt-get install k6`; or the grafana/k6 Docker image; or `xk6 build` with no extensions) " +
  "or set K6_BIN to the k6 executable";

/** Thrown when no k6 executable can be found. */
export class K6NotFoundError extends Error {
  constructor(detail: string) {
    super(`${K6_INSTALL_HINT} (${detail})`);
    this.name = "K6NotFoundError";
  }
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The k6 executable to run: `explicit` (an option), else `K6_BIN`, else `k6` on `PATH`. Throws `K6NotFoundError`
 * with installation hints when there is none.
 */
export function findK6(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = explicit ?? env.K6_BIN;
  if (chosen) {
    if (executable(chosen)) return chosen;
    throw new K6NotFoundError(`${explicit ? "k6Bin" : "K6_BIN"}=${chosen} is not an executable file`);
  }
  const dirs = (env.PATH ?? "").split(delimiter).filter((d) => d !== "" && isAbsolute(d));
  for (const dir of dirs) {
    const candidate = join(dir, "k6");
    if (executable(candidate)) return candidate;
  }
  throw new K6NotFoundError(`no k6 in PATH=${env.PATH ?? ""}`);
}
