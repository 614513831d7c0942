import { createHash, randomUUID } from "node:crypto";
import { createReadStream, statSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { Readable, Transform } from "node:stream";

/** The bytes of a package: in memory, or a file read as it is served. */
export type PackageContent = { bytes: Buffer } | { file: string };

/** What a download fault does to the next download. */
export type DownloadFault =
  /** The bytes served differ from the package (one byte flipped): the hash no longer matches. */
  | { kind: "tamper" }
  /** `Content-Length` is off by `deltaBytes`; as many bytes as announced are sent, at most the package. */
  | { kind: "misannounce"; deltaBytes: number }
  /** Headers and the first half of the body are sent, then nothing until the client gives up. */
  | { kind: "stall" };

/**
 * How much of a package file is read and written at once: fs's 64 KiB default costs a
 * thread-pool round trip and a socket write for every 64 KiB, which on a busy machine
 * caps what the endpoint serves below what its clients can take.
 */
const SERVE_CHUNK_BYTES = 1024 * 1024;

/** How long Lambda's presigned URLs are valid. */
const VALID_SECONDS = 600;

interface Issued {
  content: PackageContent | undefined;
  signature: string;
  issuedAt: number;
}

/** One download served, for tests: which package and with what status (0: cut off). */
export interface ServedDownload {
  path: string;
  status: number;
  fault: DownloadFault["kind"] | undefined;
}

/**
 * The endpoint's stand-in for S3's presigned package URLs: GetFunction's `Code.Location`
 * and GetLayerVersion(ByArn)'s `Content.Location` point here, at `/__packages/<id>` with
 * a presigned-style query. A download needs the exact signature issued and is refused
 * (403, as S3 answers) once the ten minutes are up; faults tamper with the bytes, announce
 * a wrong size, or stall half-way, for the next downloads.
 *
 * @example
 * ```ts
 * const url = downloads.issue({ file: "/tmp/code.zip" }, "us-east-1");
 * aws.downloads.tamperNext(); // the next download's bytes differ from the package's
 * ```
 */
export class PackageDownloads {
  /** The endpoint's own URL; set once it listens. */
  baseUrl = "";
  /** Every download served, oldest first. */
  readonly served: ServedDownload[] = [];
  private readonly issued = new Map<string, Issued>();
  private readonly faults: DownloadFault[] = [];

  constructor(private readonly now: () => number) {}

  /** A presigned-style URL on the endpoint for `content` (undefined: the bytes are not kept). */
  issue(content: PackageContent | undefined, region: string): string {
    const id = randomUUID();
    const signature = createHash("sha256").update(`${id}:${this.now()}`).digest("hex");
    const issuedAt = this.now();
    this.issued.set(id, { content, signature, issuedAt });
    const date = new Date(issuedAt)
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}/, "");
    const credential = `ASIAQ4LOCALAWS0EXAMP%2F${date.slice(0, 8)}%2F${region}%2Fs3%2Faws4_request`;
    return `${this.baseUrl}/__packages/${id}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=${date}&X-Amz-SignedHeaders=host&X-Amz-Expires=${VALID_SECONDS}&X-Amz-Credential=${credential}&X-Amz-Signature=${signature}`;
  }

  /** The next `count` downloads serve bytes that differ from the package. */
  tamperNext(count = 1): void {
    this.add(count, { kind: "tamper" });
  }

  /** The next `count` downloads announce a `Content-Length` off by `deltaBytes`. */
  misannounceNext(count = 1, deltaBytes = 1): void {
    this.add(count, { kind: "misannounce", deltaBytes });
  }

  /** The next `count` downloads send half the body, then stall. */
  stallNext(count = 1): void {
    this.add(count, { kind: "stall" });
  }

  /** Answers one request for `/__packages/<id>?…`; resolves when the answer is done. */
  async serve(rawPath: string, rawQuery: string, res: ServerResponse): Promise<void> {
    const id = rawPath.slice("/__packages/".length);
    const issued = this.issued.get(id);
    const signature = new URLSearchParams(rawQuery).get("X-Amz-Signature");
    if (issued === undefined || signature !== issued.signature) {
      return this.refuse(
        res,
        rawPath,
        403,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided.",
      );
    }
    if (this.now() > issued.issuedAt + VALID_SECONDS * 1000) {
      return this.refuse(res, rawPath, 403, "AccessDenied", "Request has expired");
    }
    if (issued.content === undefined) {
      return this.refuse(res, rawPath, 404, "NoSuchKey", "The specified key does not exist.");
    }
    const fault = this.faults.shift();
    const size =
      "bytes" in issued.content ? issued.content.bytes.length : statSync(issued.content.file).size;
    const announced = fault?.kind === "misannounce" ? Math.max(0, size + fault.deltaBytes) : size;
    const sent = fault?.kind === "stall" ? Math.floor(size / 2) : Math.min(size, announced);
    res.writeHead(200, {
      "content-type": "application/zip",
      "content-length": String(announced),
      etag: `"${id}"`,
    });
    const source =
      "bytes" in issued.content || sent === 0
        ? Readable.from("bytes" in issued.content ? [issued.content.bytes.subarray(0, sent)] : [])
        : createReadStream(issued.content.file, {
            start: 0,
            end: sent - 1,
            highWaterMark: SERVE_CHUNK_BYTES,
          });
    let first = true;
    const alter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        if (first && fault?.kind === "tamper" && chunk.length > 0) {
          const copy = Buffer.from(chunk);
          copy[0] = (copy[0] ?? 0) ^ 0xff;
          chunk = copy;
        }
        first = false;
        done(null, chunk);
      },
    });
    await new Promise<void>((resolve) => {
      source.pipe(alter);
      alter.on("data", (chunk: Buffer) => {
        if (!res.write(chunk)) {
          alter.pause();
          res.once("drain", () => alter.resume());
        }
      });
      alter.on("end", () => {
        if (fault?.kind === "stall") {
          // Hold the connection open until the client gives up or the endpoint closes.
          res.once("close", resolve);
          return;
        }
        if (sent < announced) {
          res.socket?.destroy();
          resolve();
          return;
        }
        res.end(resolve);
      });
      res.once("close", resolve);
    });
    this.served.push({ path: rawPath, status: res.writableFinished ? 200 : 0, fault: fault?.kind });
  }

  private refuse(
    res: ServerResponse,
    path: string,
    status: number,
    code: string,
    message: string,
  ): void {
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
    res.writeHead(status, { "content-type": "application/xml" }).end(body);
    this.served.push({ path, status, fault: undefined });
  }

  private add(count: number, fault: DownloadFault): void {
    if (!Number.isInteger(count) || count < 1) {
      throw new RangeError(`fault count must be a positive integer, got ${count}`);
    }
    for (let i = 0; i < count; i++) {
      this.faults.push(fault);
    }
  }
}
