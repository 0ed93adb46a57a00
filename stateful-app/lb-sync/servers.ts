/** One server of the backend, from `show servers state <backend>`. */
export interface ServerState {
  name: string;
  addr: string;
  port: number;
  /** `srv_fqdn` when the server was configured by name, else null. */
  fqdn: string | null;
  /** `srv_admin_state`: 0 = ready; non-zero = maintenance or drain (forced or inherited). */
  adminState: number;
}

/**
 * Parses `show servers state [<backend>]` (HAProxy 2.x, format version 1): a version line, a `# be_id be_name
 * srv_id srv_name srv_addr ...` header naming the columns, then one line per server.
 */
export function parseServersState(text: string, backend?: string): ServerState[] {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const header = lines.find((l) => l.startsWith("# be_id"));
  if (header === undefined) return [];
  const cols = header.slice(2).trim().split(/\s+/);
  const at = (name: string) => cols.indexOf(name);
  const out: ServerState[] = [];
  for (const line of lines) {
    if (line.startsWith("#") || /^\d+$/.test(line.trim())) continue;
    const cells = line.trim().split(/\s+/);
    if (backend !== undefined && cells[at("be_name")] !== backend) continue;
    const fqdn = cells[at("srv_fqdn")];
    out.push({
      name: cells[at("srv_name")] ?? "",
      addr: cells[at("srv_addr")] ?? "",
      port: Number(cells[at("srv_port")] ?? 0),
      fqdn: fqdn === undefined || fqdn === "-" ? null : fqdn,
      adminState: Number(cells[at("srv_admin_state")] ?? 0),
    });
  }
  return out;
}

/**
 * The server an owner's advertised URL points at: same port, and the URL's host is the server's address, its
 * fqdn, or one of `resolved` (the host's addresses, for an ADVERTISE_URL by name). A ready server wins over one
 * in maintenance (a reused port); null when none matches (the shard is then left to the balance algorithm).
 */
export function serverForUrl(url: string, servers: ServerState[], resolved: readonly string[] = []): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  const host = u.hostname.replace(/^\[|\]$/g, "");
  const port = Number(u.port || (u.protocol === "https:" ? 443 : 80));
  const hosts = new Set([host, ...resolved, ...(host === "localhost" ? ["127.0.0.1", "::1"] : [])]);
  const matches = servers.filter(
    (s) => s.port === port && (hosts.has(s.addr) || (s.fqdn !== null && hosts.has(s.fqdn))),
  );
  return (matches.find((s) => s.adminState === 0) ?? matches[0])?.name ?? null;
}

/** Parses `show map <map>`: lines `<ref> <key> <value>`, into key -> value. */
export function parseMap(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^\S+\s+(\S+)\s+(.+?)\s*$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) out.set(m[1], m[2]);
  }
  return out;
}

/** Parses `show map` (no argument): the first map's file name, as HAProxy names it. */
export function firstMapFile(text: string): string | null {
  for (const line of text.split("\n")) {
    const m = /^\d+\s+\((.+?)\)/.exec(line);
    if (m?.[1] !== undefined) return m[1];
  }
  return null;
}
