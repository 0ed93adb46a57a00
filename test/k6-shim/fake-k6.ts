/**
 * A stand-in `k6` executable for tests (k6 cannot be installed here): `k6 run --out json=F --summary-export=S
 * script.js` loads the script under the shim, calls setup(), runs as many iterations of each k6 scenario as its
 * ramping-arrival-rate stages schedule (one after another, unpaced), and writes F in k6's `--out json` format
 * (gzip when F ends in .gz, as k6 does) and a minimal summary export. Requests go to the script's BASE_URL.
 * Run through fake-k6.sh, which a test puts on PATH as `k6`.
 */
import { writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import type { K6Options } from "../../scenarios/k6/options.js";
import { loadK6Script, runIterations, shim, startSyncHttp, toK6Ndjson } from "./index.ts";

const args = process.argv.slice(2);
const out = args[args.indexOf("--out") + 1]?.replace(/^json=/, "");
const summary = args.find((a) => a.startsWith("--summary-export="))?.slice("--summary-export=".length);
const script = args.at(-1);
if (args[0] !== "run" || !out || !summary || !script) {
  console.error(`fake k6: usage: k6 run --out json=FILE --summary-export=FILE script.js (got ${args.join(" ")})`);
  process.exit(2);
}

const ms = (d: string) => Number(/^(\d+(?:\.\d+)?)/.exec(d)?.[1]) * (d.endsWith("ms") ? 1 : 1000);
const http = await startSyncHttp({ serve: false });
shim.transport = http.request;
try {
  const loaded = await loadK6Script(script, process.env as Record<string, string>);
  loaded.setup?.();
  for (const [name, sc] of Object.entries((loaded.options as K6Options).scenarios)) {
    let from = sc.startRate;
    let area = 0;
    for (const st of sc.stages) {
      area += (((from + st.target) / 2) * ms(st.duration)) / ms(sc.timeUnit);
      from = st.target;
    }
    runIterations(loaded, name, Math.round(area), Date.now());
  }
  const text = `${toK6Ndjson(shim.samples).join("\n")}\n`;
  writeFileSync(out, out.endsWith(".gz") ? gzipSync(text) : text);
  const reqs = shim.samples.filter((s) => s.metric === "http_reqs").length;
  writeFileSync(summary, JSON.stringify({ metrics: { http_reqs: { count: reqs, rate: 0 } } }));
  console.log(`fake k6: ${reqs} requests`);
} finally {
  await http.close();
}
