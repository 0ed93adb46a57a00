import type { Hono } from "hono";
import { CreateEventRequest, parseOrThrow, SeatsQuery } from "../../contract/index.ts";
import { readJson } from "../body.ts";
import type { Service } from "../service.ts";
import { eventIdParam } from "./params.ts";

/** `PUT /events/{eventId}`, `GET /events/{eventId}`, `GET /events/{eventId}/seats`. */
export function eventRoutes(app: Hono, svc: Service): void {
  app.put("/events/:eventId", async (c) => {
    const eventId = eventIdParam(c);
    const body = parseOrThrow(CreateEventRequest, await readJson(c));
    const { status, layout } = await svc.putEvent(eventId, body);
    return c.json(layout, status);
  });

  app.get("/events/:eventId", async (c) => c.json(await svc.summary(eventIdParam(c))));

  app.get("/events/:eventId/seats", async (c) => {
    const eventId = eventIdParam(c);
    const query = parseOrThrow(SeatsQuery, c.req.query(), "query");
    return c.json(await svc.seats(eventId, query));
  });
}
