import { createHash, type Hash } from "node:crypto";
import { request as httpRequest, type IncomingMessage, type RequestOptions } from "node:http";
import { request as httpsRequest } from "node:https";
import { Transform } from "node:stream";
import { ConnectorError } from "../errors.js";
import type { Agents } from "./httpHandler.js";

/**
 * The part of a presigned URL that may be printed: scheme, host and path. Its query
 * carries the signature (and the session's key ID), so it is never shown.
 *
 * @example
 * ```ts
 * sourceOf("https://b.s3.amazonaws.com/k?X-Amz-Signature=ab"); // "https://b.s3.amazonaws.com/k"
 * ```
 */
export function sourceOf(url: string): string {
  if (!URL.canParse(url)) {
    return "(unparseable URL)";
  }
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

/**
 * How far the download may run ahead of what reads it, in each of the answer and the
 * hashing stage: with the 16 KiB default every chunk waits for the reader to take the
 * one before, and a download feeding an upload stalls on each round trip of the two;
 * 1 MiB each decouples them for a bounded 2 MiB, whatever the package's size.
 */
const STREAM_BUFFER_BYTES = 1024 * 1024;

/** How one presigned package URL is downloaded. */
export interface DownloadOptions {
  /** The run's agents: the asset's proxy and TLS settings apply to the download too. */
  agents: Pick<Agents, "http" | "https">;
  /** Aborts the download, body included: the whole-call deadline. */
  signal: AbortSignal;
  /** Refuse an announced or real size above this many bytes. */
  maxBytes: number;
  /** The size AWS gave for the package (CodeSize), when it gave one. */
  expectedBytes?: number | undefined;
  /** What is downloaded, for messages: `the deployment package of function echo`. */
  what: string;
}

/** What the bytes of a finished download were. */
export interface DownloadDigest {
  sha256Hex: string;
  sha256Base64: string;
  bytes: number;
}

/** A download whose status and headers came back, and whose body streams through `body`. */
export interface PackageDownload {
  /** The URL without its query string. */
  source: string;
  /** The answer's Content-Length, when it gave one. */
  announcedBytes: number | undefined;
  /** The bytes, hashed and counted on the way; fails past the limit or on a short body. */
  body: Transform;
  /** The SHA-256 and the byte count, once `body` has ended. */
  digest(): DownloadDigest;
}

/**
 * Why a package was not taken: a size refused before or while reading, or an answer
 * that is not the package. The action reports it per artifact rather than failing.
 */
export class PackageRefusedError extends ConnectorError {}

/** The size the answer announces is not the size AWS gave: the package is not AWS's. */
export class PackageSizeMismatchError extends PackageRefusedError {}

/**
 * Opens a presigned S3 URL for download through the run's agents and checks its answer
 * before any byte is read: a 200, and a Content-Length that agrees with the size AWS
 * announced and stays within `maxBytes`. The body is not buffered: it streams through
 * a counter and a SHA-256 that fail it as soon as it passes the limit, or ends with
 * fewer or more bytes than announced.
 *
 * @example
 * ```ts
 * const download = await openPackageDownload(code.Location, { agents, signal, maxBytes, expectedBytes, what });
 * await pipeline(download.body, destination);
 * download.digest().sha256Base64 === configuration.CodeSha256;
 * ```
 */
export async function openPackageDownload(
  url: string,
  options: DownloadOptions,
): Promise<PackageDownload> {
  const source = sourceOf(url);
  refuseBeforeSending(url, options);
  const response = await get(url, options);
  const announced = checkAnswer(response, source, options);
  const counted = countedBody(source, announced ?? options.expectedBytes, options);
  const { body } = counted;
  // A deadline aborts the response too: it is named as the deadline, not as a cut body.
  const failed = (otherwise: () => ConnectorError) =>
    body.destroy(
      options.signal.aborted ? deadlineError(options.what, source, counted.bytes()) : otherwise(),
    );
  response.on("aborted", () =>
    failed(() =>
      shortBody(options.what, source, counted.bytes(), announced ?? options.expectedBytes),
    ),
  );
  response.on("error", (error) =>
    failed(() => wrapNetworkError(error, options.what, source, options)),
  );
  options.signal.addEventListener(
    "abort",
    () => {
      response.destroy();
      body.destroy(deadlineError(options.what, source, counted.bytes()));
    },
    { once: true },
  );
  // A reader that gives up (a failed upload) closes the body: close the answer with it.
  body.once("close", () => {
    if (!response.complete) {
      response.destroy();
    }
  });
  response.pipe(body);
  return { source, announcedBytes: announced, body, digest: counted.digest };
}

/** What is refused before anything is sent: a location that is not http(s), a size AWS gives over the limit. */
function refuseBeforeSending(
  url: string,
  { what, maxBytes, expectedBytes }: DownloadOptions,
): void {
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new PackageRefusedError(
      "endpoint_error",
      `${what}: its location is not an http(s) URL.`,
      {
        hint: "AWS gives a presigned https URL; check endpoint_url and anything in between.",
      },
    );
  }
  if (expectedBytes !== undefined && expectedBytes > maxBytes) {
    throw new PackageRefusedError(
      "payload_too_large",
      `${what}: AWS announces ${expectedBytes} bytes, over the ${maxBytes} byte limit; nothing was downloaded.`,
      { hint: tooLargeHint(maxBytes) },
    );
  }
}

/**
 * The answer before any byte is read: a 200, and a Content-Length within the limit that
 * agrees with the size AWS gave. Returns the Content-Length; refuses (and closes) otherwise.
 */
function checkAnswer(
  response: IncomingMessage,
  source: string,
  { what, maxBytes, expectedBytes }: DownloadOptions,
): number | undefined {
  const status = response.statusCode ?? 0;
  if (status !== 200) {
    response.destroy();
    throw new PackageRefusedError(
      status === 403 ? "access_denied" : "endpoint_error",
      `${what}: ${source} answered HTTP ${status} instead of the package.`,
      {
        hint:
          status === 403
            ? "The presigned URL expired or was refused (a customer KMS key needs kms:Decrypt for the role): run the action again."
            : "Check what serves the package's location (endpoint_url, a proxy in between), then run the action again.",
        httpStatus: status,
      },
    );
  }
  const announced = announcedLength(response);
  if (announced !== undefined && announced > maxBytes) {
    response.destroy();
    throw new PackageRefusedError(
      "payload_too_large",
      `${what}: ${source} announces ${announced} bytes, over the ${maxBytes} byte limit; nothing was read.`,
      { hint: tooLargeHint(maxBytes) },
    );
  }
  if (announced !== undefined && expectedBytes !== undefined && announced !== expectedBytes) {
    response.destroy();
    throw new PackageSizeMismatchError(
      "endpoint_error",
      `${what}: ${source} announces ${announced} bytes but AWS gave the package's size as ${expectedBytes}; nothing was read.`,
      {
        hint: "The package at that location is not the one AWS describes: take the evidence again, and treat the difference as a finding.",
      },
    );
  }
  return announced;
}

/**
 * The body's bytes passed through a counter and a SHA-256: it fails as soon as it passes
 * `maxBytes` or `limit` (the size announced), and at its end when short of `limit`.
 */
function countedBody(
  source: string,
  limit: number | undefined,
  { what, maxBytes }: DownloadOptions,
): { body: Transform; bytes(): number; digest(): DownloadDigest } {
  const hash = createHash("sha256");
  let bytes = 0;
  let digested: DownloadDigest | undefined;
  const body = new Transform({
    highWaterMark: STREAM_BUFFER_BYTES,
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.byteLength;
      if (bytes > maxBytes || (limit !== undefined && bytes > limit)) {
        done(
          new PackageRefusedError(
            bytes > maxBytes ? "payload_too_large" : "endpoint_error",
            `${what}: ${source} sent more than ${bytes > maxBytes ? `the ${maxBytes} byte limit` : `the ${limit} bytes announced`}; reading stopped there.`,
            { hint: tooLargeHint(maxBytes) },
          ),
        );
        return;
      }
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      if (limit !== undefined && bytes !== limit) {
        done(
          new PackageRefusedError(
            "endpoint_error",
            `${what}: ${source} sent ${bytes} bytes of the ${limit} announced.`,
            { hint: "The download was cut short: run the action again." },
          ),
        );
        return;
      }
      digested = digestOf(hash, bytes);
      done();
    },
  });
  return {
    body,
    bytes: () => bytes,
    digest() {
      if (digested === undefined) {
        throw new Error("the download has not ended");
      }
      return digested;
    },
  };
}

/** Sends the GET and waits for its status and headers, under the signal. */
function get(url: string, options: DownloadOptions): Promise<IncomingMessage> {
  const secure = new URL(url).protocol === "https:";
  const send = secure ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    if (options.signal.aborted) {
      reject(deadlineError(options.what, sourceOf(url), 0));
      return;
    }
    // Node reads `highWaterMark` for the answer's buffer; its types do not list it yet.
    const requestOptions: RequestOptions & { highWaterMark: number } = {
      method: "GET",
      highWaterMark: STREAM_BUFFER_BYTES,
      agent: secure ? options.agents.https : options.agents.http,
      signal: options.signal,
    };
    const request = send(url, requestOptions);
    request.once("response", resolve);
    request.once("error", (error) =>
      reject(
        options.signal.aborted
          ? deadlineError(options.what, sourceOf(url), 0)
          : wrapNetworkError(error, options.what, sourceOf(url), options),
      ),
    );
    request.end();
  });
}

function announcedLength(response: IncomingMessage): number | undefined {
  const header = response.headers["content-length"];
  const value = header === undefined ? Number.NaN : Number(header);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function digestOf(hash: Hash, bytes: number): DownloadDigest {
  const digest = hash.digest();
  return { sha256Hex: digest.toString("hex"), sha256Base64: digest.toString("base64"), bytes };
}

function tooLargeHint(maxBytes: number): string {
  return `Lambda itself accepts no package above ${maxBytes} bytes, so this one is not what AWS stores: take the evidence again and check endpoint_url and anything in between.`;
}

function shortBody(
  what: string,
  source: string,
  bytes: number,
  limit: number | undefined,
): ConnectorError {
  return new PackageRefusedError(
    "endpoint_error",
    `${what}: the connection to ${source} closed after ${bytes} bytes${limit === undefined ? "" : ` of the ${limit} announced`}.`,
    { hint: "The download was cut short: run the action again." },
  );
}

function deadlineError(what: string, source: string, bytes: number): ConnectorError {
  return new ConnectorError(
    "request_timeout",
    `${what}: the download from ${source} did not finish within its deadline (${bytes} bytes read).`,
    {
      hint: "Raise download_timeout_seconds, or check the bandwidth to S3 (and the proxy, if one is used), then run the action again.",
    },
  );
}

function wrapNetworkError(
  error: Error,
  what: string,
  source: string,
  options: Pick<DownloadOptions, "signal">,
): ConnectorError {
  if (error instanceof ConnectorError) {
    return error;
  }
  if (options.signal.aborted) {
    return deadlineError(what, source, 0);
  }
  const code = (error as { code?: unknown }).code;
  return new ConnectorError(
    "network_error",
    `${what}: ${source} could not be downloaded${typeof code === "string" ? ` (${code})` : ""}.`,
    {
      hint: "Check that the machine (or its proxy) can reach S3, and the TLS settings (verify_ssl, AWS_CA_BUNDLE), then run the action again.",
      cause: error,
    },
  );
}
