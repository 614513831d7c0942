/**
 * Turbine's platform file API (see shared design TURBINE.md, "Files"): a file input
 * arrives as a reference, `{"file": "<id>", "file_name": "..."}`, whose bytes the
 * platform serves; a file output is uploaded and returned as such a reference.
 *
 * The token in `IPC_API_TOKEN` travels in the query string, so no URL that carries it
 * is ever quoted: messages show `${IPC_API_URI}/files/<id>` only, and foreign errors
 * are kept as `cause` without being copied into a message.
 */
import { randomUUID } from "node:crypto";
import { request as httpRequest, type IncomingMessage, type RequestOptions } from "node:http";
import { request as httpsRequest } from "node:https";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { z } from "zod";
import { ConnectorError, type ErrorCode, InvalidInputError } from "../errors.js";

/**
 * A file stored by the platform, as it appears among an action's inputs and outputs.
 *
 * @example
 * ```ts
 * const inputs = z.strictObject({ archive: fileReferenceSchema.meta({ title: "Archive" }) });
 * ```
 */
export const fileReferenceSchema = z
  .strictObject({
    file: z
      .string({
        error: (issue) => (issue.input === undefined ? "is required" : "must be a string"),
      })
      .min(1, "must not be empty")
      .meta({ description: "The platform's id of the file." }),
    file_name: z
      .string({
        error: (issue) => (issue.input === undefined ? "is required" : "must be a string"),
      })
      .min(1, "must not be empty")
      .meta({ description: "The file's name, extension included." }),
  })
  .meta({
    title: "File",
    description: "A file stored in Turbine: its platform id and its name.",
  });

/**
 * A validated file reference.
 *
 * @example
 * ```ts
 * const report: FileReference = { file: "6630f1c2a9", file_name: "report.zip" };
 * ```
 */
export type FileReference = z.output<typeof fileReferenceSchema>;

/**
 * What went wrong with a file. Until the error codes gain one for files, each kind is
 * reported under the closest existing code (see `FILE_ERROR_CODES`), so this is the one
 * place to change when they do.
 *
 * @example
 * ```ts
 * const retryable: FileErrorKind[] = ["timeout", "unreachable", "bad_status"];
 * ```
 */
export type FileErrorKind =
  | "environment"
  | "not_found"
  | "refused"
  | "too_large"
  | "bad_status"
  | "bad_answer"
  | "timeout"
  | "unreachable";

/**
 * How to reach the file API and what a file belongs to.
 *
 * @example
 * ```ts
 * const options: FileApiOptions = { field: "archive", env: process.env, timeoutMs: 30_000 };
 * ```
 */
export interface FileApiOptions {
  /** The action input or output the file belongs to; every error names it. */
  field: string;
  /** Where `IPC_API_URI` and `IPC_API_TOKEN` are read; injected so tests pass their own. */
  env: Readonly<Record<string, string | undefined>>;
  /** Deadline for the whole exchange, body included. Default 60 s. */
  timeoutMs?: number;
  /** Largest file read or sent, in bytes. Default 70 MiB. */
  maxBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/** Lambda takes deployment packages up to 50 MB zipped; this leaves room above that. */
const DEFAULT_MAX_BYTES = 70 * 1024 * 1024;

/**
 * How much of a streamed upload may wait for the socket: with the 16 KiB default each
 * chunk waits for the one before to leave, one write per turn of the event loop; 1 MiB
 * lets the chunks that arrive meanwhile leave together in one write.
 */
const UPLOAD_BUFFER_BYTES = 1024 * 1024;

/** An upload's answer is a small JSON object; anything bigger is not one. */
const MAX_ANSWER_BYTES = 64 * 1024;

const FILE_ERROR_CODES = {
  environment: "usage",
  not_found: "invalid_input",
  refused: "invalid_input",
  too_large: "payload_too_large",
  bad_status: "network_error",
  bad_answer: "network_error",
  // The same code the AWS calls use for a deadline, so playbooks branch on one value.
  timeout: "request_timeout",
  unreachable: "network_error",
} as const satisfies Record<FileErrorKind, ErrorCode>;

type InputErrorCode = ConstructorParameters<typeof InvalidInputError>[0];

type Direction = "download" | "upload";

/** One exchange with the file API: what every error about it needs to say. */
interface Exchange {
  direction: Direction;
  field: string;
  /** `METHOD url` with the token left out: the only form of the URL that is printed. */
  shown: string;
  signal: AbortSignal;
  timeoutMs: number;
  /** Whether the status and headers came back, so a later failure broke the answer. */
  answered: boolean;
}

/**
 * The bytes of a file input, fetched from the platform's file API.
 *
 * @example
 * ```ts
 * const reference = parseDocument(fileReferenceSchema, inputs.archive, "inputs");
 * const zip = await downloadFile(reference, { field: "archive", env: process.env });
 * ```
 */
export async function downloadFile(
  reference: FileReference,
  options: FileApiOptions,
): Promise<Uint8Array> {
  const api = fileApi(options, "download");
  const url = `${api.base}/files/${encodeURIComponent(reference.file)}`;
  const exchange = startExchange("download", options, `GET ${url}`);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  return exchanged(exchange, async () => {
    const response = await send(exchange, withToken(url, api.token), api.token, {});
    await checkStatus(response, exchange, reference.file);
    return readCapped(response, maxBytes, (size) =>
      fail("too_large", exchange, {
        message: `${exchange.field}: file "${reference.file_name}" is ${size}, over the ${maxBytes} byte limit for files`,
        hint: `Use a file of at most ${maxBytes} bytes.`,
      }),
    );
  });
}

/**
 * Uploads the bytes of a file output to the platform's file API and returns the
 * reference to put in the action's output.
 *
 * @example
 * ```ts
 * const log = await uploadFile(bytes, "invocation.log", { field: "log_file", env: process.env });
 * return { ...output, log_file: log };
 * ```
 */
export async function uploadFile(
  bytes: Uint8Array,
  fileName: string,
  options: FileApiOptions,
): Promise<FileReference> {
  const { api, url, exchange, maxBytes } = startUpload(options);
  if (bytes.byteLength > maxBytes) {
    throw fail("too_large", exchange, {
      message: `${exchange.field}: file "${fileName}" is ${bytes.byteLength} bytes, over the ${maxBytes} byte limit for files; nothing was uploaded`,
      hint: `Produce a file of at most ${maxBytes} bytes.`,
    });
  }
  return exchanged(exchange, async () => {
    const form = new FormData();
    form.append("files", new Blob([bytes]), fileName);
    const response = await send(exchange, withToken(url, api.token), api.token, {
      method: "POST",
      body: form,
    });
    return uploadAnswer(response, exchange, fileName);
  });
}

/**
 * Uploads a file output whose bytes arrive as a stream, without holding them: the
 * multipart body is written as the bytes come, so a package of tens of megabytes costs
 * a chunk of memory, not its size. A failure of `source` (a download refused half-way)
 * fails the upload with that very error; bytes past `maxBytes` fail it as too large.
 *
 * @example
 * ```ts
 * const evidence = await uploadFileStream(download.body, "echo-code.zip", { field: "code", env, maxBytes });
 * ```
 */
export async function uploadFileStream(
  source: AsyncIterable<Uint8Array>,
  fileName: string,
  options: FileApiOptions,
): Promise<FileReference> {
  const { api, url, exchange, maxBytes } = startUpload(options);
  const boundary = `----turbine-evidence-${randomUUID()}`;
  // Set once the request exists: the chunks of one turn of the event loop leave corked.
  let coalesce: () => void = () => {};
  const part = framedPart({ boundary, fileName, maxBytes, exchange }, () => coalesce());
  const stream = source instanceof Readable ? source : Readable.from(source, { objectMode: false });
  stream.once("error", part.sourceFailed);
  return exchanged(exchange, async () => {
    const request = openUpload(new URL(withToken(url, api.token)), boundary, exchange.signal);
    coalesce = corkingEachTurn(request);
    const answered = new Promise<IncomingMessage>((resolve, reject) => {
      request.once("response", resolve);
      request.once("error", reject);
    });
    let message: IncomingMessage;
    try {
      [, message] = await Promise.all([pipeline(stream, part.framed, request), answered]);
    } catch (error) {
      request.destroy();
      throw part.error() ?? error;
    }
    exchange.answered = true;
    return uploadAnswer(responseOf(message), exchange, fileName);
  });
}

/**
 * The multipart part around the file's bytes, which pass as they come, counted; a stream
 * source is piped, not iterated, so no chunk waits on a promise of its own on its way
 * to the socket. Past `maxBytes` it fails as too large. `error()` is the source's own
 * failure (a download refused half-way) or that one, whichever came first.
 */
function framedPart(
  part: { boundary: string; fileName: string; maxBytes: number; exchange: Exchange },
  onChunk: () => void,
): { framed: Transform; sourceFailed(error: unknown): void; error(): unknown } {
  const { boundary, fileName, maxBytes, exchange } = part;
  const opening = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${quotedFileName(fileName)}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const closing = Buffer.from(`\r\n--${boundary}--\r\n`);
  let sourceError: unknown;
  let sent = 0;
  const framed = new Transform({
    highWaterMark: UPLOAD_BUFFER_BYTES,
    transform(chunk: Uint8Array, _encoding, done) {
      sent += chunk.byteLength;
      if (sent > maxBytes) {
        sourceError = fail("too_large", exchange, {
          message: `${exchange.field}: file "${fileName}" is more than ${maxBytes} bytes, over the limit for files; the upload was stopped`,
          hint: `Produce a file of at most ${maxBytes} bytes.`,
        });
        done(sourceError as Error);
        return;
      }
      onChunk();
      done(null, chunk);
    },
    flush(done) {
      done(null, closing);
    },
  });
  framed.push(opening);
  return {
    framed,
    sourceFailed: (error) => {
      sourceError ??= error;
    },
    error: () => sourceError,
  };
}

/**
 * The POST, with Node's own client, not fetch: a piped body keeps Node's backpressure end
 * to end, where a web stream body costs a promise per chunk and buffers ahead. An upload
 * follows no redirect, so fetch's handling of them is not needed here.
 */
function openUpload(
  target: URL,
  boundary: string,
  signal: AbortSignal,
): ReturnType<typeof httpRequest> {
  // Node reads `highWaterMark` for the request's buffer; its types do not list it yet.
  const requestOptions: RequestOptions & { highWaterMark: number } = {
    method: "POST",
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
    highWaterMark: UPLOAD_BUFFER_BYTES,
    signal,
  };
  return (target.protocol === "https:" ? httpsRequest : httpRequest)(target, requestOptions);
}

/**
 * The chunks that arrive in one turn of the event loop (a download's 64 KiB socket
 * reads) leave in one writev, uncorked once the turn's reads are done: written one by
 * one, each is a system call (a traced 50 MiB run: 895 writev calls before, 387 corked).
 * The socket itself is corked, not the request: Node 22's request cork holds chunked
 * writes without ever emitting the drain its backpressure then waits for.
 */
function corkingEachTurn(request: ReturnType<typeof httpRequest>): () => void {
  let corked = false;
  return () => {
    const socket = request.socket;
    if (corked || socket === null) {
      return;
    }
    corked = true;
    socket.cork();
    setImmediate(() => {
      corked = false;
      socket.uncork();
    });
  };
}

/** Node's answer as a fetch Response, for the checks every upload's answer goes through. */
function responseOf(message: IncomingMessage): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      headers.append(name, one);
    }
  }
  const status = message.statusCode ?? 0;
  const empty = status === 204 || status === 304;
  if (empty) {
    message.resume();
  }
  return new Response(empty ? null : (Readable.toWeb(message) as ReadableStream<Uint8Array>), {
    status,
    headers,
  });
}

/** The file API, the upload URL, the exchange and the size limit of one upload. */
function startUpload(options: FileApiOptions) {
  const api = fileApi(options, "upload");
  const url = `${api.base}/files`;
  const exchange = startExchange("upload", options, `POST ${url}`);
  return { api, url, exchange, maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES };
}

/** A file name as a multipart header quotes it, the way browsers escape one. */
function quotedFileName(fileName: string): string {
  return fileName.replaceAll('"', "%22").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

/** The reference in the file API's answer to an upload. */
async function uploadAnswer(
  response: Response,
  exchange: Exchange,
  fileName: string,
): Promise<FileReference> {
  await checkStatus(response, exchange, undefined);
  const badAnswer = (what: string): ConnectorError =>
    fail("bad_answer", exchange, {
      message: `${exchange.field}: the platform's file API answered ${exchange.shown} with HTTP ${response.status} but ${what}, so the file has no id`,
      hint: "Check that IPC_API_URI points at Turbine's API (its /files endpoint), then run the action again.",
      httpStatus: response.status,
    });
  const answer = await readCapped(response, MAX_ANSWER_BYTES, () =>
    badAnswer("an answer too large to be the upload's result"),
  );
  const id = idIn(answer);
  if (id === undefined) {
    throw badAnswer('no string "id" in a JSON object');
  }
  return { file: id, file_name: fileName };
}

/**
 * Whether the platform's file API is configured (`IPC_API_URI` and `IPC_API_TOKEN`
 * set, the URI absolute): for an action that must know before it does any work that
 * its file outputs can be stored. Throws the same error an upload would.
 *
 * @example
 * ```ts
 * requireFileApi({ field: "code", env: executor.env }); // before the first download
 * ```
 */
export function requireFileApi(options: FileApiOptions): void {
  fileApi(options, "upload");
}

interface FileApi {
  /** `IPC_API_URI` without trailing slashes. */
  base: string;
  token: string;
}

function fileApi(options: FileApiOptions, direction: Direction): FileApi {
  const uri = requiredVariable("IPC_API_URI", options, direction);
  const token = requiredVariable("IPC_API_TOKEN", options, direction);
  if (!URL.canParse(uri)) {
    throw fail(
      "environment",
      { direction, field: options.field },
      {
        message: `${options.field}: IPC_API_URI is not an absolute URL; file inputs and outputs need the platform's file API`,
        hint: "Run the action inside Turbine, or set IPC_API_URI to the platform's API, e.g. http://127.0.0.1:8080.",
      },
    );
  }
  return { base: uri.replace(/\/+$/, ""), token };
}

function requiredVariable(
  name: "IPC_API_URI" | "IPC_API_TOKEN",
  options: FileApiOptions,
  direction: Direction,
): string {
  const value = options.env[name];
  if (value === undefined || value === "") {
    throw fail(
      "environment",
      { direction, field: options.field },
      {
        message: `${options.field}: ${name} is not set; file inputs and outputs need the platform's file API`,
        hint: "Run the action inside Turbine, or set IPC_API_URI and IPC_API_TOKEN.",
      },
    );
  }
  return value;
}

function startExchange(direction: Direction, options: FileApiOptions, shown: string): Exchange {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // One signal for the request and the body, so a server that stalls mid-body is bounded too.
  return {
    direction,
    field: options.field,
    shown,
    signal: AbortSignal.timeout(timeoutMs),
    timeoutMs,
    answered: false,
  };
}

/** Redirects a download follows at most. */
const MAX_REDIRECTS = 5;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Sends one request of an exchange. Redirects are followed by hand, and only for a
 * download: one to the file API's own origin as it is, one to another origin (a
 * storage service) without the token, and never when the token would still travel
 * in the new URL. `fetch` alone would follow any redirect with the URL as given.
 */
async function send(
  exchange: Exchange,
  url: string,
  token: string,
  init: RequestInit,
): Promise<Response> {
  const origin = new URL(url).origin;
  let current = url;
  for (let hops = 0; ; hops += 1) {
    const response = await fetch(current, { ...init, redirect: "manual", signal: exchange.signal });
    const location = response.headers.get("location");
    if (!REDIRECT_STATUSES.has(response.status) || location === null) {
      exchange.answered = true;
      return response;
    }
    await response.body?.cancel();
    if (
      exchange.direction === "upload" ||
      hops >= MAX_REDIRECTS ||
      !URL.canParse(location, current)
    ) {
      throw fail("bad_status", exchange, {
        message: `${exchange.field}: the platform's file API answered ${exchange.shown} with a redirect (HTTP ${response.status}) that is not followed${exchange.direction === "upload" ? " for an upload" : hops >= MAX_REDIRECTS ? ` after ${MAX_REDIRECTS} redirects` : ""}`,
        hint: "Check that IPC_API_URI points at Turbine's API itself (its /files endpoint), not at an address that redirects.",
        httpStatus: response.status,
      });
    }
    const next = new URL(location, current);
    if (next.origin !== origin) {
      next.searchParams.delete("token");
      if (carriesToken(next, token)) {
        throw fail("bad_status", exchange, {
          message: `${exchange.field}: the platform's file API redirected ${exchange.shown} to ${next.origin} with its token in the address; the token is never sent to another origin, so the redirect was not followed`,
          hint: "Check that IPC_API_URI points at Turbine's API itself, and what redirects its /files requests to another host.",
          httpStatus: response.status,
        });
      }
    }
    current = next.href;
  }
}

/**
 * Whether `url` holds `token` anywhere: as written, percent-encoded, or decoded from
 * its path, query (where `+` reads as a space) or fragment.
 */
function carriesToken(url: URL, token: string): boolean {
  const variants = [token, token.replaceAll("+", " ")];
  const texts = [
    url.href,
    decoded(url.pathname),
    decoded(url.hash),
    decoded(url.username),
    decoded(url.password),
    ...[...url.searchParams].flat(),
  ];
  return texts.some((text) =>
    variants.some(
      (variant) => text.includes(variant) || text.includes(encodeURIComponent(variant)),
    ),
  );
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function withToken(url: string, token: string): string {
  return `${url}?token=${encodeURIComponent(token)}`;
}

/**
 * Runs the network part of an exchange and wraps whatever foreign error it throws,
 * once; the connector's own errors pass unchanged.
 */
async function exchanged<T>(exchange: Exchange, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ConnectorError) {
      throw error;
    }
    // Whatever failed once the deadline passed failed because of it.
    if (exchange.signal.aborted) {
      throw fail("timeout", exchange, {
        message: `${exchange.field}: no complete answer from the platform's file API to ${exchange.shown} within ${exchange.timeoutMs} ms`,
        hint: "Check that Turbine's API at IPC_API_URI is up and reachable from the connector, then run the action again.",
        cause: error,
      });
    }
    const code = nodeErrorCode(error);
    if (exchange.answered) {
      throw fail("unreachable", exchange, {
        message: `${exchange.field}: the connection to the platform's file API broke while it answered ${exchange.shown}${code === undefined ? "" : ` (${code})`}`,
        hint: "The platform or something on the way closed the connection: run the action again, and check the platform's health if it keeps happening.",
        cause: error,
      });
    }
    throw fail("unreachable", exchange, {
      message: `${exchange.field}: the platform's file API could not be reached for ${exchange.shown}${code === undefined ? "" : ` (${code})`}`,
      hint: "Check that IPC_API_URI points at Turbine's API and that the connector can reach it, then run the action again.",
      cause: error,
    });
  }
}

async function checkStatus(
  response: Response,
  exchange: Exchange,
  fileId: string | undefined,
): Promise<void> {
  if (response.ok) {
    return;
  }
  // An unread body would hold the connection open until the deadline.
  await response.body?.cancel();
  const status = response.status;
  if (status === 404 && fileId !== undefined) {
    throw fail("not_found", exchange, {
      message: `${exchange.field}: file id "${fileId}" was not found (${exchange.shown} answered HTTP 404)`,
      hint: `Check that ${exchange.field} refers to a file stored in Turbine: its "file" must be the id the platform gave the file, and the file must not have been deleted.`,
      httpStatus: status,
    });
  }
  if (status === 401 || status === 403) {
    throw fail("refused", exchange, {
      message: `${exchange.field}: the platform's file API refused the token (${exchange.shown} answered HTTP ${status})`,
      hint: "Turbine sets IPC_API_TOKEN for each run: run the action from Turbine again, or, when running it by hand, set IPC_API_TOKEN to a current token.",
      httpStatus: status,
    });
  }
  throw fail("bad_status", exchange, {
    message: `${exchange.field}: the platform's file API answered ${exchange.shown} with HTTP ${status}`,
    hint: "Check that IPC_API_URI points at Turbine's API and that the platform is healthy, then run the action again.",
    httpStatus: status,
  });
}

/**
 * The body of `response`, refused as soon as it is known to pass `maxBytes`: from its
 * declared length when there is one, else while it streams in.
 */
async function readCapped(
  response: Response,
  maxBytes: number,
  tooLarge: (size: string) => ConnectorError,
): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? "");
  if (Number.isSafeInteger(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge(`${declared} bytes`);
  }
  const reader = response.body?.getReader();
  if (reader === undefined) {
    return new Uint8Array(0);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(`more than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function idIn(answer: Uint8Array): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(answer));
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) {
    return undefined;
  }
  const { id } = parsed as { id?: unknown };
  return typeof id === "string" && id !== "" ? id : undefined;
}

/** `fetch` reports socket failures as "fetch failed" with the Node error as its cause. */
function nodeErrorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === "string" ? cause.code : undefined;
}

interface FailureText {
  message: string;
  hint: string;
  httpStatus?: number;
  cause?: unknown;
}

/**
 * The error for a `kind` of failure. A download fails before the action does its work,
 * so what is wrong with its input is an invalid input (exit 2, nothing ran); an upload
 * comes after the work is done, so its failures never claim that nothing ran.
 */
function fail(
  kind: FileErrorKind,
  exchange: Pick<Exchange, "direction" | "field">,
  text: FailureText,
): ConnectorError {
  const code = FILE_ERROR_CODES[kind];
  const { message, ...details } = text;
  if (exchange.direction === "download" && isInputErrorCode(code)) {
    return new InvalidInputError(code, message, { field: exchange.field, ...details });
  }
  return new ConnectorError(code, message, { field: exchange.field, ...details });
}

function isInputErrorCode(code: ErrorCode): code is InputErrorCode {
  return (
    code === "invalid_asset" ||
    code === "invalid_input" ||
    code === "usage" ||
    code === "payload_too_large"
  );
}
