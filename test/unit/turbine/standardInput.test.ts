import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../../src/errors.js";
import { MAX_DOCUMENT_BYTES } from "../../../src/turbine/contract.js";
import {
  type ChunkReader,
  readInputStream,
  readInputSync,
  readStandardInput,
} from "../../../src/turbine/standardInput.js";

/** A reader that hands out `parts` one per read, then throws `then` (or ends). */
function readerOf(parts: (Buffer | Error)[], then?: Error): ChunkReader {
  const queue = [...parts];
  return (buffer) => {
    const next = queue.shift();
    if (next === undefined) {
      if (then !== undefined) {
        throw then;
      }
      return 0;
    }
    if (next instanceof Error) {
      throw next;
    }
    next.copy(buffer);
    return next.byteLength;
  };
}

const errno = (code: string) => Object.assign(new Error(code), { code });

describe("readInputSync", () => {
  it("reads the descriptor to its end, chunk by chunk", () => {
    const read = readInputSync(readerOf([Buffer.from('{"a":'), Buffer.from("1}")]));
    expect(read?.ended).toBe(true);
    expect(Buffer.concat(read?.chunks ?? []).toString()).toBe('{"a":1}');
  });

  it.each(["EAGAIN", "EBADF", "EISDIR"])("leaves the rest to the stream after %s", (code) => {
    const read = readInputSync(readerOf([Buffer.from("{")], errno(code)));
    expect(read).toEqual({ chunks: [Buffer.from("{")], size: 1, ended: false });
  });

  it("lets any other read error through", () => {
    expect(() => readInputSync(readerOf([errno("EIO")]))).toThrow("EIO");
  });

  it("stops past the document limit", () => {
    const big = Buffer.alloc(64 * 1024, 0x20);
    let calls = 0;
    const endless: ChunkReader = (buffer) => {
      calls += 1;
      big.copy(buffer);
      return big.byteLength;
    };
    expect(readInputSync(endless)).toBeUndefined();
    expect(calls).toBe(Math.floor(MAX_DOCUMENT_BYTES / big.byteLength) + 1);
  });
});

describe("readInputStream", () => {
  it("appends the stream's chunks to what was read", async () => {
    const chunks = await readInputStream(
      { chunks: [Buffer.from('{"a":')], size: 5, ended: false },
      Readable.from([Buffer.from("1"), Buffer.from("}")]),
    );
    expect(Buffer.concat(chunks ?? []).toString()).toBe('{"a":1}');
  });

  it("counts what was read toward the limit", async () => {
    const chunks = await readInputStream(
      { chunks: [], size: MAX_DOCUMENT_BYTES, ended: false },
      Readable.from([Buffer.from("x")]),
    );
    expect(chunks).toBeUndefined();
  });
});

describe("readStandardInput", () => {
  it("decodes what it read as UTF-8", async () => {
    expect(await readStandardInput(readerOf([Buffer.from('{"name":"é"}')]))).toBe('{"name":"é"}');
  });

  it("refuses bytes that are not UTF-8, naming the rule", async () => {
    const refused = await readStandardInput(readerOf([Buffer.from([0x7b, 0xff, 0x7d])]));
    expect(refused).toBeInstanceOf(InvalidInputError);
    expect((refused as InvalidInputError).message).toBe("Standard input is not valid UTF-8.");
  });

  it("refuses a document over the limit", async () => {
    const refused = await readStandardInput((buffer) => buffer.fill(0x20).byteLength);
    expect((refused as InvalidInputError).message).toBe(
      `Standard input is over ${MAX_DOCUMENT_BYTES} bytes.`,
    );
  });
});
