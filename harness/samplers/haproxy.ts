import type { Sample, Sampler } from "./types.ts";

/** Per-backend-server counters as the load balancer reports them (HAProxy `show stat`). */
export interface BalancerServerStat {
  server: string;
  /** Cumulative sessions (stot). */
  sessions: number;
  /** Cumulative connection + response errors (econ + eresp). */
  errors: number;
  /** Current sessions (scur). */
  current: number;
}

/** HAProxy load per backend server: sessions/s and errors/s (counters) and current sessions (gauge). */
export function haproxySampler(stats: () => Promise<BalancerServerStat[]>): Sampler {
  return {
    name: "haproxy",
    async sample(): Promise<Sample> {
      const counters: Record<string, number> = {};
      const gauges: Record<string, number> = {};
      let sessions = 0;
      let errors = 0;
      for (const s of await stats()) {
        counters[`lb.sessions.${s.server}`] = s.sessions;
        counters[`lb.errors.${s.server}`] = s.errors;
        gauges[`lb.current.${s.server}`] = s.current;
        sessions += s.sessions;
        errors += s.errors;
      }
      counters.lbSessions = sessions;
      counters.lbErrors = errors;
      return { counters, gauges };
    },
    async close() {},
  };
}
