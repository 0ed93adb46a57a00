import { bookingHoldConfirm } from "./cases/booking-hold-confirm.ts";

const defers: Array<() => unknown> = [];
const run = await bookingHoldConfirm.setup({
  postgresUrl: async () => "",
  redisUrl: async () => "",
  defer: (f) => defers.push(f),
  track: () => {},
  quick: true,
});
for (const t of run.tasks) {
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    for (let i = 0; i < 5000; i++) {
      await t.beforeEach?.();
      await t.fn();
    }
    console.log(t.name, (((performance.now() - t0) / 5000) * 1000).toFixed(1), "µs/op");
  }
}
for (const f of defers.reverse()) await f();
