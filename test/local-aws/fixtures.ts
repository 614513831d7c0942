import { IAMClient } from "@aws-sdk/client-iam";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { Sha256 } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity } from "@smithy/types";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import {
  DEMO_RESPONDER_ROLE,
  DEMO_ROLE,
  DEMO_USER,
  INTRUDER_USER,
} from "../../local-aws/defaultWorld.js";
import { type LocalAws, type LocalAwsOptions, startLocalAws } from "../../local-aws/LocalAws.js";

/** The connector user's long-term keys. */
export const USER_KEYS: AwsCredentialIdentity = {
  accessKeyId: DEMO_USER.accessKeyId,
  secretAccessKey: DEMO_USER.secretAccessKey,
};

/** A valid user whom the demo role does not trust. */
export const INTRUDER_KEYS: AwsCredentialIdentity = {
  accessKeyId: INTRUDER_USER.accessKeyId,
  secretAccessKey: INTRUDER_USER.secretAccessKey,
};

/** AssumeRole input that the demo role's trust policy accepts. */
export const ASSUME_DEMO_ROLE = {
  RoleArn: DEMO_ROLE.arn,
  RoleSessionName: "local-aws-test",
  ExternalId: DEMO_ROLE.externalId,
};

/** AssumeRole input for the demo responder role (same trust and ExternalId). */
export const ASSUME_RESPONDER_ROLE = {
  RoleArn: DEMO_RESPONDER_ROLE.arn,
  RoleSessionName: "local-aws-responder",
  ExternalId: DEMO_RESPONDER_ROLE.externalId,
};

/** The smallest valid zip archive: an end-of-central-directory record and nothing else. */
export const EMPTY_ZIP = Buffer.from(`504b0506${"00".repeat(18)}`, "hex");

interface ClientOptions {
  credentials?: AwsCredentialIdentity;
  region?: string;
  maxAttempts?: number;
}

/** A real Lambda client pointed at the local endpoint; the user's keys by default. */
export function lambdaClient(aws: LocalAws, options: ClientOptions = {}): LambdaClient {
  return new LambdaClient({
    endpoint: aws.url,
    region: options.region ?? "us-east-1",
    credentials: options.credentials ?? USER_KEYS,
    maxAttempts: options.maxAttempts ?? 3,
  });
}

/** A real STS client pointed at the local endpoint; the user's keys by default. */
export function stsClient(aws: LocalAws, options: ClientOptions = {}): STSClient {
  return new STSClient({
    endpoint: aws.url,
    region: options.region ?? "us-east-1",
    credentials: options.credentials ?? USER_KEYS,
    maxAttempts: options.maxAttempts ?? 3,
  });
}

/**
 * A Lambda client acting as a session of `role` (the invoker by default), assumed by the
 * demo user through STS on the same endpoint.
 */
export async function roleClient(
  aws: LocalAws,
  role: { RoleArn: string; RoleSessionName: string; ExternalId: string } = ASSUME_DEMO_ROLE,
  options: Omit<ClientOptions, "credentials"> = {},
): Promise<LambdaClient> {
  return lambdaClient(aws, { ...options, credentials: await roleCredentials(aws, role) });
}

/** An invocation's payload as parsed JSON. */
export function payloadOf(payload: Uint8Array | undefined): unknown {
  return JSON.parse(Buffer.from(payload ?? []).toString("utf8"));
}

/** The error a promise rejected with, for asserting on its fields. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** A request to sign by hand, for the cases the SDK would never send. */
export interface RawRequest {
  method: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
  service: string;
  region?: string;
  credentials?: AwsCredentialIdentity;
  signingDate?: Date;
}

/**
 * Signs a request with SigV4 the way the SDK does, then lets the test change it before it
 * goes out with `fetch` (which adds unsigned headers of its own).
 */
export async function signRequest(
  aws: LocalAws,
  raw: RawRequest,
): Promise<{
  url: string;
  init: { method: string; headers: Record<string, string>; body?: string };
}> {
  const { host, port } = new URL(aws.url);
  const signer = new SignatureV4({
    service: raw.service,
    region: raw.region ?? "us-east-1",
    credentials: raw.credentials ?? USER_KEYS,
    sha256: Sha256,
  });
  const [path = "/", query = ""] = raw.path.split("?");
  const signed = await signer.sign(
    {
      method: raw.method,
      protocol: "http:",
      hostname: "127.0.0.1",
      port: Number(port),
      path,
      query: Object.fromEntries(new URLSearchParams(query)),
      headers: { host, ...raw.headers },
      body: raw.body,
    },
    raw.signingDate === undefined ? {} : { signingDate: raw.signingDate },
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) {
    if (name !== "host") {
      headers[name] = value;
    }
  }
  return {
    url: `${aws.url}${raw.path}`,
    init: { method: raw.method, headers, ...(raw.body === undefined ? {} : { body: raw.body }) },
  };
}

/** A real IAM client pointed at the local endpoint; the user's keys by default. */
export function iamClient(aws: LocalAws, options: ClientOptions = {}): IAMClient {
  const { region = "us-east-1", credentials = USER_KEYS, maxAttempts = 1 } = options;
  return new IAMClient({ endpoint: aws.url, region, credentials, maxAttempts });
}

/** The temporary credentials of a session of `role`, assumed by the demo user. */
export async function roleCredentials(
  aws: LocalAws,
  role: { RoleArn: string; RoleSessionName: string; ExternalId: string },
): Promise<AwsCredentialIdentity> {
  const { Credentials } = await stsClient(aws).send(new AssumeRoleCommand(role));
  return {
    accessKeyId: Credentials?.AccessKeyId ?? "",
    secretAccessKey: Credentials?.SecretAccessKey ?? "",
    sessionToken: Credentials?.SessionToken ?? "",
  };
}

/**
 * A fresh endpoint for each test of the enclosing `describe`, on a clock the test moves
 * instead of sleeping.
 *
 * @example
 * ```ts
 * const endpoint = useClockedEndpoint();
 * it("expires", async () => { endpoint.advance(601_000); await fetch(url); });
 * ```
 */
export function useClockedEndpoint(): { aws: () => LocalAws; advance(ms: number): void } {
  let aws: LocalAws | undefined;
  let clock = 0;
  beforeEach(async () => {
    clock = Date.now();
    aws = await startLocalAws({ now: () => clock });
  });
  afterEach(async () => {
    await aws?.close();
  });
  return {
    aws: () => {
      if (aws === undefined) {
        throw new Error("useClockedEndpoint: the endpoint exists only while a test runs");
      }
      return aws;
    },
    advance: (ms) => {
      clock += ms;
    },
  };
}

/**
 * The endpoint of the enclosing `describe`: started before its tests (once, or afresh for
 * each test with `each`) and closed after them. What it returns stands for the endpoint
 * running at the time, so tests use it as they would the endpoint itself.
 *
 * @example
 * ```ts
 * const aws = useLocalAws();
 * it("lists", async () => { await lambdaClient(aws).send(new ListFunctionsCommand({})); });
 * ```
 */
export function useLocalAws(
  options: Partial<LocalAwsOptions> = {},
  { each = false }: { each?: boolean } = {},
): LocalAws {
  let current: LocalAws | undefined;
  (each ? beforeEach : beforeAll)(async () => {
    current = await startLocalAws(options);
  });
  (each ? afterEach : afterAll)(async () => {
    await current?.close();
  });
  return new Proxy({} as LocalAws, {
    get: (_target, key) => {
      if (current === undefined) {
        throw new Error("useLocalAws: the endpoint exists only while the describe's tests run");
      }
      const value: unknown = Reflect.get(current, key, current);
      return typeof value === "function" ? value.bind(current) : value;
    },
  });
}
