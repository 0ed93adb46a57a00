import { createServer } from "node:net";

/**
 * Ports this process handed out lately. The OS may pick a port again as soon as its probe closes, so two
 * `freePort()` calls made before either caller binds (a node's API port, then another node's metrics port) could
 * return the same number: one listener then answers for the other, health checks included. Remembering the last
 * few thousand rules that out within one harness.
 */
const handedOut = new Set<number>();
const REMEMBERED = 4096;
const ATTEMPTS = 50;

function probe(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("freePort: no port assigned"))));
    });
  });
}

function remember(port: number): void {
  handedOut.add(port);
  if (handedOut.size > REMEMBERED) {
    const oldest = handedOut.values().next().value;
    if (oldest !== undefined) handedOut.delete(oldest);
  }
}

/**
 * A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it) and that this process has not handed out
 * lately. There is a small race between closing the probe and the caller binding it, against other processes;
 * the starters retry on "address in use".
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const port = await probe();
    if (!handedOut.has(port)) {
      remember(port);
      return port;
    }
  }
  throw new Error(`freePort: the OS offered only ports handed out already, ${ATTEMPTS} times in a row`);
}
