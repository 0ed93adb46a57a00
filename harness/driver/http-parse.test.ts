import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ResponseReader, utf8 } from "./http-parse.ts";

const feed = (r: ResponseReader, ...parts: string[]) => {
  let out = null;
  for (const p of parts) out = r.push(Buffer.from(p, "utf8")) ?? out;
  return out;
};

describe("the driver's HTTP/1.1 response reader", () => {
  it("frames by content-length across chunks, in either header casing, then reads the next answer", () => {
    const r = new ResponseReader();
    assert.equal(feed(r, 'HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n{"a"'), null);
    assert.deepEqual(feed(r, ":1}"), { status: 200, body: '{"a":1}', close: false });
    assert.deepEqual(feed(r, "HTTP/1.1 409 Conflict\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}"), {
      status: 409,
      body: "{}",
      close: true,
    });
    assert.deepEqual(feed(r, "HTTP/1.1 201 Created\r\nCONTENT-LENGTH: 2\r\n\r\n{}")?.status, 201);
  });

  it("reads chunked bodies, skips 100 Continue, knows 204 has no body, frames by close otherwise", () => {
    const r = new ResponseReader();
    const chunked = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{"a\r\n4\r\n":1}\r\n0\r\n\r\n';
    assert.deepEqual(feed(r, chunked.slice(0, 50), chunked.slice(50)), { status: 200, body: '{"a":1}', close: false });
    assert.equal(feed(r, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n")?.status, 204);
    assert.equal(feed(r, "HTTP/1.0 200 OK\r\n\r\nhello"), null);
    assert.deepEqual(r.end(), { status: 200, body: "hello", close: false });
  });

  it("rejects what is not HTTP, and re-decodes UTF-8 bodies", () => {
    assert.throws(() => feed(new ResponseReader(), "SSH-2.0-x\r\n\r\n"), /not an HTTP/);
    const r = new ResponseReader();
    const body = '{"m":"déjà"}';
    const got = feed(r, `HTTP/1.1 400 Bad\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    assert.equal(utf8(got?.body ?? ""), body);
  });
});
