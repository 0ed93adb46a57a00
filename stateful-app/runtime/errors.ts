/**
 * Errors the runtime gives to callers of `ask`. All are retriable from the client's point of view: the actor
 * was stopped (stale, shard moved, node shutting down) before its reply could be trusted.
 */

/** Another writer already appended this (persistence id, sequence number): this activation is stale. */
export class JournalConflictError extends Error {
  constructor(readonly persistenceId: string) {
    super(`journal conflict on ${persistenceId}: another writer appended first`);
    this.name = "JournalConflictError";
  }
}

/** The fencing check refused the append: the shard is owned elsewhere now. */
export class JournalFencedError extends Error {
  constructor(readonly shard: number) {
    super(`journal append fenced: shard ${shard} is owned elsewhere`);
    this.name = "JournalFencedError";
  }
}

/** The actor was deactivated (stale, shard lost, shutdown, failed recovery) before the message got an answer. */
export class ActorStoppedError extends Error {
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`actor ${key} stopped: ${reason}`);
    this.name = "ActorStoppedError";
  }
}

/** The actor's shard is not hosted on this node (moving or owned elsewhere). */
export class ShardNotLocalError extends Error {
  constructor(
    readonly shard: number,
    readonly retryAfterMs: number,
  ) {
    super(`shard ${shard} is not hosted on this node`);
    this.name = "ShardNotLocalError";
  }
}

/**
 * The actor's mailbox holds `ActorSystemOptions.mailboxMax` commands already: the message is refused before it
 * queues (admission control, answered with the overload 503 by the HTTP layer). Not `isRetriable`: the client
 * should back off (Retry-After), not retry at once.
 */
export class MailboxFullError extends Error {
  constructor(
    readonly key: string,
    readonly depth: number,
  ) {
    super(`actor ${key}: mailbox full (${depth} commands queued)`);
    this.name = "MailboxFullError";
  }
}

/** True for every runtime error after which a client may simply retry. */
export function isRetriable(err: unknown): boolean {
  return (
    err instanceof JournalConflictError ||
    err instanceof JournalFencedError ||
    err instanceof ActorStoppedError ||
    err instanceof ShardNotLocalError
  );
}
