import { startFixture } from "../test/fixture.ts";

const f = await startFixture((process.env.MODE as "queue" | "sync") ?? "queue");
try {
  await f.call("PUT", "/events/e1", { sections: [{ id: "A", seats: 200000 }] });
  let seat = 0;
  const run = async (n: number) => {
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (seat < n) {
          const s = ++seat;
          const r = await f.call("POST", "/events/e1/holds", { seatId: `A-${s}`, userId: "u", requestId: `r${s}` });
          await f.call("POST", `/events/e1/holds/${(r.json as { holdId: string }).holdId}/confirm`);
        }
      }),
    );
  };
  await run(2000);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await run(12000);
  const c = process.cpuUsage(c0);
  console.log(
    `${((c.user + c.system) / 10000).toFixed(0)} µs CPU per hold+confirm, ${(10000 / ((performance.now() - t0) / 1000)).toFixed(0)}/s`,
  );
} finally {
  await f.stop();
}
