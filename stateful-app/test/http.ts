import { Agent, request } from "undici";

/**
 * Env for the single-node runtime (issue 4) without the cluster layer that `main.ts` adds by default: these tests
 * check the node itself; the cluster has its own.
 */
export const SINGLE_NODE = { CLUSTER: "off" };

/** One HTTP answer with its parsed JSON body (undefined when empty). */
export interface Answer {
  status: number;
  json: unknown;
  text: string;
}

/** A small keep-alive client for the integration tests; `close()` drops its sockets. */
export class Http {
  private readonly agent: Agent;

  constructor(
    private readonly base: string,
    connections = 128,
  ) {
    this.agent = new Agent({ connections, keepAliveTimeout: 2_000, headersTimeout: 30_000 });
  }

  async send(method: "GET" | "PUT" | "POST" | "DELETE", path: string, body?: unknown): Promise<Answer> {
    const res = await request(`${this.base}${path}`, {
      method,
      dispatcher: this.agent,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    let json: unknown;
    try {
      json = text === "" ? undefined : JSON.parse(text);
    } catch {
      json = undefined; // HAProxy's own HTML errors
    }
    return { status: res.statusCode, json, text };
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** Creates an event with one section `A` of `seats` seats; returns its id. */
export async function createEvent(http: Http, seats: number, holdTtlMs = 600_000, prefix = "ev"): Promise<string> {
  const eventId = `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
  const res = await http.send("PUT", `/events/${eventId}`, { sections: [{ id: "A", seats }], holdTtlMs });
  if (res.status !== 201) throw new Error(`create event: ${res.status} ${JSON.stringify(res.json)}`);
  return eventId;
}
