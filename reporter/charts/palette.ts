/** Side colours, identical in every chart and in the verdict table (blue/orange stays readable for colour-blind readers). */
export const SIDE_COLORS = ["#2563eb", "#ea580c"] as const;
/** Lighter tints of the side colours, for secondary series (p50 under p99, errors under throughput). */
export const SIDE_TINTS = ["#93c5fd", "#fdba74"] as const;

/** Fault marker colours by action. */
export const FAULT_COLORS: Record<string, string> = {
  "kill-node": "#dc2626",
  "add-nodes": "#16a34a",
  "pause-node": "#d97706",
};

/** Infrastructure processes in the CPU charts: fixed, neutral colours so app processes stand out. */
export const INFRA_COLORS: Record<string, string> = {
  postgres: "#0f766e",
  redis: "#be123c",
  haproxy: "#7c3aed",
  driver: "#6b7280",
  // Other processes of the machine (harness/samplers/machine.ts), not part of the run.
  outside: "#a16207",
};

/** Shades of a side colour for its app processes (node-1, node-2, ...). */
export const APP_SHADES = [
  ["#1e3a8a", "#2563eb", "#60a5fa", "#1d4ed8", "#93c5fd", "#3b82f6"],
  ["#9a3412", "#ea580c", "#fb923c", "#c2410c", "#fdba74", "#f97316"],
] as const;

export const FONT_FAMILY = "DejaVu Sans, Helvetica, Arial, sans-serif";
