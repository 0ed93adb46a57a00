/**
 * Runs the contract suite against the reference app with the bugs named in `CONTRACT_BUGS` (comma-separated) and
 * the skip list in `CONTRACT_SKIP` (JSON, as `runContractSuite`'s `skip`).
 * Started by `contract/suite.test.ts` as `node --import tsx --test contract/suite/reference-target.ts`; not a
 * `*.test.ts` itself, so the test runner does not pick it up on its own.
 */
import { after, before } from "node:test";
import { runContractSuite } from "./index.ts";
import { BUGS, type Bug, startReferenceServer } from "./reference-app.ts";

const bugs = new Set<Bug>();
for (const name of (process.env.CONTRACT_BUGS ?? "").split(",").filter(Boolean)) {
  if (!(BUGS as readonly string[]).includes(name)) throw new Error(`unknown bug ${name}; known: ${BUGS.join(", ")}`);
  bugs.add(name as Bug);
}

let server: Awaited<ReturnType<typeof startReferenceServer>> | undefined;
before(async () => {
  server = await startReferenceServer(bugs);
});
after(() => server?.close());
runContractSuite({
  name: `reference app, bugs: ${[...bugs].join(", ") || "none"}`,
  baseUrl: () => server?.url ?? "http://server-not-started",
  availabilityStalenessMs: 0,
  skip: JSON.parse(process.env.CONTRACT_SKIP ?? "[]"),
});
