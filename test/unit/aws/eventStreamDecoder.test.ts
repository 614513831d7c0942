import { crc32 as zlibCrc32 } from "node:zlib";
import { EventStreamCodec } from "@smithy/core/event-streams";
import { fromUtf8, toUtf8 } from "@smithy/core/serde";
import type { MessageHeaders } from "@smithy/types";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  EventStreamDecoder,
  type EventStreamMessage,
  MAX_MESSAGE_BYTES,
  MalformedEventStreamError,
} from "../../../src/aws/eventStreamDecoder.js";

/** The SDK's own codec: the frames AWS sends, as the local endpoint writes them. */
const codec = new EventStreamCodec(toUtf8, fromUtf8);

const payloadChunk = (body: Uint8Array) =>
  codec.encode({
    headers: {
      ":event-type": { type: "string", value: "PayloadChunk" },
      ":message-type": { type: "string", value: "event" },
    },
    body,
  });

/** Feeds `chunks` to a new decoder and ends it. */
function decodeAll(chunks: readonly Uint8Array[]): EventStreamMessage[] {
  const decoder = new EventStreamDecoder();
  const messages = chunks.flatMap((chunk) => decoder.push(chunk));
  decoder.end();
  return messages;
}

const joined = (message: EventStreamMessage) => Buffer.concat(message.payload);

/** `bytes` cut at `cuts` (sorted positions inside it). */
function split(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const at = [0, ...[...new Set(cuts)].sort((a, b) => a - b), bytes.byteLength];
  return at.slice(1).map((end, i) => bytes.subarray(at[i], end));
}

/** A frame with one of its bytes changed. */
function corrupt(frame: Uint8Array, index: number): Uint8Array {
  const copy = Uint8Array.from(frame);
  copy[index] = (copy[index] ?? 0) ^ 0xff;
  return copy;
}

describe("EventStreamDecoder", () => {
  it("decodes a message split a byte a chunk, handing its payload on as views", () => {
    // Prepare
    const frame = payloadChunk(fromUtf8("streamed bytes"));
    const bytes = [...frame].map((byte) => Uint8Array.of(byte));

    // Act
    const [message, ...rest] = decodeAll(bytes);

    // Assess
    expect(rest).toEqual([]);
    expect(message?.headers[":event-type"]).toEqual({ type: "string", value: "PayloadChunk" });
    expect(joined(message as EventStreamMessage).toString("utf8")).toBe("streamed bytes");
    expect(message?.payloadBytes).toBe(14);
    expect(message?.payload).toHaveLength(14);
  });

  it("decodes several messages from one chunk, the payload a view of that chunk", () => {
    const chunk = Buffer.concat([payloadChunk(fromUtf8("one")), payloadChunk(fromUtf8("two"))]);

    const messages = decodeAll([chunk]);

    expect(messages.map((message) => joined(message).toString("utf8"))).toEqual(["one", "two"]);
    expect(messages[0]?.payload[0]?.buffer).toBe(chunk.buffer);
  });

  it("decodes a message with no headers and no payload", () => {
    const [message] = decodeAll([codec.encode({ headers: {}, body: new Uint8Array(0) })]);

    expect(message).toEqual({ headers: {}, payload: [], payloadBytes: 0 });
  });

  it("reads a header of each type as the SDK's own decoder does", () => {
    // Prepare
    const headers: MessageHeaders = {
      yes: { type: "boolean", value: true },
      no: { type: "boolean", value: false },
      byte: { type: "byte", value: -7 },
      short: { type: "short", value: -1234 },
      integer: { type: "integer", value: 2_000_000_001 },
      long: { type: "long", value: { bytes: Uint8Array.of(0, 0, 1, 2, 3, 4, 5, 6) } as never },
      binary: { type: "binary", value: Uint8Array.of(0, 255, 7) },
      string: { type: "string", value: "händler" },
      timestamp: { type: "timestamp", value: new Date("2026-12-02T14:05:00.123Z") },
      uuid: { type: "uuid", value: "6c6a3d1e-8f51-4a3b-9a0e-2b7f1c9d4e5f" },
    };
    const frame = codec.encode({ headers, body: fromUtf8("{}") });

    // Act
    const [message] = decodeAll([frame]);

    // Assess
    const sdk = codec.decode(frame).headers;
    const { long, ...others } = message?.headers ?? {};
    const { long: sdkLong, ...sdkOthers } = sdk;
    expect(others).toEqual(sdkOthers);
    expect(long?.type).toBe("long");
    expect(String(long?.value)).toBe(String(sdkLong?.value));
    expect(Number(long?.value)).toBe(Number(sdkLong?.value));
    expect((long?.value as { bytes?: Uint8Array } | undefined)?.bytes).toEqual(
      Uint8Array.of(0, 0, 1, 2, 3, 4, 5, 6),
    );
  });

  it.each([
    [
      "a prelude whose CRC does not match",
      (frame: Uint8Array) => corrupt(frame, 9),
      /prelude's CRC32/,
    ],
    [
      "a message whose CRC does not match",
      (frame: Uint8Array) => corrupt(frame, frame.byteLength - 6),
      /message's CRC32/,
    ],
  ])("refuses %s", (_, damage, message) => {
    const frame = damage(payloadChunk(fromUtf8("payload")));

    expect(() => decodeAll([frame])).toThrow(MalformedEventStreamError);
    expect(() => decodeAll([frame])).toThrow(message);
  });

  it.each([
    ["shorter than a prelude and a CRC", 15, 0, /at least 16/],
    ["longer than any message", MAX_MESSAGE_BYTES + 1, 0, /at most/],
    ["with headers longer than the message", 32, 17, /says its headers are 17 bytes/],
  ])("refuses a prelude of a message %s", (_, total, headers, message) => {
    const prelude = Buffer.alloc(12);
    prelude.writeUInt32BE(total, 0);
    prelude.writeUInt32BE(headers, 4);
    prelude.writeUInt32BE(zlibCrc32(prelude.subarray(0, 8)), 8);

    expect(() => new EventStreamDecoder().push(prelude)).toThrow(message);
  });

  it.each([
    ["of an unknown type", Buffer.from([1, 0x61, 10]), /unknown type 10/],
    ["running past the headers", Buffer.from([1, 0x61, 7, 0, 9, 0x62]), /runs past/],
    ["whose name runs past the headers", Buffer.from([9, 0x61]), /runs past/],
  ])("refuses a header %s", (_, headerBytes, message) => {
    const frame = frameWithHeaders(headerBytes);

    expect(() => decodeAll([frame])).toThrow(message);
  });

  it("says the body ended inside a message, whatever part of it came", () => {
    const frame = payloadChunk(fromUtf8("cut short"));

    for (const end of [1, 11, 12, 40, frame.byteLength - 1]) {
      expect(() => decodeAll([frame.subarray(0, end)])).toThrow(/ended inside a message/);
    }
    expect(decodeAll([])).toEqual([]);
  });

  it("gives the same messages however the bytes are split", () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (payloads, cuts) => {
          const wire = Buffer.concat(payloads.map(payloadChunk));
          const chunks = split(
            wire,
            cuts.map((cut) => cut % (wire.byteLength + 1)),
          );

          const messages = decodeAll(chunks);

          expect(messages.map((message) => Uint8Array.from(joined(message)))).toEqual(
            payloads.map((payload) => Uint8Array.from(payload)),
          );
        },
      ),
    );
  });
});

/** A frame around raw header bytes (CRCs right), with an empty payload. */
function frameWithHeaders(headers: Uint8Array): Uint8Array {
  const total = 12 + headers.byteLength + 4;
  const frame = Buffer.alloc(total);
  frame.writeUInt32BE(total, 0);
  frame.writeUInt32BE(headers.byteLength, 4);
  frame.writeUInt32BE(zlibCrc32(frame.subarray(0, 8)), 8);
  frame.set(headers, 12);
  frame.writeUInt32BE(zlibCrc32(frame.subarray(0, total - 4)), total - 4);
  return frame;
}
