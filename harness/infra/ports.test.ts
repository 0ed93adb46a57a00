import assert from "node:assert/strict";
import { test } from "node:test";
import { freePort } from "./ports.ts";

test("freePort never hands out a port twice in a row of calls, though each probe is closed before the next", async () => {
  const ports = [];
  for (let i = 0; i < 300; i++) ports.push(await freePort());
  assert.equal(new Set(ports).size, ports.length);
  for (const port of ports) assert.ok(port > 0 && port < 65_536, `port ${port}`);
});
