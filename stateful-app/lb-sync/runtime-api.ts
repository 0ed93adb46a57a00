import { connect } from "node:net";

/**
 * One command (or several separated by `;`) to HAProxy's runtime API, non-interactive: HAProxy answers and closes
 * the connection. `address` is a unix socket path, or `host:port` for a TCP `stats socket`.
 */
export function runtimeCommand(address: string, command: string, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const tcp = /^[^/]+:\d+$/.exec(address);
    const socket = tcp
      ? connect({ host: address.slice(0, address.lastIndexOf(":")), port: Number(address.split(":").pop()) })
      : connect(address);
    let out = "";
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(new Error(`haproxy runtime API: "${command.slice(0, 60)}" timed out`)),
    );
    socket.on("error", reject);
    socket.on("connect", () => socket.write(`${command}\n`));
    socket.on("data", (d) => {
      out += d.toString();
    });
    socket.on("end", () => resolve(out));
  });
}

/** Answers of the runtime API that mean a command failed (it answers in plain text, never with a status). */
export const RUNTIME_ERROR = /unknown|invalid|not found|no such|require|can't|cannot|error|please use|missing|expects/i;
