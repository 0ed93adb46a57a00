/** HTTP routes, one file per resource. */
export { bookingRoutes } from "./bookings.ts";
export { eventRoutes } from "./events.ts";
export { healthRoutes } from "./health.ts";
export { holdRoutes } from "./holds.ts";
