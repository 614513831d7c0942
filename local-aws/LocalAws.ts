import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { CredentialStore } from "./auth/CredentialStore.js";
import type { ReceivedRequest } from "./auth/verifySignature.js";
import { handleControl } from "./control/handleControl.js";
import { defaultWorld } from "./defaultWorld.js";
import { Ec2Service } from "./ec2/Ec2Service.js";
import { Faults } from "./Faults.js";
import { headerValue } from "./http/headerValue.js";
import type { Handled, Reply } from "./http/Reply.js";
import { readBody } from "./http/readBody.js";
import { serviceOf } from "./http/serviceOf.js";
import { IamService } from "./iam/IamService.js";
import { FunctionRunner, type TimeoutTimer } from "./lambda/FunctionRunner.js";
import { LambdaService } from "./lambda/LambdaService.js";
import { lambdaError } from "./lambda/lambdaError.js";
import { type RateLimit, RateLimiter } from "./lambda/RateLimiter.js";
import { RunCounts } from "./lambda/RunCounts.js";
import type { RecordedRequest } from "./RecordedRequest.js";
import { PackageDownloads } from "./s3/PackageDownloads.js";
import { StsService } from "./sts/StsService.js";
import { stsError } from "./sts/stsXml.js";
import type { World } from "./World.js";

/** How to start the endpoint. */
export interface LocalAwsOptions {
  /** Users, roles and functions; {@link defaultWorld} when not given. */
  world: World;
  /**
   * Caps the lifetime of AssumeRole credentials: they expire after
   * min(DurationSeconds, this), so a test can watch them expire within seconds.
   */
  credentialLifetimeSeconds: number | undefined;
  /** Interface to listen on; 127.0.0.1 by default. */
  host: string;
  /** Port to listen on; 0 (any free port) by default. */
  port: number;
  /** PEM certificate and key: serve HTTPS instead of HTTP, for TLS and CONNECT-proxy tests. */
  tls: { cert: string; key: string } | undefined;
  /**
   * The endpoint's clock, in epoch milliseconds, for credential issue and expiry checks;
   * `Date.now` by default. A test advances its own to let credentials expire at once.
   */
  now: () => number;
  /**
   * How long, by that clock, a created function stays `Pending` before it is `Active`,
   * and an updated event source mapping `Enabling` or `Disabling`: 300 ms by default, 0
   * for at once.
   */
  stateTransitionMs: number;
  /**
   * Times each invocation's timeout (the function's `timeoutSeconds`); the real clock by
   * default. A test that checks what a timeout does may expire it at once.
   */
  functionTimeoutTimer: TimeoutTimer;
  /**
   * AWS-like throttling of Lambda calls: a token bucket per account, region and
   * operation, on `now`; none by default.
   */
  rateLimit: RateLimit | undefined;
  /** How long each Lambda control-plane answer is held back, as AWS's take tens of ms; 0 by default. */
  latencyMs: number;
  /**
   * Reuse execution environments, as Lambda does: a worker whose invocation returned
   * cleanly is kept and runs the next invocation of the same function, version, code and
   * configuration (never after a timeout, failure, crash or abort). Off by default: every
   * invocation gets a fresh worker, a cold start, so that invocations stay independent.
   */
  warmEnvironments: boolean;
}

/** A running local AWS endpoint (Lambda, STS and IAM on one URL). */
export interface LocalAws {
  /** Base URL for both services, e.g. `http://127.0.0.1:54321`: the SDK's `endpoint`. */
  url: string;
  /** The users, roles and functions in force; changes apply to the next request. */
  world: World;
  /** Fault injection for the next requests. */
  faults: Faults;
  /**
   * The packages GetFunction and the layer reads point at, served on this endpoint under
   * `/__packages/`, with their own faults (tampered bytes, a wrong size, a stall).
   */
  downloads: PackageDownloads;
  /**
   * How many times a function's handler really started: for one version or alias when
   * a qualifier is given (`$LATEST` for unqualified calls), for all versions otherwise.
   */
  runCount(functionName: string, qualifier?: string): number;
  /** Successful AssumeRole calls. */
  assumeRoleCount(): number;
  /** Every Lambda, STS and IAM request served, oldest first. */
  requests: RecordedRequest[];
  /** Resolves once no Event (asynchronous) invocation is running. */
  whenIdle(): Promise<void>;
  /** Stops the server, its open connections and every running handler. */
  close(): Promise<void>;
}

/** Bodies past this are refused unread: far above Lambda's own 6 MB limit. */
const BODY_LIMIT = 16 * 1024 * 1024;
const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::") {
    return "127.0.0.1";
  }
  return host.includes(":") ? `[${host}]` : host;
}

/**
 * Starts a local endpoint that speaks AWS's real wire protocols for Lambda (REST-JSON
 * Invoke and the control plane a responder uses, listed in `local-aws/README.md`) and
 * STS (query-protocol AssumeRole, GetCallerIdentity) and IAM (query-protocol reads of
 * roles and their policies, PutRolePolicy, DeleteRolePolicy), checks
 * SigV4 signatures and IAM permissions the way AWS does, runs handlers in worker threads
 * with their timeouts, and injects faults on request. The AWS SDK v3 clients work
 * against it unchanged, with `endpoint` set to its URL.
 *
 * @example
 * ```ts
 * const aws = await startLocalAws({ credentialLifetimeSeconds: 2 });
 * const lambda = new LambdaClient({ endpoint: aws.url, region: "us-east-1", credentials });
 * await lambda.send(new InvokeCommand({ FunctionName: "echo", Payload: '{"hi":1}' }));
 * expect(aws.runCount("echo")).toBe(1);
 * await aws.close();
 * ```
 */
export async function startLocalAws(options: Partial<LocalAwsOptions> = {}): Promise<LocalAws> {
  const world = options.world ?? defaultWorld();
  const host = options.host ?? "127.0.0.1";
  const faults = new Faults();
  const store = new CredentialStore(world);
  const runner = new FunctionRunner(options.functionTimeoutTimer, options.warmEnvironments);
  const runs = new RunCounts();
  const requests: RecordedRequest[] = [];
  const now = options.now ?? Date.now;
  const downloads = new PackageDownloads(now);
  const lambda = new LambdaService({
    downloads,
    world,
    store,
    faults,
    runner,
    runs,
    now,
    stateTransitionMs: options.stateTransitionMs ?? 300,
    rateLimiter:
      options.rateLimit === undefined ? undefined : new RateLimiter(options.rateLimit, now),
    latencyMs: options.latencyMs,
  });
  const ec2 = new Ec2Service({ world, store, now });
  const sts = new StsService({
    world,
    store,
    faults,
    credentialLifetimeSeconds: options.credentialLifetimeSeconds,
    now,
  });
  const iam = new IamService({ world, store, faults, now });
  const closing = new AbortController();
  let url = "";

  const state = () => ({
    url,
    runCounts: runs.snapshot(),
    assumeRoleCount: sts.assumeRoleCount,
    pendingFaults: faults.pending(),
    requests,
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const target = req.url ?? "/";
    const queryAt = target.indexOf("?");
    const rawPath = queryAt < 0 ? target : target.slice(0, queryAt);
    const rawQuery = queryAt < 0 ? "" : target.slice(queryAt + 1);
    const method = req.method ?? "GET";
    if (method === "GET" && rawPath.startsWith("/__packages/")) {
      // Presigned like S3's: the signature in the query is the whole of the check.
      await downloads.serve(rawPath, rawQuery, res);
      return;
    }
    const body = await readBody(req, BODY_LIMIT);

    if (rawPath.startsWith("/__local/")) {
      // Unsigned on purpose, so only callers on this machine may use it.
      const reply = LOOPBACK.has(req.socket.remoteAddress ?? "")
        ? handleControl(method, rawPath, body ?? Buffer.alloc(0), { faults, state })
        : ({ kind: "respond", status: 403, headers: {}, body: "" } as const);
      await send(res, reply, requestId);
      return;
    }

    const service = serviceOf(rawPath, req.headers);
    let handled: Handled;
    if (body === undefined) {
      handled = {
        reply:
          service === "lambda"
            ? lambdaError(
                413,
                "RequestTooLargeException",
                "Request must be smaller than 6291456 bytes for the InvokeFunction operation",
              )
            : stsError(413, "RequestEntityTooLarge", "Request body too large", requestId),
        record: { service, action: "Unknown", region: undefined, accessKeyId: undefined },
      };
    } else {
      const request: ReceivedRequest = { method, rawPath, rawQuery, headers: req.headers, body };
      try {
        handled =
          service === "lambda"
            ? await lambda.handle(request, requestId)
            : service === "iam"
              ? await iam.handle(request, requestId)
              : service === "ec2"
                ? await ec2.handle(request, requestId)
                : await sts.handle(request, requestId);
      } catch (error) {
        // A bug here must show up in the failing test, not as a hung request.
        const message = `local-aws failed: ${(error as Error).stack ?? String(error)}`;
        handled = {
          reply:
            service === "lambda"
              ? lambdaError(500, "ServiceException", message)
              : stsError(500, "InternalFailure", message, requestId),
          record: { service, action: "Unknown", region: undefined, accessKeyId: undefined },
        };
      }
    }
    const status = await send(res, handled.reply, requestId);
    const userAgent =
      headerValue(req.headers, "x-amz-user-agent") ?? headerValue(req.headers, "user-agent");
    requests.push({
      requestId,
      ...handled.record,
      status,
      ...(userAgent === undefined ? {} : { userAgent }),
    });
  }

  /** Writes a reply (or drops the connection); returns the status sent, 0 for a reset. */
  async function send(res: ServerResponse, reply: Reply, requestId: string): Promise<number> {
    if (reply.kind === "reset") {
      res.socket?.destroy();
      return 0;
    }
    if (reply.kind === "stream") {
      return sendStream(res, reply, requestId);
    }
    if (reply.delayMs !== undefined) {
      try {
        await sleep(reply.delayMs, undefined, { signal: closing.signal });
      } catch {
        return 0;
      }
    }
    if (res.destroyed) {
      return 0;
    }
    res.writeHead(
      reply.status,
      withLength(
        reply.status,
        reply.withoutRequestId === true
          ? reply.headers
          : { ...reply.headers, "x-amzn-RequestId": requestId },
        reply.body,
      ),
    );
    res.end(reply.body);
    return reply.status;
  }

  /**
   * Writes a streamed reply as its producer yields it, waiting for the socket to drain
   * after each write (a client that reads slowly slows the producer down), and stops the
   * producer when the client hangs up or the endpoint closes.
   */
  async function sendStream(
    res: ServerResponse,
    reply: Extract<Reply, { kind: "stream" }>,
    requestId: string,
  ): Promise<number> {
    const gone = new AbortController();
    const stop = () => gone.abort();
    res.once("close", stop);
    closing.signal.addEventListener("abort", stop, { once: true });
    res.writeHead(reply.status, { ...reply.headers, "x-amzn-RequestId": requestId });
    try {
      for await (const frame of reply.body(gone.signal)) {
        if (gone.signal.aborted || res.destroyed) {
          break;
        }
        if (!res.write(frame)) {
          await new Promise<void>((resolve) => {
            const done = () => {
              res.off("drain", done);
              gone.signal.removeEventListener("abort", done);
              resolve();
            };
            res.once("drain", done);
            gone.signal.addEventListener("abort", done, { once: true });
          });
        }
      }
    } finally {
      closing.signal.removeEventListener("abort", stop);
      if (!res.destroyed) {
        res.end();
      }
    }
    return reply.status;
  }

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    // Only a client that hung up mid-body gets here; there is no one left to answer.
    serve(req, res).catch(() => res.destroy());
  };
  const server =
    options.tls === undefined ? createServer(handle) : createHttpsServer(options.tls, handle);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  url = `${options.tls === undefined ? "http" : "https"}://${urlHost(host)}:${port}`;
  downloads.baseUrl = url;

  return {
    url,
    world,
    faults,
    downloads,
    requests,
    runCount(functionName, qualifier) {
      if (qualifier === undefined) {
        return runs.count(functionName);
      }
      const fn = world.functions.find((candidate) => candidate.name === functionName);
      return runs.count(functionName, fn?.aliases?.[qualifier] ?? qualifier);
    },
    assumeRoleCount: () => sts.assumeRoleCount,
    whenIdle: () => lambda.idle(),
    async close() {
      closing.abort();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await runner.close();
      await stopped;
    },
  };
}

/**
 * `headers` with the body's Content-Length, as AWS sends it on every answer that is not
 * streamed (writeHead alone would make Node send the body chunked); a reply that names
 * its own length or framing (a fault's) keeps it.
 */
function withLength(
  status: number,
  headers: Record<string, string>,
  body: string | Buffer,
): Record<string, string> {
  const framed = Object.keys(headers).some((name) =>
    /^(content-length|transfer-encoding)$/i.test(name),
  );
  return framed || status === 204 || status === 304 || (status >= 100 && status < 200)
    ? headers
    : { ...headers, "content-length": String(Buffer.byteLength(body)) };
}
