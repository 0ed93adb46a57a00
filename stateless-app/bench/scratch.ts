import { startFixture } from "../test/fixture.ts";

const f = await startFixture("queue");
try {
  await f.call("PUT", "/events/e1", { sections: [{ id: "A", seats: 200000 }] });
  await f.call("PUT", "/events/e2", { sections: [{ id: "A", seats: 1000 }] });
  for (const ev of ["e1", "e2"]) {
    for (let round = 0; round < 2; round++) {
      let t = performance.now();
      const holds: string[] = [];
      for (let i = 1; i <= 200; i++) {
        const r = await f.call("POST", `/events/${ev}/holds`, {
          seatId: `A-${i + round * 200}`,
          userId: "u",
          requestId: `r${i}-${round}`,
        });
        holds.push((r.json as { holdId: string }).holdId);
      }
      const th = (performance.now() - t) / 200;
      t = performance.now();
      for (const h of holds) await f.call("POST", `/events/${ev}/holds/${h}/confirm`);
      const tc = (performance.now() - t) / 200;
      t = performance.now();
      for (let i = 0; i < 200; i++) await f.rt.redis.ping();
      const tp = (performance.now() - t) / 200;
      console.log(ev, `hold ${th.toFixed(2)} ms, confirm ${tc.toFixed(2)} ms, ping ${tp.toFixed(2)} ms`);
    }
  }
} finally {
  await f.stop();
}
