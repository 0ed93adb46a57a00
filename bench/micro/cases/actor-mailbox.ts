import { type ActorBehavior, ActorSystem, LocalPlacement, MemoryJournal } from "../../../stateful-app/runtime/index.ts";
import type { MicroCase } from "../case.ts";

type Cmd = { t: "ping" } | { t: "add" };
type Evt = { t: "added" };

/** A counter actor: `ping` only reads (no event), `add` persists one event. */
const counter: ActorBehavior<{ n: number }, Cmd, Evt, number> = {
  kind: "micro",
  initialState: () => ({ n: 0 }),
  applyEvent: (state) => {
    state.n++;
    return state;
  },
  receive(ctx, cmd) {
    if (cmd.t === "add") ctx.persist({ t: "added" });
    return ctx.state.n;
  },
};

// Persisting tasks rotate over many actors: MemoryJournal scans and sorts an actor's whole log on every append
// (it is built for tests), which would otherwise turn into the cost measured.
const ACTORS = 1_024;
const IN_FLIGHT = 64;

/**
 * The stateful app's per-message cost without a database: mailbox, turn, reply promise; with an event, the
 * journal's group-commit hop; a fresh activation (recovery from an empty journal), as every seat of a flash sale
 * needs once; and many asks queued on one actor, which one turn (one append) answers.
 */
export const actorMailbox: MicroCase = {
  id: "actor-mailbox",
  about: "stateful-app/runtime ActorSystem.ask round trips on a MemoryJournal (no PostgreSQL)",
  async setup(env) {
    const open = async () => {
      const system = new ActorSystem({ journal: new MemoryJournal(), placement: new LocalPlacement(128) });
      system.register(counter);
      env.defer(() => system.close());
      // Activate everything up front: the round-trip tasks must not pay for activations.
      await Promise.all(Array.from({ length: ACTORS }, (_, i) => system.ask("micro", `a${i}`, { t: "ping" })));
      return system;
    };
    // A second system for the in-flight task, so its facts show how many asks one turn answered.
    const system = await open();
    const batched = await open();
    let next = 0;
    let fresh = 0;
    const expectNumber = (v: unknown) => {
      if (typeof v !== "number") throw new Error(`unexpected reply ${JSON.stringify(v)}`);
    };
    return {
      tasks: [
        {
          name: "ask -> reply (no event)",
          fn: async () => expectNumber(await system.ask("micro", "a0", { t: "ping" })),
        },
        {
          name: "ask -> persist -> reply",
          fn: async () => expectNumber(await system.ask("micro", `a${next++ % ACTORS}`, { t: "add" })),
        },
        {
          name: "activation + first ask",
          fn: async () => expectNumber(await system.ask("micro", `fresh${fresh++}`, { t: "ping" })),
        },
        {
          name: `${IN_FLIGHT} asks in flight, one actor, persist`,
          items: { count: IN_FLIGHT, unit: "ask" },
          fn: async () => {
            const id = `a${next++ % ACTORS}`;
            await Promise.all(Array.from({ length: IN_FLIGHT }, () => batched.ask("micro", id, { t: "add" })));
          },
        },
      ],
      facts: () => ({ oneAtATime: runtimeFacts(system), inFlight: runtimeFacts(batched) }),
    };
  },
};

function runtimeFacts(system: ActorSystem) {
  const s = system.stats();
  const ratio = (a: number, b: number) => Number((a / Math.max(1, b)).toFixed(2));
  return {
    messages: s.messages,
    messagesPerTurn: ratio(s.messages, s.turns),
    activations: s.activations,
    journalTransactions: s.journal.transactions,
    eventsPerTransaction: ratio(s.journal.eventsWritten, s.journal.transactions),
  };
}
