import { readFileSync } from "node:fs";
import { type Agent, Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { ConnectOpts, Socket } from "node:net";
import { pipeline, Readable, Transform } from "node:stream";
import { rootCertificates } from "node:tls";
import type { HttpHandler as SmithyHttpHandler } from "@smithy/core/protocols";
import { NodeHttpHandler, type NodeHttpHandlerOptions } from "@smithy/node-http-handler";
import { getProxyForUrl as proxyFromEnvironment } from "proxy-from-env";
import { ConnectorError } from "../errors.js";
import { PROXY_VARIABLES, redactUrl } from "../redaction.js";

/** Everything about the network path to AWS that the asset and environment decide. */
export interface NetworkSettings {
  /** The asset's proxy; when absent the standard proxy environment variables apply. */
  proxyUrl: string | undefined;
  verifySsl: boolean;
}

/** Lambda runs a function for at most 900 s; a synchronous invoke must outwait it. */
export const INVOKE_TIMEOUT_MS = 910_000;

/** Control-plane calls and STS answer in milliseconds; one silent this long is not going to answer. */
export const CONTROL_PLANE_TIMEOUT_MS = 30_000;

/** A connection that is not up after this long is not coming up. */
export const CONNECTION_TIMEOUT_MS = 10_000;

/**
 * The agents of one asset's network path: every handler built on them shares
 * connections. The https agent is built on first use: building it loads Node's TLS
 * stack (~4.5 ms of a run's start), which a run against a plain-http endpoint (a local
 * emulator) never needs.
 */
export interface Agents {
  readonly http: Agent;
  readonly https: Agent;
  /** Closes both agents' sockets (the https agent's only if it was built). */
  destroy(): void;
}

/** {@link Agents} of `http` and the https agent `buildHttps` returns on first use. */
export function agentsOf(http: Agent, buildHttps: () => Agent): Agents {
  let https: Agent | undefined;
  return {
    http,
    get https() {
      https ??= buildHttps();
      return https;
    },
    destroy() {
      http.destroy();
      https?.destroy();
    },
  };
}

/**
 * Builds the agents for an asset. When a proxy applies (the asset's, or one from
 * HTTPS_PROXY/HTTP_PROXY/ALL_PROXY) they come from ./proxyAgent.js, so http, https and
 * socks proxies all work (the AWS SDK itself ignores the proxy variables); when none
 * does, Node's own agents serve, and the proxy agent is never loaded.
 *
 * @example
 * ```ts
 * const agents = await createAgents({ proxyUrl: "http://proxy.corp:3128", verifySsl: true });
 * ```
 */
export async function createAgents(settings: NetworkSettings): Promise<Agents> {
  const { proxyUrl, verifySsl } = settings;
  const ca = extraCertificateAuthorities();
  // Keep-alive reuses a connection (or a CONNECT tunnel) to the same https host, which
  // is sound; so it is straight to a plain-http host (a local endpoint), where a new
  // connection per call would cost more than the call. For a plain-http target through
  // a proxy, a reused proxy socket would skip the agent that rewrites the request into
  // absolute-URI form and adds Proxy-Authorization, so the proxy would get a bare path:
  // no keep-alive there. Node frees an idle socket a second before the server's
  // Keep-Alive timeout, so a reused one is not one the server is closing.
  if (proxyUrl === undefined && !proxyInEnvironment()) {
    return agentsOf(
      new HttpAgent({ keepAlive: true }),
      () =>
        new HttpsAgent({
          keepAlive: true,
          rejectUnauthorized: verifySsl,
          ...(ca === undefined ? {} : { ca }),
        }),
    );
  }
  const { createProxyAgent } = await import("./proxyAgent.js");
  const agent = (keepAlive: boolean) =>
    createProxyAgent({ keepAlive, rejectUnauthorized: verifySsl, ca, proxyUrl });
  return agentsOf(agent(false), () => agent(true));
}

/**
 * Agents for the calls whose answer is a long stream (a response stream of up to 200 MB),
 * or `undefined` when a proxy applies (its agents build their sockets themselves): the
 * run's own agents serve then. Each socket of these reads into one buffer of its own,
 * reused for every read. By default Node reads each chunk into a new buffer, which the
 * HTTP parser copies the body out of at once, so a stream read up to 6 MB left 6 MB of
 * such buffers behind, freed only when the garbage collector next runs (late: what fills
 * its young generation is objects, not these buffers). Their connections are never kept
 * alive: a stream's is closed once it is read.
 *
 * @example
 * ```ts
 * const agents = createStreamAgents({ proxyUrl: undefined, verifySsl: true }) ?? runAgents;
 * ```
 */
export function createStreamAgents(settings: NetworkSettings): Agents | undefined {
  if (settings.proxyUrl !== undefined || proxyInEnvironment()) {
    return undefined;
  }
  const ca = extraCertificateAuthorities();
  return agentsOf(readingIntoOneBuffer(new HttpAgent({ keepAlive: false })), () =>
    readingIntoOneBuffer(
      new HttpsAgent({
        keepAlive: false,
        rejectUnauthorized: settings.verifySsl,
        ...(ca === undefined ? {} : { ca }),
      }),
    ),
  );
}

/** Bytes a socket reads at most at once: what Node reads into by default. */
const READ_BUFFER_BYTES = 64 * 1024;

/**
 * Socket options that make the socket read into one buffer. With `onread` a socket hands
 * what it read to the callback instead of emitting it: the callback emits it as the
 * `data` the HTTP client listens for, whose parser is done with it (it copies the body,
 * and decodes the headers into strings) before the next read reuses the buffer.
 */
function readIntoOneBuffer(): NonNullable<ConnectOpts["onread"]> {
  return {
    buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES),
    callback(this: Socket, bytes: number, buffer: Uint8Array): boolean {
      this.emit("data", Buffer.from(buffer.buffer, buffer.byteOffset, bytes));
      return true;
    },
  };
}

/** `agent`, with every socket it connects reading into one buffer of its own. */
function readingIntoOneBuffer<A extends HttpAgent>(agent: A): A {
  const connect = agent.createConnection.bind(agent);
  agent.createConnection = (options, callback) =>
    connect({ ...options, onread: readIntoOneBuffer() } as typeof options, callback);
  return agent;
}

/** Whether a proxy variable is set, so that some request may go through a proxy. */
function proxyInEnvironment(): boolean {
  return PROXY_VARIABLES.some((name) => (process.env[name] ?? "") !== "");
}

/**
 * An HTTP handler on `agents` whose calls time out after `requestTimeoutMs` unless
 * the call says otherwise. Handlers on the same agents share their connections (and
 * so one CONNECT tunnel), whatever their timeouts.
 *
 * Request timeouts are made to throw (`throwOnRequestTimeout`): by default the SDK
 * only logs a warning and keeps waiting.
 *
 * @example
 * ```ts
 * new STSClient({ requestHandler: createHttpHandler(agents, CONTROL_PLANE_TIMEOUT_MS) });
 * ```
 */
export function createHttpHandler(
  agents: Agents,
  requestTimeoutMs: number,
  maxBodyBytes: number = MAX_RESPONSE_BYTES,
): HttpHandler {
  return new HttpHandler(
    agents,
    {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
    maxBodyBytes,
  );
}

/**
 * Largest answer body read from AWS. Lambda never returns more than 6 MB from a
 * synchronous invoke (and far less from any other call), so anything past this came
 * from something that is not Lambda; reading it all would only exhaust memory.
 */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024 + 64 * 1024;

/** An answer body went past {@link MAX_RESPONSE_BYTES}; reading stopped there. */
export class ResponseTooLargeError extends Error {
  override readonly name = "ResponseTooLargeError";
  readonly limit: number;
  readonly status: number;

  constructor(limit: number, status: number) {
    super(`The answer's body went past ${limit} bytes; reading stopped there.`);
    this.limit = limit;
    this.status = status;
  }
}

/**
 * The SDK's Node handler, with every answer body cut off at a byte limit; one for
 * plain-http targets and one for https targets, each built on its first request, so
 * that the https agent (and with it Node's TLS stack) is built only for an https call.
 */
export class HttpHandler implements SmithyHttpHandler<NodeHttpHandlerOptions> {
  readonly metadata = { handlerProtocol: "http/1.1" };
  private readonly agents: Agents;
  private readonly options: NodeHttpHandlerOptions;
  private readonly maxBodyBytes: number;
  private plain: NodeHttpHandler | undefined;
  private secure: NodeHttpHandler | undefined;

  constructor(agents: Agents, options: NodeHttpHandlerOptions, maxBodyBytes: number) {
    this.agents = agents;
    this.options = { ...options };
    this.maxBodyBytes = maxBodyBytes;
  }

  async handle(
    ...args: Parameters<NodeHttpHandler["handle"]>
  ): ReturnType<NodeHttpHandler["handle"]> {
    const result = await this.handlerFor(args[0].protocol).handle(...args);
    const { response } = result;
    // Node's parser reads no more of a body than its Content-Length: one within the limit
    // cannot go past it, and is handed on as it is (no stream per call to count it).
    if (response.body instanceof Readable && !withinLength(response.headers, this.maxBodyBytes)) {
      response.body = capped(response.body, this.maxBodyBytes, response.statusCode);
    }
    return result;
  }

  updateHttpClientConfig(
    key: keyof NodeHttpHandlerOptions,
    value: NodeHttpHandlerOptions[typeof key],
  ): void {
    (this.options as Record<string, unknown>)[key] = value;
    this.plain?.updateHttpClientConfig(key, value);
    this.secure?.updateHttpClientConfig(key, value);
  }

  httpHandlerConfigs(): NodeHttpHandlerOptions {
    return { ...this.options };
  }

  /** Closes the agents' sockets, as the SDK's handler does when its client is destroyed. */
  destroy(): void {
    this.agents.destroy();
  }

  private handlerFor(protocol: string): NodeHttpHandler {
    if (protocol === "https:") {
      this.secure ??= new NodeHttpHandler({
        ...this.options,
        httpAgent: this.agents.http,
        httpsAgent: this.agents.https,
      });
      return this.secure;
    }
    // Given no https agent the SDK's handler would build one; this one never sends to an
    // https target, so the http agent stands in (it would refuse an https request).
    this.plain ??= new NodeHttpHandler({
      ...this.options,
      httpAgent: this.agents.http,
      httpsAgent: this.agents.http,
    });
    return this.plain;
  }
}

/** Whether the answer declares a Content-Length of at most `limit` bytes. */
function withinLength(headers: Record<string, string | undefined>, limit: number): boolean {
  const declared = headers["content-length"];
  return declared !== undefined && /^\d{1,15}$/.test(declared) && Number(declared) <= limit;
}

/** `body` passed through, failing with {@link ResponseTooLargeError} past `limit` bytes. */
function capped(body: Readable, limit: number, status: number): Readable {
  let seen = 0;
  const counter = new Transform({
    // Its side that is read hands on each chunk as it came: a byte stream's read() joins
    // every chunk waiting into one new buffer, one more copy of the body for each reader
    // (an event stream's decoder reads it chunk by chunk). One chunk waits at most.
    readableObjectMode: true,
    readableHighWaterMark: 1,
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.byteLength;
      if (seen > limit) {
        done(new ResponseTooLargeError(limit, status));
        return;
      }
      done(null, chunk);
    },
  });
  // pipeline destroys the socket's stream when the counter fails, so nothing more is read.
  pipeline(body, counter, () => undefined);
  return counter;
}

/**
 * The proxy a request to `targetUrl` goes through, with any password masked, or
 * `undefined` for a direct connection. For error messages only.
 */
export function describeProxyFor(
  proxyUrl: string | undefined,
  targetUrl: string,
): string | undefined {
  const effective = proxyUrl ?? proxyFromEnvironment(targetUrl);
  return effective === "" ? undefined : redactUrl(effective);
}

/**
 * Node reads NODE_EXTRA_CA_CERTS by itself, but only into its default store, which
 * an explicit `ca` replaces; AWS_CA_BUNDLE is the AWS tools' own variable. With
 * AWS_CA_BUNDLE set, trust Node's roots plus both files.
 */
function extraCertificateAuthorities(): string[] | undefined {
  const bundle = process.env.AWS_CA_BUNDLE;
  if (bundle === undefined || bundle === "") {
    return undefined;
  }
  const files = [bundle, process.env.NODE_EXTRA_CA_CERTS].filter(
    (file): file is string => file !== undefined && file !== "",
  );
  return [...rootCertificates, ...files.map(readCertificateFile)];
}

function readCertificateFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (cause) {
    // The machine's environment is at fault, not the asset or inputs: exit 1, no field.
    throw new ConnectorError("network_error", `The CA bundle ${path} cannot be read.`, {
      hint: "Point AWS_CA_BUNDLE (and NODE_EXTRA_CA_CERTS) at a readable PEM file, or unset it.",
      cause,
    });
  }
}
