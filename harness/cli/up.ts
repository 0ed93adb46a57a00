import { createInterface } from "node:readline";
import { type Stack, startStack } from "../stack/index.ts";
import { UP_HELP } from "./help.ts";
import { type CliIo, say } from "./io.ts";
import { onLaunchersGone } from "./launchers.ts";
import { nodeView, runCommand } from "./up-commands.ts";
import { parseUpFlags, UsageError } from "./up-options.ts";

/**
 * `statebench up`: starts the stack, prints one JSON line, serves stdin commands, and on SIGINT/SIGTERM or
 * "stop" stops everything it started. A second signal while stopping kills at once.
 */
export async function runUp(argv: string[], io: CliIo): Promise<number> {
  let flags: ReturnType<typeof parseUpFlags>;
  try {
    flags = parseUpFlags(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    say(io.stderr, `statebench up: ${err.message}\nRun "statebench up --help" for the flags.`);
    return 2;
  }
  if (flags === "help") {
    io.stdout.write(UP_HELP);
    return 0;
  }

  let stack: Stack;
  try {
    stack = await startStack({
      ...flags,
      ...(io.registry ? { registry: io.registry } : {}),
      ...(io.root ? { root: io.root } : {}),
      warn: (m) => say(io.stderr, `statebench up: warning: ${m}`),
    });
  } catch (err) {
    say(io.stderr, `statebench up: ${(err as Error).message}`);
    return 1;
  }

  say(
    io.stdout,
    JSON.stringify({
      url: stack.url,
      app: stack.app,
      nodes: stack.nodes.map(nodeView),
      databaseUrl: stack.databaseUrl,
      redisUrl: stack.redisUrl,
      runDir: stack.runDir,
    }),
  );

  let requestStop: (reason: string) => void = () => {};
  const stopRequested = new Promise<string>((resolve) => {
    requestStop = resolve;
  });
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      say(io.stderr, `statebench up: ${sig} again, killing everything now`);
      process.exit(130);
    }
    requestStop(sig);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  // The command that launched us is gone (npx's npm was killed): the same graceful stop, not a second signal.
  onLaunchersGone((why) => requestStop(why));

  // Commands run one at a time, so answers come back in the order asked.
  const lines = createInterface({ input: io.stdin, terminal: false });
  let queue = Promise.resolve();
  lines.on("line", (line) => {
    if (line.trim() === "") return;
    queue = queue.then(async () => {
      const answer = await runCommand(stack, line);
      say(io.stdout, JSON.stringify(answer));
      if (answer.ok && answer.cmd === "stop") requestStop("stop");
    });
  });

  const reason = await stopRequested;
  lines.close();
  say(io.stderr, `statebench up: ${reason}, stopping`);
  await stack.stop();
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  onLaunchersGone(null);
  return 0;
}
