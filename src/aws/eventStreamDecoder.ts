/**
 * AWS's event-stream framing (`application/vnd.amazon.eventstream`), decoded from the
 * chunks of an answer's body as they arrive. Each message is a prelude (total length,
 * headers length, both 32-bit big-endian, and the prelude's CRC32), its headers, its
 * payload and the CRC32 of all that came before it in the message.
 *
 * Unlike the SDK's decoder, which copies every message into a buffer of its own before
 * decoding it, a payload is handed on as views of the body's chunks: a streamed response
 * read up to 6 MB holds those 6 MB once.
 */
import { crc32 } from "node:zlib";
import type { Int64, MessageHeaders, MessageHeaderValue } from "@smithy/types";

/** Total length, headers length, prelude CRC. */
const PRELUDE_BYTES = 12;

/** The CRC of the whole message, after its payload. */
const MESSAGE_CRC_BYTES = 4;

/**
 * The largest message and headers the AWS Common Runtime's decoder takes
 * (aws-c-event-stream): a length past them is a broken stream, not a message to wait for.
 */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
export const MAX_HEADERS_BYTES = 128 * 1024;

/** One decoded message, its payload in the pieces it arrived in. */
export interface EventStreamMessage {
  headers: MessageHeaders;
  /** The payload: views of the body's chunks, in order, never copied. */
  payload: Uint8Array[];
  payloadBytes: number;
}

/** The body is not a well-formed event stream: reading it stops here. */
export class MalformedEventStreamError extends Error {
  override readonly name = "MalformedEventStreamError";
}

/** Where the decoder is in the current message. */
type Stage = "prelude" | "headers" | "payload" | "trailer";

/**
 * Decodes messages from chunks of any size: a message may be split over many chunks,
 * and one chunk may hold many messages. Both CRCs of every message are checked before
 * it is handed on.
 *
 * @example
 * ```ts
 * const decoder = new EventStreamDecoder();
 * for await (const chunk of body) {
 *   for (const message of decoder.push(chunk)) {
 *     handle(message.headers[":event-type"]?.value, message.payload);
 *   }
 * }
 * decoder.end(); // throws when the body stopped inside a message
 * ```
 */
export class EventStreamDecoder {
  private stage: Stage = "prelude";
  /** The prelude, or the trailer, as far as it came. */
  private readonly small = Buffer.alloc(PRELUDE_BYTES);
  private smallFilled = 0;
  private headers = Buffer.alloc(0);
  private headersFilled = 0;
  private payload: Uint8Array[] = [];
  private payloadLeft = 0;
  private payloadBytes = 0;
  /** CRC32 of the message so far. */
  private crc = 0;

  /** The messages `chunk` completes, in order. */
  push(chunk: Uint8Array): EventStreamMessage[] {
    const messages: EventStreamMessage[] = [];
    let at = 0;
    while (at < chunk.byteLength) {
      if (this.stage === "prelude") {
        at = this.fillSmall(chunk, at, PRELUDE_BYTES);
        if (this.smallFilled === PRELUDE_BYTES) {
          this.startMessage();
        }
      } else if (this.stage === "headers") {
        const take = Math.min(this.headers.byteLength - this.headersFilled, chunk.byteLength - at);
        this.headers.set(chunk.subarray(at, at + take), this.headersFilled);
        this.headersFilled += take;
        at += take;
        if (this.headersFilled === this.headers.byteLength) {
          this.crc = crc32(this.headers, this.crc);
          this.stage = this.payloadLeft === 0 ? "trailer" : "payload";
        }
      } else if (this.stage === "payload") {
        const take = Math.min(this.payloadLeft, chunk.byteLength - at);
        const piece = chunk.subarray(at, at + take);
        this.crc = crc32(piece, this.crc);
        this.payload.push(piece);
        this.payloadLeft -= take;
        at += take;
        if (this.payloadLeft === 0) {
          this.stage = "trailer";
        }
      } else {
        at = this.fillSmall(chunk, at, MESSAGE_CRC_BYTES);
        if (this.smallFilled === MESSAGE_CRC_BYTES) {
          messages.push(this.finishMessage());
        }
      }
    }
    return messages;
  }

  /** Says the body ended: throws when it ended inside a message. */
  end(): void {
    if (this.stage !== "prelude" || this.smallFilled > 0) {
      throw new MalformedEventStreamError(
        `The event stream ended inside a message (reading its ${this.stage}).`,
      );
    }
  }

  /** Copies into the small buffer up to `size` bytes; returns where the chunk goes on. */
  private fillSmall(chunk: Uint8Array, at: number, size: number): number {
    const take = Math.min(size - this.smallFilled, chunk.byteLength - at);
    this.small.set(chunk.subarray(at, at + take), this.smallFilled);
    this.smallFilled += take;
    return at + take;
  }

  /** Checks the prelude just read and sets up the reading of the message's headers. */
  private startMessage(): void {
    const total = this.small.readUInt32BE(0);
    const headersBytes = this.small.readUInt32BE(4);
    const expected = this.small.readUInt32BE(8);
    const actual = crc32(this.small.subarray(0, 8));
    if (actual !== expected) {
      throw new MalformedEventStreamError(
        `An event-stream prelude's CRC32 is ${actual}, but the prelude says ${expected}.`,
      );
    }
    if (total < PRELUDE_BYTES + MESSAGE_CRC_BYTES || total > MAX_MESSAGE_BYTES) {
      throw new MalformedEventStreamError(
        `An event-stream message says it is ${total} bytes long: at least ${PRELUDE_BYTES + MESSAGE_CRC_BYTES} and at most ${MAX_MESSAGE_BYTES} are possible.`,
      );
    }
    if (headersBytes > Math.min(MAX_HEADERS_BYTES, total - PRELUDE_BYTES - MESSAGE_CRC_BYTES)) {
      throw new MalformedEventStreamError(
        `An event-stream message of ${total} bytes says its headers are ${headersBytes} bytes long.`,
      );
    }
    this.crc = crc32(this.small.subarray(8, PRELUDE_BYTES), actual);
    this.headers = Buffer.allocUnsafe(headersBytes);
    this.headersFilled = 0;
    this.payload = [];
    this.payloadBytes = total - headersBytes - PRELUDE_BYTES - MESSAGE_CRC_BYTES;
    this.payloadLeft = this.payloadBytes;
    this.smallFilled = 0;
    this.stage = headersBytes > 0 ? "headers" : this.payloadLeft > 0 ? "payload" : "trailer";
  }

  /** Checks the message's CRC just read and hands the message on. */
  private finishMessage(): EventStreamMessage {
    const expected = this.small.readUInt32BE(0);
    if (this.crc !== expected) {
      throw new MalformedEventStreamError(
        `An event-stream message's CRC32 is ${this.crc}, but the message says ${expected}.`,
      );
    }
    const message = {
      headers: parseHeaders(this.headers),
      payload: this.payload,
      payloadBytes: this.payloadBytes,
    };
    this.smallFilled = 0;
    this.payload = [];
    this.stage = "prelude";
    return message;
  }
}

/**
 * The headers of one message: each a name (a length byte, UTF-8), a type byte and a
 * value whose size the type says; values in the shapes the SDK's own decoder gives.
 */
function parseHeaders(bytes: Buffer): MessageHeaders {
  const headers: MessageHeaders = {};
  let at = 0;
  const need = (size: number) => {
    if (at + size > bytes.byteLength) {
      throw new MalformedEventStreamError(
        "An event-stream header runs past the message's headers.",
      );
    }
  };
  while (at < bytes.byteLength) {
    const nameBytes = bytes.readUInt8(at);
    need(1 + nameBytes + 1);
    const name = bytes.toString("utf8", at + 1, at + 1 + nameBytes);
    at += 1 + nameBytes;
    const tag = bytes.readUInt8(at);
    at += 1;
    const reader = HEADER_READERS[tag];
    if (reader === undefined) {
      throw new MalformedEventStreamError(`An event-stream header has the unknown type ${tag}.`);
    }
    const size = reader.size(bytes, at, need);
    need(size);
    headers[name] = reader.read(bytes, at, size);
    at += size;
  }
  return headers;
}

/** How one type of header value is sized and read, by its type byte. */
interface HeaderReader {
  /** Bytes of the value at `at` (reading its length prefix, checked with `need`). */
  size(bytes: Buffer, at: number, need: (size: number) => void): number;
  read(bytes: Buffer, at: number, size: number): MessageHeaderValue;
}

const fixed = (size: number, read: HeaderReader["read"]): HeaderReader => ({
  size: () => size,
  read,
});

/** A value behind a 16-bit length: the length is part of its size. */
const prefixed = (read: (bytes: Buffer, from: number, to: number) => MessageHeaderValue) => ({
  size: (bytes: Buffer, at: number, need: (size: number) => void) => {
    need(2);
    return 2 + bytes.readUInt16BE(at);
  },
  read: (bytes: Buffer, at: number, size: number) => read(bytes, at + 2, at + size),
});

/** An 8-byte big-endian signed integer as the SDK's Int64 shape. */
function int64(bytes: Buffer, at: number): Int64 {
  const value = bytes.readBigInt64BE(at);
  return {
    bytes: Uint8Array.from(bytes.subarray(at, at + 8)),
    valueOf: () => Number(value),
    toString: () => value.toString(),
  };
}

const HEADER_READERS: readonly (HeaderReader | undefined)[] = [
  fixed(0, () => ({ type: "boolean", value: true })),
  fixed(0, () => ({ type: "boolean", value: false })),
  fixed(1, (bytes, at) => ({ type: "byte", value: bytes.readInt8(at) })),
  fixed(2, (bytes, at) => ({ type: "short", value: bytes.readInt16BE(at) })),
  fixed(4, (bytes, at) => ({ type: "integer", value: bytes.readInt32BE(at) })),
  fixed(8, (bytes, at) => ({ type: "long", value: int64(bytes, at) })),
  prefixed((bytes, from, to) => ({
    type: "binary",
    value: Uint8Array.from(bytes.subarray(from, to)),
  })),
  prefixed((bytes, from, to) => ({ type: "string", value: bytes.toString("utf8", from, to) })),
  fixed(8, (bytes, at) => ({
    type: "timestamp",
    value: new Date(Number(bytes.readBigInt64BE(at))),
  })),
  fixed(16, (bytes, at) => {
    const hex = bytes.toString("hex", at, at + 16);
    return {
      type: "uuid",
      value: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
    };
  }),
];
