/**
 * The ticket-booking HTTP API that both apps implement: schemas (zod), types, ids, limits and errors.
 * The contract test suite lives in `contract/suite/` and takes a base URL.
 */
export * from "./errors.ts";
export * from "./fast-parse.ts";
export * from "./ids.ts";
export * from "./limits.ts";
export * from "./prometheus.ts";
export * from "./schemas.ts";
export * from "./validate.ts";
