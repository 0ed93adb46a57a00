import { Health } from "../../schemas.ts";
import { freshId } from "../api.ts";
import type { Method } from "../client.ts";
import type { SuiteContext } from "../context.ts";
import { expectError, expectOk } from "../expect.ts";

/** `GET /health` and everything that is not a route. */
export function routeCases({ api, test }: SuiteContext): void {
  test("GET /health: 200 { status: ok, app, node }", async () => {
    expectOk(await api.client.send("GET", "/health"), 200, Health);
  });

  test("unknown routes and methods: 404 not_found in the error shape", async () => {
    const eventId = await api.createEvent();
    const hold = await api.holdOk(eventId, "A-1");
    const unknown: Array<[Method, string]> = [
      ["GET", "/"],
      ["GET", "/nope"],
      ["GET", "/events"],
      ["POST", "/events"],
      ["POST", `/events/${eventId}`],
      ["DELETE", `/events/${eventId}`],
      ["PATCH", `/events/${eventId}`],
      ["GET", `/events/${eventId}/holds`],
      ["GET", `/events/${eventId}/holds/${hold.holdId}`],
      ["PUT", `/events/${eventId}/holds/${hold.holdId}/confirm`],
      ["GET", `/events/${eventId}/bookings`],
      ["POST", `/events/${eventId}/seats`],
      ["GET", `/events/${freshId("ev")}/tickets`],
      ["GET", "/health/extra"],
    ];
    for (const [method, path] of unknown) expectError(await api.client.send(method, path), "not_found");
    await api.expectCounts(eventId, { available: 9, held: 1, sold: 0 });
  });
}
