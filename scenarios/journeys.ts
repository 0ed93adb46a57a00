import type { Journey } from "./types.ts";

/** The steady buyer mix of the cluster scenarios (node-kill, scale-out): a few browsers, most buyers confirm. */
export const STEADY_BUYERS: Journey = {
  browseOnly: 0.1,
  readAvailability: true,
  holdAttempts: 3,
  confirmRatio: 0.8,
  releaseRatio: 0.5,
  hotness: 0.8,
  thinkMs: 100,
};
