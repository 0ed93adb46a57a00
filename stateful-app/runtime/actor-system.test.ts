import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { ActorBehavior } from "./actor.ts";
import { ActorSystem } from "./actor-system.ts";
import { ActorStoppedError, MailboxFullError, ShardNotLocalError } from "./errors.ts";
import type { AppendGuard, Journal, JournalRow } from "./journal.ts";
import { MemoryJournal } from "./memory-journal.ts";
import { LocalPlacement } from "./placement.ts";

type Cmd = { type: "add"; item: string } | { type: "get" } | { type: "later"; item: string; atMs: number };
type Evt = { item: string };

/** A list actor: `add` appends an item, `later` appends it from a timer, `get` reads the list. */
const listActor: ActorBehavior<string[], Cmd, Evt, string[] | number> = {
  kind: "list",
  initialState: () => [],
  applyEvent: (state, e) => {
    state.push(e.item);
    return state;
  },
  receive(ctx, cmd) {
    if (cmd.type === "add") {
      ctx.persist({ item: cmd.item });
      return ctx.state.length;
    }
    if (cmd.type === "later") {
      ctx.setTimer(`t-${cmd.item}`, cmd.atMs, { type: "add", item: cmd.item });
      return ctx.state.length;
    }
    return [...ctx.state];
  },
  snapshot: { every: 3, save: (s) => [...s], load: (d) => d as string[] },
};

/** A journal whose appends wait until `open()`: shows what callers see before the commit. */
class GatedJournal extends MemoryJournal {
  private gate: Promise<void> = new Promise(() => {});
  private release: () => void = () => {};
  appends = 0;
  constructor() {
    super();
    this.close_();
  }
  close_(): void {
    this.gate = new Promise((r) => {
      this.release = r;
    });
  }
  open(): void {
    this.release();
  }
  override async append(rows: JournalRow[], guard?: AppendGuard): Promise<void> {
    this.appends++;
    await this.gate;
    return super.append(rows, guard);
  }
}

const systems: ActorSystem[] = [];
function system(journal: Journal, opts: Partial<ConstructorParameters<typeof ActorSystem>[0]> = {}): ActorSystem {
  const s = new ActorSystem({ journal, placement: new LocalPlacement(8), ...opts }).register(listActor);
  systems.push(s);
  return s;
}
const tick = () => new Promise((r) => setImmediate(r));

afterEach(async () => {
  for (const s of systems.splice(0)) await s.close();
});

describe("actor runtime", () => {
  it("mailbox: commands run one at a time in arrival order, replies follow the commits", async () => {
    const journal = new MemoryJournal();
    const sys = system(journal);
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => sys.ask<number>("list", "a", { type: "add", item: String(i) })),
    );
    assert.deepEqual(
      replies,
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    assert.deepEqual(
      await sys.ask("list", "a", { type: "get" }),
      Array.from({ length: 50 }, (_, i) => String(i)),
    );
    // Everything queued during the activation went out as one turn: one append, one transaction.
    assert.equal(journal.stats().eventsWritten, 50);
    assert.equal(journal.stats().transactions, 1);
  });

  it("sync mode: no reply (not even a read) before the turn's events are committed", async () => {
    const journal = new GatedJournal();
    const sys = system(journal);
    let settled = 0;
    const add = sys.ask("list", "a", { type: "add", item: "x" }).then(() => settled++);
    const read = sys.ask("list", "a", { type: "get" }).then(() => settled++);
    for (let i = 0; i < 5; i++) await tick();
    assert.equal(journal.appends, 1);
    assert.equal(settled, 0, "replied before the commit");
    journal.open();
    await Promise.all([add, read]);
    assert.equal(settled, 2);
  });

  it("async mode: replies before the commit; flush() waits for the write-behind", async () => {
    const journal = new GatedJournal();
    const sys = system(journal, { mode: "async" });
    assert.equal(await sys.ask("list", "a", { type: "add", item: "x" }), 1);
    assert.equal(journal.stats().eventsWritten, 0, "not written yet");
    let flushed = false;
    const flush = sys.flush().then(() => {
      flushed = true;
    });
    await tick();
    assert.equal(flushed, false);
    journal.open();
    await flush;
    assert.equal(journal.stats().eventsWritten, 1);
  });

  it("timers deliver their command to the actor", async () => {
    const sys = system(new MemoryJournal());
    await sys.ask("list", "t", { type: "later", item: "fired", atMs: Date.now() + 20 });
    for (let i = 0; i < 200; i++) {
      const list = await sys.ask<string[]>("list", "t", { type: "get" });
      if (list.includes("fired")) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.fail("timer never fired");
  });

  it("passivation after idle, reactivation recovers from snapshot + journal", async () => {
    const journal = new MemoryJournal();
    const sys = system(journal, { idleMs: 20 });
    for (const item of ["a", "b", "c", "d"]) await sys.ask("list", "p", { type: "add", item });
    assert.ok(sys.isActive("list", "p"));
    for (let i = 0; i < 200 && sys.isActive("list", "p"); i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(sys.isActive("list", "p"), false, "not passivated");
    assert.equal(sys.stats().passivations, 1);
    assert.equal(journal.snapshots.get("list|p")?.seqNr, 3, "snapshot after 3 events");
    assert.deepEqual(await sys.ask("list", "p", { type: "get" }), ["a", "b", "c", "d"]);
    assert.equal(sys.stats().activations, 2);
  });

  it("an actor with a pending timer is not passivated", async () => {
    const sys = system(new MemoryJournal(), { idleMs: 10 });
    await sys.ask("list", "k", { type: "later", item: "x", atMs: Date.now() + 60_000 });
    await new Promise((r) => setTimeout(r, 60));
    assert.ok(sys.isActive("list", "k"));
  });

  it("journal conflict: the stale activation is deactivated and its caller gets a retriable error", async () => {
    const journal = new MemoryJournal();
    const one = system(journal);
    const two = system(journal);
    await one.ask("list", "c", { type: "get" });
    await two.ask("list", "c", { type: "get" });
    await one.ask("list", "c", { type: "add", item: "from-one" });
    await assert.rejects(two.ask("list", "c", { type: "add", item: "from-two" }), ActorStoppedError);
    assert.equal(two.isActive("list", "c"), false);
    assert.equal(two.stats().staleStops, 1);
    // The next message activates afresh from the journal: no divergence.
    assert.deepEqual(await two.ask("list", "c", { type: "get" }), ["from-one"]);
    assert.deepEqual(
      journal.events.get("list|c")?.map((e) => JSON.parse(e.json)),
      [{ item: "from-one" }],
    );
  });

  it("fresh hint: skips the recovery read; a wrong hint ends in a conflict, never in a wrong reply", async () => {
    const journal = new MemoryJournal();
    const writer = system(journal);
    await writer.ask("list", "f", { type: "add", item: "existing" });
    const sys = system(journal);
    await assert.rejects(sys.ask("list", "f", { type: "add", item: "x" }, { fresh: true }), ActorStoppedError);
    assert.equal(sys.stats().freshActivations, 1);
    // After the conflict the hint is ignored for that actor: recovered from the journal.
    assert.equal(await sys.ask("list", "f", { type: "add", item: "y" }, { fresh: true }), 2);
    assert.equal(sys.stats().freshActivations, 1);
    assert.equal(await sys.ask("list", "new", { type: "add", item: "z" }, { fresh: true }), 1);
    assert.equal(sys.stats().freshActivations, 2);
    assert.equal(journal.stats().recoveryQueries, 2, "writer's and the post-conflict recovery only");
  });

  it("fresh hint in async mode: no recovery read; a wrong hint's conflict stops the activation", async () => {
    const journal = new MemoryJournal();
    const writer = system(journal);
    await writer.ask("list", "f", { type: "add", item: "existing" });
    const sys = system(journal, { mode: "async" });
    // Write-behind answers before the append: the wrong hint's reply goes out (and is lost, as in a crash) ...
    assert.equal(await sys.ask("list", "f", { type: "add", item: "x" }, { fresh: true }), 1);
    await sys.flush();
    // ... the append meets the journal's key and the activation stops before it serves anything else.
    assert.equal(sys.isActive("list", "f"), false);
    assert.deepEqual(
      (({ freshActivations, freshConflicts, staleStops }) => ({ freshActivations, freshConflicts, staleStops }))(
        sys.stats(),
      ),
      { freshActivations: 1, freshConflicts: 1, staleStops: 1 },
    );
    // The next activation recovers from the journal (the hint is ignored from now on) and continues it.
    assert.equal(await sys.ask("list", "f", { type: "add", item: "y" }, { fresh: true }), 2);
    await sys.flush();
    assert.deepEqual(
      journal.events.get("list|f")?.map((e) => JSON.parse(e.json).item),
      ["existing", "y"],
    );
    // Right hints cost no recovery read: 20 new actors, 20 fresh activations, no query.
    const before = journal.stats().recoveryQueries;
    for (let i = 0; i < 20; i++) await sys.ask("list", `new-${i}`, { type: "add", item: "z" }, { fresh: true });
    await sys.flush();
    assert.equal(journal.stats().recoveryQueries, before);
    assert.equal(sys.stats().freshActivations, 21);
    assert.equal(journal.events.get("list|new-7")?.length, 1);
  });

  it("sync mode pipelines turns: the next turn runs while the previous append is in flight", async () => {
    const journal = new GatedJournal();
    const sys = system(journal);
    journal.open();
    await sys.ask("list", "q", { type: "add", item: "0" });
    journal.close_();
    const first = sys.ask("list", "q", { type: "add", item: "1" });
    await tick();
    const second = sys.ask("list", "q", { type: "add", item: "2" });
    await tick();
    assert.equal(journal.appends, 3, "the second turn appended without waiting for the first commit");
    journal.open();
    assert.deepEqual(await Promise.all([first, second]), [2, 3]);
    assert.deepEqual(await sys.ask("list", "q", { type: "get" }), ["0", "1", "2"]);
  });

  it("a failed append abandons the actor's later appends: no event is written behind a gap", async () => {
    const journal = new GatedJournal();
    journal.open();
    const owner = system(journal);
    const stale = system(journal);
    await stale.ask("list", "g", { type: "get" });
    await owner.ask("list", "g", { type: "add", item: "owner" });
    journal.close_();
    const a = stale.ask("list", "g", { type: "add", item: "stale-1" });
    await tick();
    const b = stale.ask("list", "g", { type: "add", item: "stale-2" });
    await tick();
    journal.open();
    await assert.rejects(a, ActorStoppedError);
    await assert.rejects(b, ActorStoppedError);
    await stale.flush();
    assert.deepEqual(
      journal.events.get("list|g")?.map((e) => JSON.parse(e.json).item),
      ["owner"],
    );
  });

  it("deactivateShard stops that shard's actors and fails their queued commands", async () => {
    const journal = new GatedJournal();
    journal.open();
    const sys = system(journal);
    await sys.ask("list", "s", { type: "add", item: "1" });
    const shard = new LocalPlacement(8).shardOf("list|s");
    journal.close_();
    const inFlight = sys.ask("list", "s", { type: "add", item: "2" });
    await tick();
    assert.equal(sys.deactivateShard(shard), 1);
    assert.equal(sys.isActive("list", "s"), false);
    // A command queued behind a recovery is refused when the shard goes.
    const queued = sys.ask("list", "t", { type: "get" });
    assert.equal(sys.deactivateShard(new LocalPlacement(8).shardOf("list|t")), 1);
    await assert.rejects(queued, ShardNotLocalError);
    journal.open();
    assert.equal(await inFlight, 2, "the turn handed to the journal still gets its reply after the commit");
  });

  it("mailbox bound: asks past mailboxMax fail at once with MailboxFullError, the queued ones are served", async () => {
    const sys = system(new MemoryJournal(), { mailboxMax: 3 });
    // A new activation recovers from the journal first (async): meanwhile every command queues.
    const asks = Array.from({ length: 6 }, (_, i) => sys.ask<number>("list", "m", { type: "add", item: String(i) }));
    const settled = await Promise.allSettled(asks);
    assert.deepEqual(
      settled.map((r) => r.status),
      ["fulfilled", "fulfilled", "fulfilled", "rejected", "rejected", "rejected"],
    );
    for (const r of settled) if (r.status === "rejected") assert.ok(r.reason instanceof MailboxFullError);
    assert.equal(sys.stats().mailboxFull, 3);
    assert.equal(await sys.ask("list", "m", { type: "add", item: "late" }), 4, "admitted again once drained");
  });
});
