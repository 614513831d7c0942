import { createHash, randomBytes } from "node:crypto";
import { Socket } from "node:net";
import { Readable } from "node:stream";
import { beforeEach, describe, expect, it } from "vitest";
import { ConnectorError } from "../../../src/errors.js";
import { uploadFileStream } from "../../../src/turbine/files.js";
import { rejectedConnectorError } from "../../fixtures.js";
import { type FileApiServer, startFileApi } from "../../support/fileApiServer.js";

describe("uploadFileStream", () => {
  let api: FileApiServer;
  // The returned function is the teardown: each test has a file API of its own.
  beforeEach(async () => {
    api = await startFileApi();
    return () => api.close();
  });

  const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

  it("stores a piped stream's bytes intact, chunked, under the name given", async () => {
    // Larger than every buffer on the way (1 MiB each), so backpressure is exercised.
    const bytes = randomBytes(3 * 1024 * 1024 + 7);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 65536) }, (_, i) =>
      bytes.subarray(i * 65536, (i + 1) * 65536),
    );
    const reference = await uploadFileStream(Readable.from(chunks), 'pkg "1".zip', {
      field: "code",
      env: api.env(),
    });
    expect(reference).toEqual({ file: "file-1", file_name: 'pkg "1".zip' });
    expect(api.uploads[0]?.sha256).toBe(sha256(bytes));
    expect(api.uploads[0]?.fileName).toBe('pkg "1".zip');
    expect(api.uploads[0]?.streamed).toBe(true);
  });

  it("sends the chunks that arrive in one turn of the event loop in one write", async () => {
    // Node's request corks its socket for one tick only: a download's socket reads come
    // one per callback, so each chunk would be a system call of its own.
    const writes: number[] = [];
    const writev = Socket.prototype._writev;
    if (writev === undefined) {
      throw new Error("net.Socket has no _writev to watch");
    }
    Socket.prototype._writev = function (this: Socket, buffers, done) {
      writes.push(buffers.filter(({ chunk }) => chunk.length === 16 * 1024).length);
      writev.call(this, buffers, done);
    };
    const chunks = Array.from({ length: 16 }, () => randomBytes(16 * 1024));
    const source = new Readable({ read() {} });
    source.push(Buffer.from("first"));
    // Once the upload is under way (its socket connected), one chunk per tick.
    api.onFirstBytes(() => {
      const next = (index: number) => {
        source.push(chunks[index] ?? null);
        if (index < chunks.length) {
          process.nextTick(next, index + 1);
        }
      };
      next(0);
    });
    try {
      await uploadFileStream(source, "turn.zip", { field: "code", env: api.env() });
    } finally {
      Socket.prototype._writev = writev;
    }
    expect(api.uploads[0]?.bytes).toEqual(Buffer.concat([Buffer.from("first"), ...chunks]));
    expect(Math.max(0, ...writes)).toBe(16);
  });

  it("takes an async iterable that is not a stream", async () => {
    const parts = [Buffer.from("first "), Buffer.from("second")];
    async function* source(): AsyncGenerator<Uint8Array> {
      yield* parts;
    }
    await uploadFileStream(source(), "a.txt", { field: "code", env: api.env() });
    expect(api.uploads[0]?.bytes.toString()).toBe("first second");
  });

  it("stops an upload past maxBytes as too large, and stores nothing", async () => {
    const error = await rejectedConnectorError(
      uploadFileStream(Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), "big.zip", {
        field: "code",
        env: api.env(),
        maxBytes: 1000,
      }),
    );
    expect(error.code).toBe("payload_too_large");
    expect(error.message).toContain("more than 1000 bytes");
    expect(api.uploads).toHaveLength(0);
  });

  it("fails with the source's own error when the source fails half-way", async () => {
    const refused = new ConnectorError("endpoint_error", "the download was cut short", {
      hint: "run it again",
    });
    const source = new Readable({ read() {} });
    source.push(Buffer.alloc(1024));
    setImmediate(() => source.destroy(refused));
    await expect(
      uploadFileStream(source, "cut.zip", { field: "code", env: api.env() }),
    ).rejects.toBe(refused);
    expect(api.uploads).toHaveLength(0);
  });
});
