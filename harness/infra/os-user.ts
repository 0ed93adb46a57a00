import { spawnSync } from "node:child_process";

/** An OS account the private servers run as when the harness is root. */
export interface ServiceUser {
  name: string;
  uid: number;
  gid: number;
}

function lookup(name: string): ServiceUser | null {
  const uid = spawnSync("id", ["-u", name], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", name], { encoding: "utf8" });
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * The unprivileged user for PostgreSQL when running as root (initdb refuses root): `postgres` when it exists,
 * else a `statebench` system user, created on first use. Null when not root (run as ourselves).
 */
export function serviceUser(): ServiceUser | null {
  if (process.getuid?.() !== 0) return null;
  const existing = lookup("postgres") ?? lookup("statebench");
  if (existing) return existing;
  const made = spawnSync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "statebench"], {
    encoding: "utf8",
  });
  const created = lookup("statebench");
  if (!created) throw new Error(`cannot create the statebench system user: ${made.stderr || made.error?.message}`);
  return created;
}
