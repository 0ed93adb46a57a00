/**
 * The HTTP/1.1 response reader of the driver's keep-alive sockets: status, framing (content-length, chunked, or
 * until close) and the body as text. Nothing else: the driver needs no header values, so none are kept.
 *
 * Bytes are decoded as latin1 (one char per byte, so lengths in bytes are string lengths, and cheap); `utf8()`
 * re-decodes a body for the rare reader that needs non-ASCII text (error messages, JSON.parse fallbacks).
 */
export interface ParsedResponse {
  status: number;
  /** latin1 text of the body. */
  body: string;
  /** The server said it closes the connection after this answer. */
  close: boolean;
}

/** A body in latin1 decoding, re-decoded as UTF-8 (a no-op for ASCII, the common case). */
export function utf8(latin1: string): string {
  for (let i = 0; i < latin1.length; i++) {
    if (latin1.charCodeAt(i) > 127) return Buffer.from(latin1, "latin1").toString("utf8");
  }
  return latin1;
}

// Header names are matched case-insensitively on a lower-cased copy of the header block.
const CONTENT_LENGTH = "\r\ncontent-length:";
const TRANSFER_ENCODING = "\r\ntransfer-encoding:";
const CONNECTION = "\r\nconnection:";
const MAX_HEADER_BYTES = 64 * 1024;

/** Where header `lower` (or its `title` casing) starts in the header block; -1 if absent. */
function findHeader(head: string, lower: string, title: string): number {
  const i = head.indexOf(lower);
  return i >= 0 ? i : head.indexOf(title);
}

/**
 * Feeds chunks of one connection; returns a response once complete, else null. Throws on malformed input (the
 * caller fails the request and drops the connection). One response at a time: the driver never pipelines.
 */
export class ResponseReader {
  private buf = "";
  private headerEnd = -1;
  private status = 0;
  private length = -1;
  private chunked = false;
  private close = false;
  private untilClose = false;

  /** Bytes of the current response seen so far (0: the connection has not answered yet). */
  get received(): number {
    return this.buf.length;
  }

  push(chunk: Buffer): ParsedResponse | null {
    const text = chunk.toString("latin1");
    this.buf = this.buf.length === 0 ? text : this.buf + text;
    return this.parse();
  }

  /** The connection ended: a response framed by the close completes now; anything else was cut short. */
  end(): ParsedResponse | null {
    if (this.untilClose && this.headerEnd >= 0) return this.done(this.buf.slice(this.headerEnd));
    return null;
  }

  private parse(): ParsedResponse | null {
    if (this.headerEnd < 0 && !this.readHead()) return null;
    const start = this.headerEnd;
    if (this.length >= 0) {
      if (this.buf.length - start < this.length) return null;
      return this.done(this.buf.slice(start, start + this.length));
    }
    if (this.chunked) return this.readChunked(start);
    return null; // until close
  }

  private readHead(): boolean {
    for (;;) {
      const end = this.buf.indexOf("\r\n\r\n");
      if (end < 0) {
        if (this.buf.length > MAX_HEADER_BYTES) throw new Error("response header too large");
        return false;
      }
      if (!this.buf.startsWith("HTTP/1.")) throw new Error("not an HTTP/1.x response");
      const status = Number(this.buf.slice(9, 12));
      if (!(status >= 100 && status < 600)) throw new Error("bad status line");
      if (status < 200) {
        // 100 Continue and friends: skip the interim answer.
        this.buf = this.buf.slice(end + 4);
        continue;
      }
      this.status = status;
      this.headerEnd = end + 4;
      // Header names in the casings servers write (Node: as set, Hono: lower case), else a lower-cased copy.
      let head = this.buf.slice(0, end + 2);
      let cl = findHeader(head, CONTENT_LENGTH, "\r\nContent-Length:");
      let te = findHeader(head, TRANSFER_ENCODING, "\r\nTransfer-Encoding:");
      let conn = findHeader(head, CONNECTION, "\r\nConnection:");
      if (cl < 0 && te < 0) {
        head = head.toLowerCase();
        cl = findHeader(head, CONTENT_LENGTH, CONTENT_LENGTH);
        te = findHeader(head, TRANSFER_ENCODING, TRANSFER_ENCODING);
        conn = findHeader(head, CONNECTION, CONNECTION);
      }
      const value = (at: number, name: string) => head.slice(at + name.length, head.indexOf("\r\n", at + 2)).trim();
      this.close = conn >= 0 && value(conn, CONNECTION).toLowerCase() === "close";
      this.chunked = te >= 0 && value(te, TRANSFER_ENCODING).toLowerCase().includes("chunked");
      if (!this.chunked && cl >= 0) {
        this.length = Number(value(cl, CONTENT_LENGTH));
        if (!Number.isInteger(this.length) || this.length < 0) throw new Error("bad content-length");
      } else if (!this.chunked) {
        // No body by definition, or a body framed by the connection's end.
        if (status === 204 || status === 304) this.length = 0;
        else this.untilClose = true;
      }
      return true;
    }
  }

  private readChunked(start: number): ParsedResponse | null {
    let pos = start;
    let body = "";
    for (;;) {
      const eol = this.buf.indexOf("\r\n", pos);
      if (eol < 0) return null;
      const size = Number.parseInt(this.buf.slice(pos, eol), 16);
      if (!Number.isFinite(size) || size < 0) throw new Error("bad chunk size");
      if (size === 0) {
        // Trailers (rare) end with an empty line.
        const end = this.buf.indexOf("\r\n", eol + 2);
        if (end < 0) return null;
        if (end !== eol + 2 && this.buf.indexOf("\r\n\r\n", eol) < 0) return null;
        return this.done(body);
      }
      if (this.buf.length < eol + 2 + size + 2) return null;
      body += this.buf.slice(eol + 2, eol + 2 + size);
      pos = eol + 2 + size + 2;
    }
  }

  private done(body: string): ParsedResponse {
    const r = { status: this.status, body, close: this.close };
    this.buf = "";
    this.headerEnd = -1;
    this.status = 0;
    this.length = -1;
    this.chunked = this.close = this.untilClose = false;
    return r;
  }
}
