import type { Hono } from "hono";
import { parseConfirmRequest, parseHoldRequest } from "../../contract/index.ts";
import { readJson } from "../body.ts";
import type { Service } from "../service.ts";
import { eventIdParam, generatedIdParam } from "./params.ts";

/** `POST /events/{eventId}/holds`, `POST .../holds/{holdId}/confirm`, `DELETE .../holds/{holdId}`. */
export function holdRoutes(app: Hono, svc: Service): void {
  app.post("/events/:eventId/holds", async (c) => {
    const eventId = eventIdParam(c);
    const body = parseHoldRequest(await readJson(c));
    return c.json(await svc.hold(eventId, body), 201);
  });

  app.post("/events/:eventId/holds/:holdId/confirm", async (c) => {
    const eventId = eventIdParam(c);
    const id = generatedIdParam(c, "holdId");
    const body = await readJson(c, true);
    // The optional body only carries a request id; confirm is idempotent by hold, so it is validated, not used.
    if (body !== undefined) parseConfirmRequest(body);
    return c.json(await svc.confirm(eventId, id));
  });

  app.delete("/events/:eventId/holds/:holdId", async (c) => {
    const eventId = eventIdParam(c);
    await svc.release(eventId, generatedIdParam(c, "holdId"));
    return c.body(null, 204);
  });
}
