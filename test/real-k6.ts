import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Where this machine keeps a real k6 (../shared/k6/k6 next to the checkout; see its README). */
export const SHARED_K6 = fileURLToPath(new URL("../../shared/k6/k6", import.meta.url));

/**
 * The real k6 the end-to-end tests run: K6_BIN, else the shared copy next to the checkout. `skip` is the reason
 * to give node:test when there is none (a skip must say why).
 */
export function realK6(env: NodeJS.ProcessEnv = process.env): { bin: string | null; skip: string | false } {
  if (env.K6_BIN) {
    return existsSync(env.K6_BIN)
      ? { bin: env.K6_BIN, skip: false }
      : { bin: null, skip: `K6_BIN=${env.K6_BIN} does not exist` };
  }
  if (existsSync(SHARED_K6)) return { bin: SHARED_K6, skip: false };
  return { bin: null, skip: `no real k6: K6_BIN is unset and ${SHARED_K6} does not exist` };
}
