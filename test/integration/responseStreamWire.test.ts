import type { IncomingMessage, ServerResponse } from "node:http";
import { setImmediate as turn } from "node:timers/promises";
import { EventStreamCodec } from "@smithy/core/event-streams";
import { fromUtf8, toUtf8 } from "@smithy/core/serde";
import type { MessageHeaders } from "@smithy/types";
import { afterEach, describe, expect, it } from "vitest";
import { keysAsset, type LocalServer, startLocalServer } from "../fixtures.js";
import { runAction, tlsFixture } from "./harness.js";

/**
 * The connector's own event-stream reader against what a server puts on the wire: frames
 * cut across writes, broken frames, and a TLS connection read into one buffer.
 */
const codec = new EventStreamCodec(toUtf8, fromUtf8);

const event = (type: string, body: Uint8Array, contentType = "application/octet-stream") =>
  frame(
    {
      ":event-type": { type: "string", value: type },
      ":message-type": { type: "string", value: "event" },
      ":content-type": { type: "string", value: contentType },
    },
    body,
  );

const frame = (headers: MessageHeaders, body: Uint8Array) => codec.encode({ headers, body });

const chunk = (text: string) => event("PayloadChunk", fromUtf8(text));
const complete = (body: object = {}) =>
  event("InvokeComplete", fromUtf8(JSON.stringify(body)), "application/json");

/** A frame with one byte of its payload changed: its message CRC no longer matches. */
function damaged(bytes: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[copy.byteLength - 5] = (copy[copy.byteLength - 5] ?? 0) ^ 0xff;
  return copy;
}

/** Answers every request with `writes`, each its own write a turn of the loop apart. */
const streaming =
  (writes: readonly Uint8Array[]) => (_req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      res.writeHead(200, {
        "content-type": "application/vnd.amazon.eventstream",
        "x-amzn-requestid": "7f0c3e1a-stream-wire",
        "x-amz-executed-version": "$LATEST",
      });
      for (const bytes of writes) {
        res.write(bytes);
        await turn();
      }
      res.end();
    })();
  };

/** Each byte of `bytes` a write of its own. */
const byteByByte = (bytes: Uint8Array) => [...bytes].map((byte) => Uint8Array.of(byte));

describe("invoke_function_stream reading the event stream off the wire", () => {
  let server: LocalServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const stream = async (
    writes: readonly Uint8Array[],
    options: { tls?: boolean; inputs?: Record<string, unknown> } = {},
  ) => {
    const tls = options.tls === true ? tlsFixture("localhost") : undefined;
    server = await startLocalServer(streaming(writes), tls);
    return runAction("invoke_function_stream", {
      asset: {
        ...keysAsset,
        endpoint_url: server.url,
        ...(tls === undefined ? {} : { verify_ssl: false }),
      },
      inputs: { function_name: "wire", ...options.inputs },
    });
  };

  it("decodes frames that arrive a byte a write, characters split between them", async () => {
    const wire = Buffer.concat([chunk("héllo "), chunk("wörld"), complete()]);

    const run = await stream(byteByByte(wire));

    expect(run.exitCode).toBe(0);
    expect(run.output).toMatchObject({
      payload: "héllo wörld",
      payload_encoding: "text",
      complete: true,
      stop_reason: "complete",
      bytes_received: Buffer.byteLength("héllo wörld"),
      request_id: "7f0c3e1a-stream-wire",
    });
  });

  it("keeps the completion event's error when it ends the stream", async () => {
    const details = JSON.stringify({ errorType: "Error", errorMessage: "feed went away" });

    const run = await stream(
      [chunk('{"partial":'), complete({ ErrorCode: "Unhandled", ErrorDetails: details })],
      {
        inputs: { fail_on_function_error: false },
      },
    );

    expect(run.output).toMatchObject({
      payload: '{"partial":',
      function_error: { code: "Unhandled", type: "Error", message: "feed went away" },
      complete: true,
    });
  });

  it.each([
    ["a frame whose CRC does not match", damaged(chunk("never shown"))],
    [
      "an error message",
      frame(
        {
          ":message-type": { type: "string", value: "error" },
          ":error-code": { type: "string", value: "InternalFailure" },
        },
        new Uint8Array(0),
      ),
    ],
    ["bytes that end inside a frame", chunk("cut short").subarray(0, 20)],
    [
      "an exception the SDK does not model",
      frame(
        {
          ":message-type": { type: "string", value: "exception" },
          ":exception-type": { type: "string", value: "NotALambdaException" },
        },
        fromUtf8("went wrong"),
      ),
    ],
    [
      "a message of no known type",
      frame({ ":message-type": { type: "string", value: "gossip" } }, new Uint8Array(0)),
    ],
  ])("stops at %s and keeps what came before it", async (_, broken) => {
    const run = await stream([chunk("first "), chunk("second"), broken, complete()]);

    expect(run.exitCode).toBe(0);
    expect(run.output).toMatchObject({
      payload: "first second",
      complete: false,
      stop_reason: "connection_lost",
      payload_truncated: true,
    });
  });

  it("reads a payload of many frames over TLS, each socket read into one buffer", async () => {
    // 40 frames of 16 KiB in writes of 48 KiB: frames cut across the reads.
    const piece = (i: number) => String.fromCharCode(97 + (i % 26)).repeat(16 * 1024);
    const text = Array.from({ length: 40 }, (_, i) => piece(i)).join("");
    const wire = Buffer.concat([
      ...Array.from({ length: 40 }, (_, i) => chunk(piece(i))),
      complete(),
    ]);
    const writes = Array.from({ length: Math.ceil(wire.byteLength / 49152) }, (_, i) =>
      wire.subarray(i * 49152, (i + 1) * 49152),
    );

    const run = await stream(writes, { tls: true, inputs: { output_limit_bytes: 1024 * 1024 } });

    expect(run.exitCode).toBe(0);
    expect(run.output).toMatchObject({
      payload: text,
      complete: true,
      bytes_received: text.length,
    });
  });
});
