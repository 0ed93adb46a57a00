// The baseline of bench/app-cpu.ts: a Hono hello-world on @hono/node-server that serves the booking mix's routes
// (section listing, hold, confirm, plus event creation and /health) with canned bodies of the sizes the real apps
// answer. It reads request bodies (a server must consume them) but neither parses nor validates anything: what
// it costs per request is the framework, the HTTP parser and the sockets. Bench-only code, not an app under test.
//   PORT=3000 HOST=127.0.0.1 node --import tsx bench/app-cpu/hello-app.ts
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { cannedBodies } from "./canned.ts";

const canned = cannedBodies();
const JSON_TYPE = { "content-type": "application/json" };
const app = new Hono();

app.get("/health", (c) => c.body(canned.health, 200, JSON_TYPE));
app.put("/events/:eventId", async (c) => {
  await c.req.text();
  return c.body(canned.created, 201, JSON_TYPE);
});
app.get("/events/:eventId/seats", (c) => c.body(canned.listing, 200, JSON_TYPE));
app.post("/events/:eventId/holds", async (c) => {
  await c.req.text();
  return c.body(canned.hold, 201, JSON_TYPE);
});
app.post("/events/:eventId/holds/:holdId/confirm", async (c) => {
  await c.req.text();
  return c.body(canned.booking, 200, JSON_TYPE);
});

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000), hostname: process.env.HOST });
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
  });
}
