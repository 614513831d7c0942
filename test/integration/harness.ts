/**
 * The integration tests' shared fixtures: the local AWS endpoint and real proxy servers,
 * started once per file, and one run of the connector in-process, read back the way
 * Turbine reads the entry's output.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { createProxy } from "proxy";
import { afterAll, beforeAll, expect, vi } from "vitest";
import {
  DEMO_ACCOUNT_ID,
  DEMO_REGION,
  DEMO_ROLE,
  DEMO_USER,
  defaultWorld,
  demoAsset,
  demoResponderAsset,
  PUBLIC_WEBHOOK,
} from "../../local-aws/defaultWorld.js";
import { type LocalAws, type LocalAwsOptions, startLocalAws } from "../../local-aws/LocalAws.js";
import type { FunctionDefinition, World } from "../../local-aws/World.js";
import type { ErrorLine } from "../../src/errors.js";
import { type RunOptions, runConnector } from "../../src/runConnector.js";
import { OUTPUT_PREFIX, parseErrorLine } from "../../src/turbine/contract.js";

/** The demo world's identities, as the local endpoint knows them. */
export const DEMO = {
  accessKeyId: DEMO_USER.accessKeyId,
  secretAccessKey: DEMO_USER.secretAccessKey,
  roleArn: DEMO_ROLE.arn,
  externalId: DEMO_ROLE.externalId,
  account: DEMO_ACCOUNT_ID,
} as const;

/** An asset that reaches the local endpoint at `url` through the demo role. */
export function localAsset(
  url: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return { ...demoAsset(url), ...overrides };
}

const TLS_DIR = resolve(import.meta.dirname, "..", "fixtures", "tls");

/** A certificate and key of `test/fixtures/tls`, and the certificate's path. */
export function tlsFixture(name: "localhost" | "ip-only" | "other-ip"): {
  cert: string;
  key: string;
  certFile: string;
} {
  const certFile = resolve(TLS_DIR, `${name}.crt`);
  return {
    cert: readFileSync(certFile, "utf8"),
    key: readFileSync(resolve(TLS_DIR, `${name}.key`), "utf8"),
    certFile,
  };
}

/**
 * Starts a local AWS endpoint before the tests of the enclosing `describe` (or file) and
 * closes it after them. Returns a getter: the endpoint exists only once tests run.
 *
 * @example
 * ```ts
 * const aws = useLocalAws();
 * it("invokes", async () => {
 *   const run = await runAction("invoke_function", { asset: localAsset(aws().url), inputs });
 * });
 * ```
 */
export function useLocalAws(options: Partial<LocalAwsOptions> = {}): () => LocalAws {
  return useServer("local AWS endpoint", () => startLocalAws(options));
}

/** A real proxy on 127.0.0.1 for the enclosing tests, as {@link useLocalAws} starts the endpoint. */
export function useProxy(credentials?: { user: string; password: string }): () => RecordingProxy {
  return useServer("proxy", () => startProxy(credentials));
}

function useServer<T extends { close(): Promise<void> }>(
  name: string,
  start: () => Promise<T>,
): () => T {
  let server: T | undefined;
  beforeAll(async () => {
    server = await start();
  });
  afterAll(async () => {
    await server?.close();
    server = undefined;
  });
  return () => {
    if (server === undefined) {
      throw new Error(`the ${name} runs only while the tests that use it run`);
    }
    return server;
  };
}

/** The actions the endpoint served from the `from`th request on (negative: the last ones). */
export function actionsServed(aws: LocalAws, from = 0): string[] {
  return aws.requests.slice(from).map((request) => request.action);
}

/** The request ID of the endpoint's latest answer (to `action`, when given). */
export function lastRequestId(aws: LocalAws, action?: string): string | undefined {
  return aws.requests.filter((request) => action === undefined || request.action === action).at(-1)
    ?.requestId;
}

/**
 * Asserts that `run` failed (exit 1) on AWS's error to `operation`: as `expected` says, with
 * the request ID of the last `operation` the local endpoint answered.
 */
export function expectAwsFailure(
  run: ActionRun,
  aws: LocalAws,
  operation: string,
  expected: Pick<ErrorLine, "code" | "aws_error_code" | "http_status">,
): void {
  expect(run.exitCode).toBe(1);
  expect(run.error).toMatchObject({ ...expected, request_id: lastRequestId(aws, operation) });
}

/** What one run of the connector printed, with its output or error line parsed. */
export interface ActionRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The `::set-output` JSON, when the run succeeded. */
  output: Record<string, unknown> | undefined;
  /** The `::set-error` object of the last stderr line, when it is one. */
  error: ErrorLine | undefined;
}

/** Variables that change where and how the connector connects. */
const NETWORK_VARIABLE = /^(https?_proxy|no_proxy|all_proxy|aws_.*|node_extra_ca_certs)$/i;

/**
 * Runs `action` in this process as Turbine runs the entry: `document` as the JSON on
 * standard input (a string is sent as it is) and `env` as the whole environment, so
 * nothing of this process's proxy or AWS_* variables reaches the run unless given;
 * `options.executor` injects the run's clock.
 *
 * @example
 * ```ts
 * const run = await runAction("invoke_function", { asset, inputs: { function_name: "echo" } });
 * expect(run.error).toMatchObject({ code: "not_found", http_status: 404 });
 * ```
 */
export async function runAction(
  action: string,
  document: unknown,
  env: Record<string, string> = {},
  options: Pick<RunOptions, "executor"> = {},
): Promise<ActionRun> {
  const stdin = typeof document === "string" ? document : JSON.stringify(document);
  // The HTTP agents read the proxy and CA variables from the process environment, as
  // they do in production: set exactly the run's, and none of the machine's.
  for (const key of Object.keys(process.env).filter((k) => NETWORK_VARIABLE.test(k))) {
    vi.stubEnv(key, undefined);
  }
  for (const [key, value] of Object.entries(env)) {
    vi.stubEnv(key, value);
  }
  let result: Awaited<ReturnType<typeof runConnector>>;
  try {
    result = await runConnector(action, stdin, { env, ...options });
  } finally {
    vi.unstubAllEnvs();
  }
  const { exitCode, stdout, stderr } = result;
  const last = stderr.trimEnd().split("\n").at(-1) ?? "";
  const output = stdout.startsWith(OUTPUT_PREFIX)
    ? (JSON.parse(stdout.slice(OUTPUT_PREFIX.length)) as Record<string, unknown>)
    : undefined;
  return { exitCode, stdout, stderr, output, error: parseErrorLine(last) };
}

/**
 * Runs through the entry on the endpoint `aws` gives, with the demo's assets in the
 * explicit `{asset, inputs}` form: `inspect` as the invoker, `respond` as the responder.
 */
export function demoRuns(aws: () => LocalAws): {
  inspect: (action: string, inputs: Record<string, unknown>) => Promise<ActionRun>;
  respond: (action: string, inputs: Record<string, unknown>) => Promise<ActionRun>;
} {
  return {
    inspect: (action, inputs) => runAction(action, { asset: demoAsset(aws().url), inputs }),
    respond: (action, inputs) =>
      runAction(action, { asset: demoResponderAsset(aws().url), inputs }),
  };
}

/** The demo world's public webhook as seeded, to copy into a fresh function of a test. */
export function webhookTemplate(): FunctionDefinition {
  const template = defaultWorld().functions.find((fn) => fn.name === PUBLIC_WEBHOOK.name);
  if (template === undefined) {
    throw new Error(`the demo world lost ${PUBLIC_WEBHOOK.name}`);
  }
  return template;
}

/** Seeds an SQS trigger of the function `name` in `world`; its UUID. */
export function addTrigger(world: World, name: string, enabled = true): string {
  const uuid = randomUUID();
  world.eventSourceMappings?.push({
    uuid,
    region: DEMO_REGION,
    functionName: name,
    eventSourceArn: `arn:aws:sqs:${DEMO_REGION}:${DEMO_ACCOUNT_ID}:${name}-events`,
    batchSize: 10,
    maximumBatchingWindowInSeconds: 0,
    enabled,
    lastModified: Date.UTC(2025, 0, 1),
  });
  return uuid;
}

/** A real HTTP proxy on 127.0.0.1 that records what it carried. */
export interface RecordingProxy {
  url: string;
  port: number;
  /** Absolute URLs (forwarded requests) and host:port (CONNECT tunnels) it carried. */
  carried: string[];
  /** Requests it refused for want of valid credentials. */
  refused: number;
  close(): Promise<void>;
}

/**
 * Starts the `proxy` package's HTTP proxy, optionally requiring Basic authentication.
 */
export async function startProxy(credentials?: {
  user: string;
  password: string;
}): Promise<RecordingProxy> {
  const server = createProxy(createServer());
  const carried: string[] = [];
  const state = { refused: 0 };
  const expected =
    credentials === undefined
      ? undefined
      : `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString("base64")}`;
  server.authenticate = (req: IncomingMessage) => {
    const ok = expected === undefined || req.headers["proxy-authorization"] === expected;
    if (ok) {
      carried.push(String(req.url));
    } else {
      state.refused += 1;
    }
    return ok;
  };
  await listen(server);
  const { port } = server.address() as AddressInfo;
  const auth =
    credentials === undefined
      ? ""
      : `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@`;
  return {
    url: `http://${auth}127.0.0.1:${port}`,
    port,
    carried,
    get refused() {
      return state.refused;
    },
    close: () => closeServer(server),
  };
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await listen(server);
  const { port } = server.address() as AddressInfo;
  await closeServer(server);
  return port;
}

function listen(server: Server): Promise<void> {
  return new Promise((done) => server.listen(0, "127.0.0.1", () => done()));
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((done) => server.close(() => done()));
}
