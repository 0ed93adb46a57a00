import assert from "node:assert/strict";
import { it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { GroupCommit } from "./group-commit.ts";

/** A writer that records when each batch started and how big it was; each write takes `ms`. */
function recorder(ms: number) {
  const batches: Array<{ at: number; size: number }> = [];
  const write = async (items: number[]) => {
    batches.push({ at: performance.now(), size: items.length });
    await sleep(ms);
    return items.map(() => undefined);
  };
  return { batches, write };
}

it("spacingMs: back-to-back batches start at least spacingMs apart and gather what queued meanwhile", async () => {
  const { batches, write } = recorder(1);
  const gc = new GroupCommit<number>({ write, spacingMs: 30 });
  const t0 = performance.now();
  const all: Promise<void>[] = [gc.submit(0)];
  // Items keep coming every 2 ms for 100 ms: without spacing each would get its own ~1 ms transaction.
  for (let i = 1; i <= 50; i++) {
    await sleep(2);
    all.push(gc.submit(i));
  }
  await Promise.all(all);
  assert.ok((batches[0]?.at ?? Infinity) - t0 < 15, "the first item after a quiet period goes out at once");
  for (let i = 1; i < batches.length; i++) {
    const gap = (batches[i]?.at ?? 0) - (batches[i - 1]?.at ?? 0);
    // Timers have millisecond granularity and may fire up to 1 ms before performance.now() says.
    assert.ok(gap >= 28, `batch ${i} started ${gap.toFixed(1)} ms after the previous one`);
  }
  assert.ok(batches.length <= 8, `${batches.length} batches for 51 items over ~100 ms`);
  assert.equal(
    batches.reduce((n, b) => n + b.size, 0),
    51,
  );
});

it("without spacingMs a batch follows the previous one on the next event-loop turn", async () => {
  const { batches, write } = recorder(1);
  const gc = new GroupCommit<number>({ write });
  const all: Promise<void>[] = [];
  for (let i = 0; i < 20; i++) {
    all.push(gc.submit(i));
    await sleep(2);
  }
  await Promise.all(all);
  assert.ok(batches.length >= 8, `${batches.length} batches`);
});
