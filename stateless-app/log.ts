import { pino } from "pino";

export type Logger = pino.Logger;

/** Structured JSON logs on stderr; "warn" by default so logging does not dominate a benchmark. */
export function createLogger(level: string, bindings: Record<string, string>): Logger {
  return pino({ level, base: bindings }, pino.destination(2));
}
