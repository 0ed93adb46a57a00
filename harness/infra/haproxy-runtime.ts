import { connect } from "node:net";

/** Sends one command to HAProxy's runtime API (stats socket) and returns its answer. */
export function haproxyCommand(socketPath: string, command: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let out = "";
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`haproxy runtime API: "${command}" timed out`)));
    socket.on("error", reject);
    socket.on("connect", () => socket.write(`${command}\n`));
    socket.on("data", (d) => {
      out += d.toString();
    });
    socket.on("end", () => resolve(out));
  });
}

/** One row of `show stat` (CSV) as a record keyed by the header names (pxname, svname, scur, stot, status, ...). */
export type StatRow = Record<string, string>;

/** Parses `show stat` CSV output. */
export function parseShowStat(csv: string): StatRow[] {
  const lines = csv.split("\n").filter((l) => l.trim() !== "");
  const header = lines[0]?.replace(/^# /, "").split(",") ?? [];
  return lines.slice(1).map((line) => {
    const cells = line.split(",");
    const row: StatRow = {};
    header.forEach((name, i) => {
      if (name) row[name] = cells[i] ?? "";
    });
    return row;
  });
}
