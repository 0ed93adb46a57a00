import type { Hono } from "hono";
import { CreateEventRequest, parseOrThrow, parseSeatsQuery } from "../../contract/index.ts";
import { readJson } from "../body.ts";
import type { Service } from "../service.ts";
import { eventIdParam } from "./params.ts";

const JSON_TYPE = { "content-type": "application/json" } as const;

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
    const query = parseSeatsQuery(c.req.query());
    return c.body(await svc.seatsJson(eventId, query), 200, JSON_TYPE);
  });
}
