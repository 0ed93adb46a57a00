import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { type ImportSpec, importK6Run } from "./import.ts";

export const IMPORT_USAGE = `usage: statebench import-k6 <run-folder> [--k6-dir DIR] [--target URL] [--out-dir results] [--no-report]
       statebench import-k6 --k6-dir DIR --app stateless|stateful --run-id ID [--scenario S] [--profile P]
                            [--rate N] [--duration S] [--seats N] [--seed N] [...]

Turns the k6 output of a Kubernetes run (one folder per k6 pod with points.ndjson.gz, as copied out of the
collect pod) into results/<run-id>/ and renders its report. <run-folder> is what \`npm run k8s -- run\` wrote
(run.json says what was run; the pods' files are expected in <run-folder>/k6). --target is the app's load
balancer as this machine reaches it (kubectl port-forward svc/haproxy 8080): the audit reads the API there, and
the database too when DATABASE_URL is set (kubectl port-forward svc/postgres 5432).`;

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

/** `statebench import-k6`. */
export async function runImportK6Cli(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        "k6-dir": { type: "string" },
        target: { type: "string" },
        "out-dir": { type: "string" },
        "no-report": { type: "boolean" },
        app: { type: "string" },
        "run-id": { type: "string" },
        scenario: { type: "string" },
        profile: { type: "string" },
        rate: { type: "string" },
        duration: { type: "string" },
        seats: { type: "string" },
        seed: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (err) {
    console.error(`statebench import-k6: ${(err as Error).message}\n${IMPORT_USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(IMPORT_USAGE);
    return 0;
  }
  const folder = positionals[0] ? resolve(positionals[0]) : null;
  const recorded =
    folder && existsSync(join(folder, "run.json"))
      ? (JSON.parse(readFileSync(join(folder, "run.json"), "utf8")) as Partial<ImportSpec>)
      : {};
  const str = (k: string) => (typeof values[k] === "string" ? (values[k] as string) : undefined);
  const app = str("app") ?? recorded.app;
  const runId = str("run-id") ?? recorded.runId;
  const k6Dir = str("k6-dir") ?? (folder ? join(folder, "k6") : undefined);
  if ((app !== "stateless" && app !== "stateful") || !runId || !k6Dir) {
    console.error(
      `statebench import-k6: say what was run (a run folder with run.json, or --app, --run-id, --k6-dir)\n${IMPORT_USAGE}`,
    );
    return 2;
  }
  const overrides = { ...recorded.overrides };
  if (str("rate")) overrides.rate = num(str("rate"));
  if (str("duration")) overrides.durationS = num(str("duration"));
  if (str("seats")) overrides.seats = num(str("seats"));
  const spec: ImportSpec = {
    app,
    runId,
    scenario: str("scenario") ?? recorded.scenario ?? "flash-sale",
    profile: str("profile") ?? recorded.profile ?? "default",
    overrides,
    seed: num(str("seed")) ?? recorded.seed ?? 1,
    ...(recorded.parallelism ? { parallelism: recorded.parallelism } : {}),
  };
  try {
    const { dir } = await importK6Run({
      k6Dir,
      spec,
      outDir: resolve(str("out-dir") ?? "results"),
      target: str("target") ?? null,
      databaseUrl: process.env.DATABASE_URL ?? null,
      log: (m) => console.error(`import-k6: ${m}`),
    });
    if (!values["no-report"]) {
      const { writeReport } = await import("../../reporter/index.ts");
      const files = await writeReport(dir);
      console.log(`report: ${files.html}\nsummary: ${files.markdown}`);
    }
    console.log(`results: ${dir}`);
    return 0;
  } catch (err) {
    console.error(`statebench import-k6: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
