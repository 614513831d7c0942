/*
 * Standard input, where Turbine sends the action's JSON document: read whole, within the
 * document limit, and decoded as UTF-8 (or refused).
 */
import { readSync } from "node:fs";
import { InvalidInputError } from "../errors.js";
import { MAX_DOCUMENT_BYTES } from "./contract.js";

/**
 * All of standard input as text, or the error that refuses it: over the document limit,
 * or not UTF-8 (decoding would silently replace the bad bytes).
 */
export async function readStandardInput(
  readChunk: ChunkReader = readFromDescriptor,
): Promise<string | InvalidInputError> {
  const read = readInputSync(readChunk);
  const chunks = read === undefined || read.ended ? read?.chunks : await readInputStream(read);
  if (chunks === undefined) {
    return new InvalidInputError("usage", `Standard input is over ${MAX_DOCUMENT_BYTES} bytes.`, {
      hint: "Send a smaller payload: Lambda accepts at most 6 MB per synchronous invocation.",
    });
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch (cause) {
    return new InvalidInputError("usage", "Standard input is not valid UTF-8.", {
      hint: "Send the JSON document encoded as UTF-8; nothing was sent to AWS.",
      cause,
    });
  }
}

/** Bytes read from standard input at once. */
const READ_CHUNK_BYTES = 64 * 1024;

/** Reads into `buffer` what is there, blocking until there is some; 0 at the end. */
export type ChunkReader = (buffer: Buffer) => number;

/** Standard input's descriptor, read as {@link ChunkReader} (tests give their own). */
const readFromDescriptor: ChunkReader = (buffer) => readSync(0, buffer, 0, buffer.byteLength, null);

/** What was read of standard input, and whether that was all of it. */
export interface InputRead {
  chunks: Buffer[];
  size: number;
  ended: boolean;
}

/** Errors after which Node's stream reads standard input instead of the descriptor. */
const STREAM_INSTEAD = new Set(["EAGAIN", "EWOULDBLOCK", "EBADF", "EISDIR"]);

/**
 * Standard input read straight from its descriptor, as Turbine hands it over (a pipe or
 * a file, which block until there is more): no stream to set up, which costs the start
 * ~2 ms. `undefined` past {@link MAX_DOCUMENT_BYTES} (reading stops there); not `ended`
 * when the descriptor does not block (EAGAIN: a non-blocking pipe) or cannot be read
 * so, and Node's stream is to read the rest.
 */
export function readInputSync(readChunk: ChunkReader): InputRead | undefined {
  const read: InputRead = { chunks: [], size: 0, ended: false };
  // One buffer read into, each read copied out at its own size: a pipe hands over what
  // the writer wrote so far, often a few KiB, and a 64 KiB buffer kept per read would
  // hold several times the document.
  const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  for (;;) {
    let bytes: number;
    try {
      bytes = readChunk(buffer);
    } catch (error) {
      if (STREAM_INSTEAD.has((error as NodeJS.ErrnoException).code ?? "")) {
        return read;
      }
      throw error;
    }
    if (bytes === 0) {
      read.ended = true;
      return read;
    }
    read.size += bytes;
    if (read.size > MAX_DOCUMENT_BYTES) {
      return undefined;
    }
    read.chunks.push(Buffer.from(buffer.subarray(0, bytes)));
  }
}

/** The rest of standard input after `read`, through Node's stream; `undefined` past the limit. */
export async function readInputStream(
  read: InputRead,
  stream: AsyncIterable<unknown> = process.stdin,
): Promise<Buffer[] | undefined> {
  const { chunks } = read;
  let { size } = read;
  for await (const chunk of stream) {
    const buffer = chunk as Buffer;
    size += buffer.byteLength;
    if (size > MAX_DOCUMENT_BYTES) {
      return undefined;
    }
    chunks.push(buffer);
  }
  return chunks;
}
