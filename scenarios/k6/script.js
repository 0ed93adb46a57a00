// statebench's user journey on real k6 (v0.48 through 1.x): plain k6 JavaScript, no TypeScript, no experimental
// modules. The scenario is the same data the embedded driver reads (scenarios/types.ts), and the journey is the
// same state machine (scenarios/journey-logic.js): only the HTTP calls and the recording are k6's.
//
//   SCENARIO_FILE=/abs/flash-sale.json BASE_URL=http://127.0.0.1:8080 EVENT_ID=e1 \
//     k6 run --out json=points.ndjson.gz --summary-export=summary-export.json scenarios/k6/script.js
//
// Environment: SCENARIO_FILE (required, scenario JSON), BASE_URL, EVENT_ID and WARMUP_EVENT_ID (default
// EVENT_ID-warmup: warm-up traffic gets its own event, as in the embedded driver; both must exist, created by
// the harness or compose's prepare step: setup only checks), PHASE ("all" = warm-up then measured, default;
// "warmup" or "measure" = that phase alone, as the harness runs it), RUN_SEED (journey seeds, default 1),
// REQUEST_TIMEOUT_MS (default 10000, the embedded driver's), STATEBENCH_MAX_VUS / STATEBENCH_PREALLOCATED_VUS (VU
// caps), STATEBENCH_BEACON (a URL setup() calls when the load is about to start; the harness aligns faults on it).
//
// Acknowledgement log: every hold/confirm/release answer is one sample of the `ack` Counter, tagged with the
// low-cardinality op/type/status and carrying seat, user, hold and booking ids as sample *metadata*
// (`exec.vu.metrics.metadata`, k6 >= 0.45), which `--out json` writes on the point and which is not indexed as a
// time series. As tags, one series per seat and user would grow k6's memory with every journey and trip its
// high-cardinality warning; console.log lines would work too but go to stderr, interleaved with k6's own logs,
// and would need a second file and clock. Metadata keeps acks in the same stream, with k6's own timestamps.
import { check, fail, sleep } from "k6";
import exec from "k6/execution";
import http from "k6/http";
import { Counter, Gauge, Rate } from "k6/metrics";
import { ackRecord, createJourney, isError, mixSeed } from "../journey-logic.js";
import { k6Options, MEASURED, WARMUP } from "./options.js";

if (!__ENV.SCENARIO_FILE) throw new Error("SCENARIO_FILE is not set: the path of the scenario JSON to run");
const scenario = JSON.parse(open(__ENV.SCENARIO_FILE));
const BASE_URL = (__ENV.BASE_URL || "http://127.0.0.1:8080").replace(/\/+$/, "");
const EVENT_ID = __ENV.EVENT_ID || scenario.name;
const WARMUP_EVENT_ID = __ENV.WARMUP_EVENT_ID || `${EVENT_ID}-warmup`;
const RUN_SEED = Number(__ENV.RUN_SEED || 1);
const TIMEOUT_MS = Number(__ENV.REQUEST_TIMEOUT_MS || 10000);

export const options = k6Options(
  scenario,
  {
    maxVUs: Number(__ENV.STATEBENCH_MAX_VUS || 0),
    preAllocatedVUs: Number(__ENV.STATEBENCH_PREALLOCATED_VUS || 0),
    timeoutMs: TIMEOUT_MS,
  },
  __ENV.PHASE || "all",
);

// Journey-level metrics (per-request latency and status are k6's own http_req_* samples, tagged name=<endpoint>).
const errors = new Rate("errors");
const holdsOk = new Counter("holds_ok");
const holdsConflict = new Counter("holds_conflict");
const confirmsOk = new Counter("confirms_ok");
const confirmsExpired = new Counter("confirms_expired");
const releasesOk = new Counter("releases_ok");
const journeysStarted = new Counter("journeys_started");
const journeysCapped = new Counter("journeys_capped");
const journeys = new Counter("journeys");
const errorCodes = new Counter("error_codes");
const ack = new Counter("ack");
const windowStart = new Gauge("window_start");

// 2xx plus the answers a flash sale expects (409 taken, 410 expired) do not count in http_req_failed.
http.setResponseCallback(http.expectedStatuses({ min: 200, max: 299 }, 409, 410));

const HEADERS = { "content-type": "application/json" };
// Per VU: the scenario it last emitted a window_start sample for (k6 reuses VUs across sequential scenarios).
let windowMarkedFor = "";

export function setup() {
  const events = [];
  if (options.scenarios[MEASURED]) events.push(EVENT_ID);
  if (options.scenarios[WARMUP]) events.push(WARMUP_EVENT_ID);
  for (const id of events) {
    const res = http.get(`${BASE_URL}/events/${encodeURIComponent(id)}`, { tags: { name: "setup" } });
    if (res.status !== 200) fail(`GET ${BASE_URL}/events/${id} answered ${res.status}: create the event first`);
  }
  if (__ENV.STATEBENCH_BEACON) http.get(__ENV.STATEBENCH_BEACON, { tags: { name: "beacon" } });
}

function parseBody(res) {
  if (!res.body || typeof res.body !== "string") return null;
  try {
    return JSON.parse(res.body);
  } catch (_) {
    return null;
  }
}

function recordAck(step, status, body) {
  const rec = ackRecord(step, status, body, 0);
  if (!rec) return;
  const meta = exec.vu.metrics.metadata;
  meta.seat = rec.seatId || "";
  meta.user = rec.userId;
  if (rec.holdId) meta.hold = rec.holdId;
  if (rec.bookingId) meta.booking = rec.bookingId;
  try {
    ack.add(1, { op: rec.op, type: rec.type, status: String(status) });
  } finally {
    // Metadata sticks to every later sample of this VU until deleted.
    delete meta.seat;
    delete meta.user;
    delete meta.hold;
    delete meta.booking;
  }
}

function countOutcome(step, status) {
  if (step.op === "hold") {
    if (status === 201) holdsOk.add(1);
    else if (status === 409) holdsConflict.add(1);
  } else if (step.op === "confirm") {
    if (status === 200) confirmsOk.add(1);
    else if (status === 410) confirmsExpired.add(1);
  } else if (step.op === "release" && status === 204) {
    releasesOk.add(1);
  }
}

// k6 error codes (k6 docs, "Error codes") as the embedded driver names a missing answer.
function noAnswerCode(k6Code) {
  if (k6Code === 1050 || k6Code === 1211) return "timeout";
  if (k6Code === 1212) return "connection_refused";
  if (k6Code === 1201 || k6Code === 1220) return "connection_reset";
  return "network_error";
}

// An unexpected answer's code as the embedded driver counts it: the API's error code, else http_<status>.
function errorCode(status, body, res) {
  if (status === 0) return noAnswerCode(res.error_code);
  // biome-ignore lint/complexity/useOptionalChain: the syntax journey-logic.js keeps to for older k6 (no ?. or ??)
  if (body && body.error && typeof body.error.code === "string") return body.error.code;
  return `http_${status}`;
}

/** Sends one step of the journey and returns the answer as the state machine wants it. */
function send(step) {
  const params = { headers: HEADERS, tags: { name: step.endpoint }, timeout: `${TIMEOUT_MS}ms` };
  const res = http.request(step.method, BASE_URL + step.path, step.body, params);
  const status = res.status || 0;
  const body = parseBody(res);
  const bad = isError(status);
  errors.add(bad);
  if (bad) errorCodes.add(1, { name: step.endpoint, code: errorCode(status, body, res) });
  check(res, { [`${step.endpoint} answered`]: () => !isError(status) });
  countOutcome(step, status);
  recordAck(step, status, body);
  return { status: status, body: body };
}

export default function () {
  const name = exec.scenario.name;
  const index = exec.scenario.iterationInTest;
  if (windowMarkedFor !== name) {
    // Epoch ms of this scenario's start: the origin of the per-second series and of ack times.
    windowStart.add(exec.scenario.startTime);
    windowMarkedFor = name;
  }
  // The load is bounded in count as well as time, as in the embedded driver.
  if (index >= scenario.arrival.maxJourneys) {
    journeysCapped.add(1);
    return;
  }
  journeysStarted.add(1);
  const warm = name === WARMUP;
  const journey = createJourney({
    eventId: warm ? WARMUP_EVENT_ID : EVENT_ID,
    sections: scenario.event.sections,
    journey: scenario.journey,
    // The embedded driver's user ids (w<seed base 36>-i, m...): unique per phase, and the same journey i makes
    // the same choices with either driver.
    userId: `${warm ? "w" : "m"}${RUN_SEED.toString(36)}-${index}`,
    seed: mixSeed(RUN_SEED, index),
  });
  let step = journey.next();
  while (step) {
    if (step.thinkMs > 0) sleep(step.thinkMs / 1000);
    step = journey.next(send(step));
  }
  journeys.add(1, { outcome: journey.outcome || "unknown" });
}
