import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";

/**
 * One line of k6's `--out json` stream (k6 `output/json/wrapper.go`): either a `Metric` declaration or a `Point`
 * sample `{ time, value, tags, metadata? }`. Time values are milliseconds; `metadata` (k6 >= 0.45) holds
 * high-cardinality data that is not a tag.
 */
export type K6Line =
  | { type: "Metric"; metric: string; data: { name?: string; type: string; contains: string; thresholds?: string[] } }
  | {
      type: "Point";
      metric: string;
      data: {
        time: string;
        value: number;
        tags: Record<string, string> | null;
        metadata?: Record<string, string>;
      };
    };

/** A decoded sample: `time` in epoch milliseconds. */
export interface K6Point {
  metric: string;
  time: number;
  value: number;
  tags: Record<string, string>;
  metadata: Record<string, string> | null;
}

/** Bytes or text of a k6 JSON output: a stream, an async generator, or an array of chunks. */
export type K6Source = AsyncIterable<Buffer | string> | Iterable<Buffer | string>;

export interface K6MetricInfo {
  type: string;
  contains: string;
}

// k6 writes `.gz` when the file name asks for it; sniff the gzip magic instead of trusting names.
async function decompressIfGzip(input: K6Source): Promise<Readable> {
  const iterable: AsyncIterable<Buffer | string> =
    Symbol.asyncIterator in input ? input : Readable.from(input as Iterable<Buffer | string>);
  const it = iterable[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return Readable.from([]);
  const head = typeof first.value === "string" ? Buffer.from(first.value) : first.value;
  const rest = Readable.from(
    (async function* () {
      yield head;
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
    })(),
    { objectMode: false },
  );
  return head[0] === 0x1f && head[1] === 0x8b ? rest.pipe(createGunzip()) : rest;
}

/**
 * Streams the samples of a k6 `--out json` file or stream (plain or gzip), calling `onMetric` for each metric
 * declaration. Lines that are not JSON (a truncated last line after a kill) are counted in `badLines`, not thrown.
 */
export async function* readK6Points(
  source: string | K6Source,
  onMetric?: (name: string, info: K6MetricInfo) => void,
  stats?: { lines: number; badLines: number },
): AsyncGenerator<K6Point> {
  const raw = typeof source === "string" ? createReadStream(source) : source;
  const lines = createInterface({ input: await decompressIfGzip(raw), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (line.length === 0) continue;
    if (stats) stats.lines += 1;
    let parsed: K6Line;
    try {
      parsed = JSON.parse(line) as K6Line;
    } catch {
      if (stats) stats.badLines += 1;
      continue;
    }
    if (parsed.type === "Metric") {
      onMetric?.(parsed.metric, { type: parsed.data.type, contains: parsed.data.contains });
      continue;
    }
    if (parsed.type !== "Point") continue;
    const time = Date.parse(parsed.data.time);
    if (!Number.isFinite(time) || typeof parsed.data.value !== "number") {
      if (stats) stats.badLines += 1;
      continue;
    }
    yield {
      metric: parsed.metric,
      time,
      value: parsed.data.value,
      tags: parsed.data.tags ?? {},
      metadata: parsed.data.metadata ?? null,
    };
  }
}
