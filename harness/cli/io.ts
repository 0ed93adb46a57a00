import type { Readable, Writable } from "node:stream";
import type { AppRegistry } from "../stack/index.ts";

/** Where a command reads and writes, and what it runs; tests replace parts of it. */
export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** App table for `up` (tests use a fake app). */
  registry?: AppRegistry;
  /** Project root the app entries are relative to. */
  root?: string;
}

/** The real process streams. */
export function processIo(): CliIo {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
}

/** Writes one line. */
export function say(stream: Writable, line: string): void {
  stream.write(`${line}\n`);
}
