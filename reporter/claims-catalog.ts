/**
 * The claims of the seed articles statebench was started from (../shared/seeds), quoted verbatim, each with the
 * rule `claims.ts` applies to a run. Rules live in code, and their wording here is shown in the report so a reader
 * can check how a verdict was reached.
 */
export interface ClaimSource {
  /** Seed file(s) in ../shared/seeds. */
  seed: string;
  title: string;
  author: string;
}

export interface ClaimDef {
  id: ClaimId;
  /** One-line paraphrase used as the heading. */
  headline: string;
  /** Verbatim from the seed. */
  quote: string;
  source: ClaimSource;
  /** The rule in words (mirrors the code in claims.ts). */
  rule: string;
}

export type ClaimId =
  | "stateful-faster"
  | "async-persistence"
  | "insert-only-log"
  | "node-down-state-lost"
  | "shards-move"
  | "write-queue"
  | "stateless-failover"
  | "stateful-harder-to-scale";

const SUMEET: ClaimSource = {
  seed: "000 / 001",
  title: "Designing stateful system (2022)",
  author: "Sumeet More",
};
const MCKEE: ClaimSource = {
  seed: "002",
  title: "Design Techniques for Building Stateful, Cloud-Native Applications — Part 1",
  author: "Hugh McKee, Lightbend",
};
const FSE: ClaimSource = { seed: "003", title: "System Design: Stateful Architecture", author: "@fse_pro" };
const SHIVANG: ClaimSource = {
  seed: "004",
  title: "Managing user state in stateful services",
  author: "Shivang",
};

export const CLAIMS: ClaimDef[] = [
  {
    id: "stateful-faster",
    headline: "A stateful middle tier massively improves scalability and performance",
    quote:
      "Very important understanding here is our middle tier/API layer/system layer is stateful and due to this " +
      "property of the system — scalability and performance is massively improved.",
    source: SUMEET,
    rule:
      "Per scenario with both apps: supported when the stateful app is at least 2× better in p99 latency or in " +
      "CPU-seconds per 1,000 bookings, confirms at least as many bookings per second (5% tolerance) and did not " +
      "fail its audit. Supported only if every such scenario supports it. Scalability is judged separately " +
      "(horizontal-scaling claim).",
  },
  {
    id: "async-persistence",
    headline: "Persist actor state asynchronously",
    quote:
      "First request to come to virtual actor’s mailbox will alter the state of the virtual actor(i.e. " +
      "seat/ticket getting booked) and asynchronously system/runtime will persist state of the grain in DB.",
    source: SUMEET,
    rule:
      "Stateful runs with persistence=async in which a node was killed: contradicted if any acknowledged booking " +
      "was lost; supported if none was. Not measured without such a run (async without a kill does not test it).",
  },
  {
    id: "insert-only-log",
    headline: "An insert-only event log reduces database load and contention",
    quote:
      "The event log is also idempotent; events are insert only; there are no updates and no deletes. The insert " +
      "only approach reduces the load and contention of the persistence layer.",
    source: MCKEE,
    rule:
      "Per scenario with both apps: supported when the stateful (event-log) app needs fewer DB statements per " +
      "confirmed booking (beyond 5%) and not more commits per booking; every scenario must agree. Contention " +
      "(lock waits) is not sampled, so load stands for it.",
  },
  {
    id: "node-down-state-lost",
    headline: "If the node holding state goes down, the state is lost",
    quote:
      "This is primarily the issue with stateful services. If the node holding state goes down, the state is lost.",
    source: SHIVANG,
    rule:
      "Stateful runs in which a node was SIGKILLed and the audit decided: supported if any acknowledged booking " +
      "was lost; contradicted if none was (every acknowledged booking was readable after a cold restart).",
  },
  {
    id: "shards-move",
    headline: "Shards move to new nodes and actors restart on demand",
    quote:
      "When a shard is moved to another server, the old shard actor and its associated shopping cart actors are " +
      "stopped on the old server. Then on the new server new instances of the actors are started. Shopping cart " +
      "actors are started as needed.",
    source: MCKEE,
    rule:
      "Stateful runs in which nodes were added: supported when the audit passed (nothing lost, nothing sold twice) " +
      "and every added node did work (peak CPU ≥ 5%); contradicted if the audit failed or an added node stayed " +
      "idle. Added nodes are the node-N processes numbered above the starting node count.",
  },
  {
    id: "write-queue",
    headline: "A write queue reduces load on the database",
    quote: "We can even put queue here to reduce load on DB for write operations.",
    source: SUMEET,
    rule:
      "Needs the stateless app in the same scenario with writeMode=queue and writeMode=sync (e.g. two runs under " +
      "--compare): supported when the queue needs fewer DB commits per booking (beyond 5%) and not more statements " +
      "per booking, in every such pair; contradicted otherwise.",
  },
  {
    id: "stateless-failover",
    headline: "A stateless tier survives a lost server: the load balancer routes around it",
    quote:
      "When a server goes offline, as shown above, the load balancer detects this and routes traffic to the " +
      "remaining online servers.",
    source: MCKEE,
    rule:
      "Stateless runs in which a node was SIGKILLed: supported when the audit passed and the error rate over the " +
      "window stayed at or below 1%; contradicted otherwise.",
  },
  {
    id: "stateful-harder-to-scale",
    headline: "Stateful systems are harder to scale horizontally",
    quote:
      "Additionally, stateful systems can be harder to manage and scale horizontally compared to stateless " +
      "systems, which can distribute requests more easily across multiple servers.",
    source: FSE,
    rule:
      "Scenarios where nodes were added to both apps: throughput gain = mean requests/s from 5 s after the join to " +
      "the end ÷ mean requests/s from 5 s after the start to the join. Not measured when neither app gained more " +
      "than 5% (capacity did not bind). Supported when the stateful gain is more than 5% below the stateless gain; " +
      "contradicted otherwise.",
  },
];
