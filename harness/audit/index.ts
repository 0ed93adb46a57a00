/** The correctness audit: what clients were told, checked against what the database holds after a cold restart. */
export { type AuditInput, checkBookings, composeValidity, type DurableBooking } from "./checker.ts";
export { readDurableBookings } from "./durable.ts";
export { type AuditOptions, auditRun } from "./run.ts";
