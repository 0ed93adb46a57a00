/**
 * What domain code writes: an event-sourced actor behaviour (Akka Persistence style: command -> events -> state),
 * run by the runtime one turn at a time (Orleans style: no locks in domain code).
 */

/** The services one actor sees during a turn. */
export interface ActorContext<S, C, E> {
  /** The actor's id within its kind. */
  readonly id: string;
  /** `kind|id`: the registry key, the persistence id and the input of `shardOf`. */
  readonly key: string;
  readonly shard: number;
  /** The current state, including events persisted earlier in this turn. */
  readonly state: S;
  /**
   * Records an event: it is applied to the state at once (later commands of the same turn see it) and written to
   * the journal at the end of the turn. Replies of the turn are released only after the commit (sync mode).
   */
  persist(event: E): void;
  /** Delivers `command` to this actor at `dueAtMs` (epoch ms), replacing a timer of the same name. */
  setTimer(name: string, dueAtMs: number, command: C): void;
  cancelTimer(name: string): void;
}

/** A kind of actor. `receive` and `applyEvent` must be synchronous and deterministic given the state. */
export interface ActorBehavior<S, C, E, R = unknown> {
  readonly kind: string;
  initialState(id: string): S;
  /** Folds one event into the state (may mutate it); used both live and on recovery. */
  applyEvent(state: S, event: E): S;
  /**
   * Handles one command and returns the reply, or throws an error to reject it. Persist before deciding to throw,
   * never after: what was persisted stays persisted.
   */
  receive(ctx: ActorContext<S, C, E>, command: C): R;
  /** After recovery, before the first command: re-arm timers from the recovered state. */
  onRecovered?(ctx: ActorContext<S, C, E>): void;
  /**
   * Events become visible to readers: after their commit in `sync` mode, as soon as they are persisted in
   * `async` mode. Read models (counters, indexes) update here.
   */
  onVisible?(key: string, firstSeqNr: number, events: readonly E[]): void;
  /** Snapshot every `every` events; `save` must return plain JSON data that `load` turns back into a state. */
  snapshot?: { every: number; save(state: S): unknown; load(data: unknown): S };
}

/** The registry key and persistence id of an actor. */
export function actorKey(kind: string, id: string): string {
  return `${kind}|${id}`;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds behaviours of every state, command and event type
export type AnyBehavior = ActorBehavior<any, any, any, any>;
