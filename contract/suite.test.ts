// The contract suite checks itself: it passes against the reference app, and it fails, on the right cases, against
// the reference app with each injected bug (run in a child process so those failures do not fail this file).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { runContractSuite } from "./suite/index.ts";
import { BUGS, type Bug, startReferenceServer } from "./suite/reference-app.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const target = fileURLToPath(new URL("./suite/reference-target.ts", import.meta.url));

let server: Awaited<ReturnType<typeof startReferenceServer>> | undefined;
before(async () => {
  server = await startReferenceServer();
});
after(() => server?.close());

runContractSuite({
  name: "reference app",
  baseUrl: () => server?.url ?? "http://server-not-started",
  availabilityStalenessMs: 0,
});

/** Cases that must fail for each bug (others may fail too). */
const mustFail: Record<Bug, string[]> = {
  "double-hold": [
    "POST hold on a seat held by another user: 409 seat_unavailable",
    "POST hold on a sold seat: 409 seat_unavailable",
    "200 concurrent holds on one seat: exactly one 201, the rest 409 seat_unavailable",
  ],
  "hold-race": [
    "200 concurrent holds on one seat: exactly one 201, the rest 409 seat_unavailable",
    "50 concurrent retries of one hold request: all 201 with the same hold",
  ],
  "idempotency-ignored": [
    "POST hold retried with the same requestId: the same 201 answer, one hold",
    "POST hold retried after confirm: the same answer, the seat stays sold",
    "POST hold retried after release: the same answer, the seat is not held again",
    "50 concurrent retries of one hold request: all 201 with the same hold",
  ],
  "error-shape": [
    "unknown routes and methods: 404 not_found in the error shape",
    "GET event: 404 not_found naming eventId when it does not exist",
    "PUT event with a bad body: 400 invalid_request naming the field, nothing created",
    "POST hold on a seat held by another user: 409 seat_unavailable",
    "POST confirm after release: 410 hold_expired, nothing sold",
  ],
  "malformed-json-500": ["malformed JSON: 400 invalid_request naming body, never 500"],
  "no-expiry": [
    "hold expiry: the seat becomes available again, a retry of the request does not hold it again",
    "hold expiry: POST confirm after expiresAt: 410 hold_expired, nothing sold",
  ],
  "release-frees-seat": [
    "DELETE hold twice: 204 both times, a later hold of the seat is untouched",
    "hold expiry: releasing or confirming an expired hold leaves the next user's hold alone",
  ],
  "header-only-body-limit": ["bodies over 64 KiB: 413 payload_too_large (also chunked), exactly 64 KiB is accepted"],
  "writes-only-body-limit": ["bodies over 64 KiB on GET and DELETE routes: 413 payload_too_large, nothing released"],
  "any-content-type": [
    "a body sent as anything but JSON: 415 unsupported_media_type naming content-type, nothing written",
  ],
};

const HEALTH = "GET /health: 200 { status: ok, app, node }";
const SKIP_CHECK = "skip list names only cases of the suite";
const exactly = (name: string) => `^${name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`;

/**
 * Runs the named cases of the suite (plus the health case, as proof the suite ran at all) against the reference
 * app in a child `node --test`; returns its exit code and TAP output. Only those cases run, to keep this file fast:
 * the in-process run above shows they pass without the bug.
 */
function runChild(
  cases: string[],
  opts: { bugs?: Bug[]; skip?: Array<{ test: string; reason: string }> } = {},
): Promise<{ code: number | null; tap: string }> {
  // NODE_TEST_CONTEXT would make the child report to this runner instead of printing TAP.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const patterns = [HEALTH, ...cases].map((name) => `--test-name-pattern=${exactly(name)}`);
  const child = spawn(process.execPath, ["--import", "tsx", "--test", "--test-reporter=tap", ...patterns, target], {
    cwd: root,
    env: { ...env, CONTRACT_BUGS: (opts.bugs ?? []).join(","), CONTRACT_SKIP: JSON.stringify(opts.skip ?? []) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let tap = "";
  child.stdout.on("data", (chunk: Buffer) => {
    tap += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    tap += chunk.toString();
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, tap });
    });
  });
}

/** Names of the cases and suites the TAP output reports as passed (not skipped), or as failed. */
function reported(tap: string, status: "passed" | "failed"): Set<string> {
  const names = new Set<string>();
  for (const m of tap.matchAll(/^\s*(ok|not ok) \d+ - (.+)$/gm)) {
    const [, verdict, name = ""] = m;
    if (status === "failed" && verdict === "not ok") names.add(name);
    if (status === "passed" && verdict === "ok" && !name.includes(" # SKIP")) names.add(name);
  }
  return names;
}

describe("the contract suite fails against a wrong implementation", { concurrency: 2 }, () => {
  it("every injected bug has expected failures listed", () => {
    assert.deepEqual(Object.keys(mustFail).sort(), [...BUGS].sort());
  });

  it("a skip list skips the named case with its reason and fails on a name that matches no case", async () => {
    const skipped = "PUT event: holdTtlMs defaults to 600000";
    const { code, tap } = await runChild([skipped, SKIP_CHECK], {
      skip: [
        { test: skipped, reason: "shows skips work" },
        { test: "no such case", reason: "a typo" },
      ],
    });
    assert.notEqual(code, 0);
    assert.match(tap, /^\s*ok \d+ - PUT event: holdTtlMs defaults to 600000 # SKIP shows skips work$/m);
    const failedCases = [...reported(tap, "failed")].filter((name) => !name.startsWith("contract:"));
    assert.deepEqual(failedCases, [SKIP_CHECK], tap.slice(-2_000));
  });

  for (const bug of BUGS) {
    it(`bug ${bug}: the suite exits non-zero and reports the cases it breaks`, async () => {
      const { code, tap } = await runChild(mustFail[bug], { bugs: [bug] });
      assert.notEqual(code, 0, `the suite passed against bug ${bug}:\n${tap.slice(-2_000)}`);
      assert.ok(reported(tap, "passed").has(HEALTH), `the suite did not run:\n${tap.slice(-2_000)}`);
      const failed = reported(tap, "failed");
      const missed = mustFail[bug].filter((name) => !failed.has(name));
      assert.deepEqual(missed, [], `cases that should fail with bug ${bug} but did not:\n${tap.slice(-3_000)}`);
    });
  }
});
