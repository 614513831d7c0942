/**
 * Shared test data: assets, AWS responses and helpers to catch the connector's errors.
 * Every credential here is a documentation example or plainly fake.
 */
import { once } from "node:events";
import { createServer as createHttpServer, type RequestListener, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import {
  type FunctionConfiguration,
  type InvokeCommandOutput,
  LambdaServiceException,
} from "@aws-sdk/client-lambda";
import type { AssumeRoleCommandOutput } from "@aws-sdk/client-sts";
import { Uint8ArrayBlobAdapter } from "@smithy/core/serde";
import { afterEach, beforeEach, vi } from "vitest";
import { z } from "zod";
import { type Asset, assetSchema } from "../src/asset/schema.js";
import { Executor, type ExecutorOptions } from "../src/aws/executor.js";
import { ConnectorError } from "../src/errors.js";
import { PROXY_VARIABLES } from "../src/redaction.js";
import { formatErrorLine } from "../src/turbine/contract.js";

/** AWS's documentation example key pair. */
export const ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
export const SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
/** A temporary key ID (ASIA…) and the session token it needs. */
export const TEMPORARY_ACCESS_KEY_ID = "ASIAIOSFODNN7EXAMPLE";
export const SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN/dGVzdC1vbmx5Lg==";

export const ACCOUNT_ID = "123456789012";
export const REGION = "us-east-1";
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/TurbineLambdaInvoker`;
export const ROLE_SESSION_NAME = "soc-playbooks";
export const EXTERNAL_ID = "swimlane-tenant-7f3a9c";

export const PROXY_USER = "turbine";
export const PROXY_PASSWORD = "pr0xy-Passw0rd";
export const PROXY_URL = `http://${PROXY_USER}:${PROXY_PASSWORD}@proxy.example.com:3128`;

export const FUNCTION_NAME = "enrich-indicator";
export const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${FUNCTION_NAME}`;
export const LAYER_NAME = "shared-enrichment-libs";
export const LAYER_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:layer:${LAYER_NAME}`;
/** An event source mapping's UUID, as Lambda makes them. */
export const MAPPING_UUID = "a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
export const REQUEST_ID = "7c1a2b3d-1111-4e5f-8a9b-0123456789ab";

/** The `$metadata` of a successful AWS answer, for mocked responses. */
export const metadata = { httpStatusCode: 200, requestId: REQUEST_ID };

/** Long-term keys, no role: the simplest valid asset, as Turbine sends it. */
export const keysAsset: Record<string, unknown> = {
  access_key: ACCESS_KEY_ID,
  secret_key: SECRET_ACCESS_KEY,
  region_name: REGION,
};

/** Temporary keys with their session token. */
export const temporaryKeysAsset: Record<string, unknown> = {
  access_key: TEMPORARY_ACCESS_KEY_ID,
  secret_key: SECRET_ACCESS_KEY,
  session_token: SESSION_TOKEN,
  region_name: REGION,
};

/** Keys plus a role to assume, with an external ID and a session name. */
export const roleAsset: Record<string, unknown> = {
  ...keysAsset,
  role_arn: ROLE_ARN,
  external_id: EXTERNAL_ID,
  role_session_name: ROLE_SESSION_NAME,
};

/** Keys behind an authenticating proxy. */
export const proxyAsset: Record<string, unknown> = { ...keysAsset, http_proxy: PROXY_URL };

/** A raw asset validated into what actions receive (defaults filled in). */
export function validAsset(raw: Record<string, unknown> = keysAsset): Asset {
  return assetSchema.parse(raw);
}

/** A Lambda Invoke answer whose payload is `payload` as raw text. */
export function invokeResponse(
  payload: string | undefined,
  extra: Partial<InvokeCommandOutput> = {},
): Partial<InvokeCommandOutput> {
  return {
    StatusCode: 200,
    ExecutedVersion: "$LATEST",
    ...(payload === undefined ? {} : { Payload: Uint8ArrayBlobAdapter.fromString(payload) }),
    $metadata: { httpStatusCode: 200, requestId: REQUEST_ID },
    ...extra,
  };
}

/** A Lambda Invoke answer whose payload is `value` as JSON. */
export function jsonInvokeResponse(
  value: unknown,
  extra: Partial<InvokeCommandOutput> = {},
): Partial<InvokeCommandOutput> {
  return invokeResponse(JSON.stringify(value), extra);
}

/** An STS AssumeRole answer whose credentials expire at `expiresAt` (epoch milliseconds). */
export function assumeRoleResponse(
  expiresAt: number,
  accessKeyId = "ASIAASSUMEDROLE00001",
): AssumeRoleCommandOutput {
  return {
    Credentials: {
      AccessKeyId: accessKeyId,
      SecretAccessKey: "assumedRoleSecretEXAMPLEKEY0000000000000",
      SessionToken: `assumed-role-session-token-for-${accessKeyId}`,
      Expiration: new Date(expiresAt),
    },
    AssumedRoleUser: {
      Arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/TurbineLambdaInvoker/${ROLE_SESSION_NAME}`,
      AssumedRoleId: `AROAEXAMPLEROLEID:${ROLE_SESSION_NAME}`,
    },
    $metadata: { httpStatusCode: 200 },
  };
}

/** The error `fn` throws, which must be a {@link ConnectorError}. */
export function thrownConnectorError(fn: () => unknown): ConnectorError {
  try {
    fn();
  } catch (error) {
    return asConnectorError(error);
  }
  throw new Error("expected a ConnectorError, but nothing was thrown");
}

/** The error `promise` rejects with, which must be a {@link ConnectorError}. */
export async function rejectedConnectorError(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    return asConnectorError(error);
  }
  throw new Error("expected a ConnectorError, but the promise resolved");
}

/** Everything of `error` a user can see: message, hint and the printed error line. */
export function printedText(error: ConnectorError): string {
  return [error.message, error.hint, formatErrorLine(error.toErrorLine())].join("\n");
}

function asConnectorError(error: unknown): ConnectorError {
  if (error instanceof ConnectorError) {
    return error;
  }
  throw new Error(`expected a ConnectorError, got ${String(error)}`, { cause: error });
}

/** A clock the test moves by hand: credentials expire without waiting. */
export interface ManualClock {
  now: () => number;
  advance(ms: number): void;
}

/** A {@link ManualClock} that starts at `start` (epoch milliseconds). */
export function manualClock(start = Date.parse("2026-03-01T12:00:00Z")): ManualClock {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

/** A Node networking error as `node:net` raises it; the SDK's handler renames some to `TimeoutError`. */
export function networkError(code: string, message = `${code} (test)`, name = "Error"): Error {
  return Object.assign(new Error(message), { code, name });
}

/** A server on 127.0.0.1 for tests that need real sockets. */
export interface LocalServer {
  server: Server;
  /** `http://127.0.0.1:port` or `https://127.0.0.1:port`. */
  url: string;
  /** Connections the server accepted so far. */
  connections(): number;
  /** Closes the server and every connection still open. */
  close(): Promise<void>;
}

/**
 * Starts a server on 127.0.0.1 answering with `listener`; the default never answers,
 * so every request to it runs into the client's deadline. With `tls`, it speaks HTTPS.
 */
export async function startLocalServer(
  listener: RequestListener = () => {},
  tls?: { cert: string; key: string },
): Promise<LocalServer> {
  const server = tls === undefined ? createHttpServer(listener) : createHttpsServer(tls, listener);
  let connections = 0;
  server.on(tls === undefined ? "connection" : "secureConnection", () => {
    connections += 1;
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `${tls === undefined ? "http" : "https"}://127.0.0.1:${port}`,
    connections: () => connections,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

/** The proxy variables, blanked for one test: calls go direct unless the test sets one. */
export function withoutProxyEnvironment(): void {
  for (const name of [...PROXY_VARIABLES, "NO_PROXY", "no_proxy"]) {
    vi.stubEnv(name, "");
  }
}

/** An error answer of AWS Lambda as the SDK raises it: named, with its status and request ID. */
export function lambdaServiceError(
  name: string,
  message: string,
  httpStatusCode = 400,
): LambdaServiceException {
  return new LambdaServiceException({
    name,
    $fault: httpStatusCode >= 500 ? "server" : "client",
    message,
    $metadata: { httpStatusCode, requestId: REQUEST_ID },
  });
}

/** Lambda's answer about a function that does not exist (any operation on it). */
export function functionNotFound(arn = FUNCTION_ARN): LambdaServiceException {
  return lambdaServiceError("ResourceNotFoundException", `Function not found: ${arn}`, 404);
}

/**
 * Lambda's answer when the function exists but has nothing of the kind asked for (no
 * resource-based policy, no URL, no such statement or mapping).
 */
export function resourceNotFound(): LambdaServiceException {
  return lambdaServiceError(
    "ResourceNotFoundException",
    "The resource you requested does not exist.",
    404,
  );
}

/** The user the access-denied answers below name. */
export const USER_ARN = `arn:aws:iam::${ACCOUNT_ID}:user/turbine`;

/** AccessDeniedException as IAM words it when no identity-based policy allows `iamAction`. */
export function accessDenied(iamAction: string, resource: string): LambdaServiceException {
  return lambdaServiceError(
    "AccessDeniedException",
    `User: ${USER_ARN} is not authorized to perform: ${iamAction} on resource: ${resource} because no identity-based policy allows the ${iamAction} action`,
    403,
  );
}

/**
 * The page of `all` a paginated Lambda list (ListFunctions, ListAliases, …) answers `request`
 * with, under `key`: the page starts at the index in Marker, holds MaxItems items (50 when not
 * given, at most `largestPage`), and carries the NextMarker of the page after it, if any.
 *
 * @example
 * ```ts
 * lambdaMock.on(ListLayersCommand).callsFake((request) => listPage("Layers", layers, request));
 * ```
 */
export function listPage<Key extends string, Item>(
  key: Key,
  all: readonly Item[],
  request: { Marker?: string | undefined; MaxItems?: number | undefined },
  largestPage = Number.POSITIVE_INFINITY,
): Record<Key, Item[]> & { NextMarker?: string; $metadata: { requestId: string } } {
  const start = Number(request.Marker ?? 0);
  const end = Math.min(all.length, start + Math.min(request.MaxItems ?? 50, largestPage));
  return {
    [key]: all.slice(start, end),
    ...(end < all.length ? { NextMarker: String(end) } : {}),
    $metadata: { httpStatusCode: 200, requestId: REQUEST_ID },
  } as Record<Key, Item[]> & { NextMarker?: string; $metadata: { requestId: string } };
}

/** A deployment package: a zip holding `app.py` with a `handler`, as base64 text. */
export const HANDLER_ZIP_BASE64 =
  "UEsDBBQAAAAAAABgYVysKm9YNQAAADUAAAAGAAAAYXBwLnB5ZGVmIGhhbmRsZXIoZXZlbnQsIGNvbnRleHQpOgogICAgcmV0dXJuIHsib2siOiBUcnVlfQpQSwECFAMUAAAAAAAAYGFcrCpvWDUAAAA1AAAABgAAAAAAAAAAAAAAgAEAAAAAYXBwLnB5UEsFBgAAAAABAAEANAAAAFkAAAAAAA==";

/** The bytes of {@link HANDLER_ZIP_BASE64}. */
export function handlerZip(): Uint8Array {
  return new Uint8Array(Buffer.from(HANDLER_ZIP_BASE64, "base64"));
}

/** {@link FUNCTION_NAME}'s configuration as Lambda returns it, with `overrides`. */
export function functionConfiguration(
  overrides: Partial<FunctionConfiguration> = {},
): FunctionConfiguration {
  return {
    FunctionName: FUNCTION_NAME,
    FunctionArn: FUNCTION_ARN,
    Runtime: "python3.12",
    Handler: "app.handler",
    Role: `arn:aws:iam::${ACCOUNT_ID}:role/${FUNCTION_NAME}-exec`,
    LastModified: "2026-02-27T09:14:03.000+0000",
    MemorySize: 256,
    Timeout: 30,
    State: "Active",
    Version: "$LATEST",
    ...overrides,
  };
}

/**
 * {@link functionConfiguration} as the actions summarize a function (`function` of
 * get_function, delete_function's `previous`), with `overrides`.
 */
export function functionSummary(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: FUNCTION_NAME,
    arn: FUNCTION_ARN,
    runtime: "python3.12",
    handler: "app.handler",
    last_modified: "2026-02-27T09:14:03.000Z",
    state: "Active",
    memory_size: 256,
    timeout: 30,
    role: `arn:aws:iam::${ACCOUNT_ID}:role/${FUNCTION_NAME}-exec`,
    ...overrides,
  };
}

/**
 * A bucket's trigger as Lambda keeps it in a policy: S3 may invoke the function for
 * `incoming-artifacts`, and with `account` only for a bucket of {@link ACCOUNT_ID}.
 */
export function s3TriggerStatement({ account = false }: { account?: boolean } = {}) {
  return {
    Sid: "s3-trigger",
    Effect: "Allow",
    Principal: { Service: "s3.amazonaws.com" },
    Action: "lambda:InvokeFunction",
    Resource: FUNCTION_ARN,
    Condition: {
      ...(account ? { StringEquals: { "AWS:SourceAccount": ACCOUNT_ID } } : {}),
      ArnLike: { "AWS:SourceArn": "arn:aws:s3:::incoming-artifacts" },
    },
  };
}

/** {@link s3TriggerStatement} as get_policy and add_permission print a statement. */
export function printedS3Trigger({ account = false }: { account?: boolean } = {}) {
  return {
    sid: "s3-trigger",
    effect: "Allow",
    principal: { Service: "s3.amazonaws.com" },
    action: ["lambda:InvokeFunction"],
    resource: [FUNCTION_ARN],
    conditions: {
      ...(account ? { StringEquals: { "AWS:SourceAccount": ACCOUNT_ID } } : {}),
      ArnLike: { "AWS:SourceArn": "arn:aws:s3:::incoming-artifacts" },
    },
  };
}

/** A clock and a pause for waits: each pause is recorded, moves the clock, and returns at once. */
export interface FakeTime {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Every pause asked for, in milliseconds. */
  waits: number[];
}

/** A {@link FakeTime} on a {@link manualClock}. */
export function fakeTime(clock: ManualClock = manualClock()): FakeTime {
  const waits: number[] = [];
  return {
    now: clock.now,
    sleep: async (ms) => {
      waits.push(ms);
      clock.advance(ms);
    },
    waits,
  };
}

/** An action's run as a test sees it: parse raw inputs, run on this test's executor. */
export interface ActionRun<Output> {
  /** Parses `raw` with the action's input schema and runs the action on {@link executor}. */
  run(raw: Record<string, unknown>): Promise<Output>;
  /** The executor of the test under way. */
  executor(): Executor;
}

/** What {@link useActionRun} sets up before each test. */
export interface ActionRunOptions {
  /** The AWS client mock to reset, before the executor exists and before the file's own setup. */
  mock?: { reset(): unknown };
  /** The raw asset the executor runs with; {@link keysAsset} by default. */
  asset?: Record<string, unknown>;
  /**
   * The executor's options (clock, pause, environment), made afresh for each test; a fresh
   * {@link fakeTime} by default, `() => ({})` for the real clock and `process.env`.
   */
  executorOptions?: () => ExecutorOptions;
}

/**
 * Gives each test of the enclosing `describe` a fresh {@link Executor}, destroyed after it,
 * and a `run` of `action` on it. Call it before the file's own `beforeEach`, so that the
 * mock is reset before the file sets its default answers.
 *
 * @example
 * ```ts
 * const lambdaMock = mockClient(LambdaClient);
 *
 * describe("get_policy", () => {
 *   const { run } = useActionRun(getPolicyAction, { mock: lambdaMock });
 *
 *   it("returns the policy", async () => {
 *     const output = await run({ function_name: FUNCTION_NAME });
 *   });
 * });
 * ```
 */
export function useActionRun<Inputs extends z.core.$ZodType, Output>(
  action: {
    inputs: Inputs;
    run(inputs: z.output<Inputs>, executor: Executor): Promise<Output>;
  },
  options: ActionRunOptions = {},
): ActionRun<Output> {
  let current: Executor | undefined;
  const executor = (): Executor => {
    if (current === undefined) {
      throw new Error("useActionRun: the executor exists only while a test runs");
    }
    return current;
  };

  beforeEach(() => {
    options.mock?.reset();
    current = new Executor(
      validAsset(options.asset ?? keysAsset),
      (options.executorOptions ?? fakeTime)(),
    );
  });

  afterEach(() => {
    current?.destroy();
    current = undefined;
  });

  return {
    run: (raw) => action.run(z.parse(action.inputs, raw), executor()),
    executor,
  };
}
