import type { Hono } from "hono";
import type { Service } from "../service.ts";
import { eventIdParam, generatedIdParam } from "./params.ts";

/** `GET /events/{eventId}/bookings/{bookingId}`. */
export function bookingRoutes(app: Hono, svc: Service): void {
  app.get("/events/:eventId/bookings/:bookingId", async (c) => {
    const eventId = eventIdParam(c);
    return c.json(await svc.booking(eventId, generatedIdParam(c, "bookingId")));
  });
}
