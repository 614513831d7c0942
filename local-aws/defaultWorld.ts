import { fileURLToPath } from "node:url";
import type { FunctionDefinition, World } from "./World.js";

/** The demo account. */
export const DEMO_ACCOUNT_ID = "123456789012";

/** The connector's IAM user and its key pair (the AWS documentation's example keys). */
export const DEMO_USER = {
  name: "turbine-connector",
  arn: `arn:aws:iam::${DEMO_ACCOUNT_ID}:user/turbine-connector`,
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
} as const;

/** A valid user whom the demo role does not trust, and who may call nothing in Lambda. */
export const INTRUDER_USER = {
  name: "intruder",
  arn: `arn:aws:iam::${DEMO_ACCOUNT_ID}:user/intruder`,
  accessKeyId: "AKIAI44QH8DHBEXAMPLE",
  secretAccessKey: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
} as const;

/** The role the connector assumes, and the ExternalId its trust policy requires. */
export const DEMO_ROLE = {
  name: "TurbineLambdaInvoker",
  arn: `arn:aws:iam::${DEMO_ACCOUNT_ID}:role/TurbineLambdaInvoker`,
  externalId: "turbine-demo-external-id",
  maxSessionDurationSeconds: 3600,
} as const;

/** Region of every demo function except `regional-only`. */
export const DEMO_REGION = "us-east-1";

/**
 * The connector asset that reaches an endpoint at `url` as the demo user through the
 * demo role: what the CLI prints, and what the demo, benchmark and tests start from.
 */
export function demoAsset(url: string): Record<string, string> {
  return {
    access_key: DEMO_USER.accessKeyId,
    secret_key: DEMO_USER.secretAccessKey,
    region_name: DEMO_REGION,
    role_arn: DEMO_ROLE.arn,
    external_id: DEMO_ROLE.externalId,
    endpoint_url: url,
    sts_endpoint_url: url,
  };
}

/** Functions the demo identities may invoke; `admin-only` is deliberately missing. */
const INVOKABLE = ["echo", "enrich-indicator", "throws", "sleeps", "chatty", "regional-only"];

function codeOf(file: string): string {
  return fileURLToPath(new URL(`./functions/${file}`, import.meta.url));
}

function demoFunction(
  name: string,
  overrides: Partial<FunctionDefinition> = {},
): FunctionDefinition {
  return {
    name,
    region: DEMO_REGION,
    code: codeOf(`${name}.js`),
    timeoutSeconds: 10,
    memorySizeMb: 128,
    ...overrides,
  };
}

/**
 * The demo setup: one account, the connector's user, an untrusted user, one role that
 * needs an ExternalId, and a handful of functions that cover the interesting outcomes
 * (success, logs, function error, timeout, access denied, wrong region, versions and
 * aliases). Returns a fresh copy on every call, so a test may change its own.
 *
 * @example
 * ```ts
 * const world = defaultWorld();
 * world.functions.push({ ...world.functions[0], name: "echo-copy" });
 * const aws = await startLocalAws({ world });
 * ```
 */
export function defaultWorld(): World {
  // IAM-style patterns: `function:echo` matches only the unqualified ARN, `function:echo:*`
  // the qualified ones. Any region, so that a wrong-region call reaches the 404 it deserves.
  // The account-wide reads name no resource, so IAM evaluates them against `*`.
  const invokePolicy = [
    {
      effect: "Allow" as const,
      actions: ["lambda:InvokeFunction", "lambda:GetFunction", "lambda:GetFunctionConfiguration"],
      resources: INVOKABLE.flatMap((name) => [
        `arn:aws:lambda:*:${DEMO_ACCOUNT_ID}:function:${name}`,
        `arn:aws:lambda:*:${DEMO_ACCOUNT_ID}:function:${name}:*`,
      ]),
    },
    {
      effect: "Allow" as const,
      actions: ["lambda:GetAccountSettings", "lambda:ListFunctions"],
      resources: ["*"],
    },
  ];
  return {
    accountId: DEMO_ACCOUNT_ID,
    users: [
      {
        name: DEMO_USER.name,
        accessKeyId: DEMO_USER.accessKeyId,
        secretAccessKey: DEMO_USER.secretAccessKey,
        policy: structuredClone(invokePolicy),
      },
      {
        name: INTRUDER_USER.name,
        accessKeyId: INTRUDER_USER.accessKeyId,
        secretAccessKey: INTRUDER_USER.secretAccessKey,
        policy: [],
      },
    ],
    roles: [
      {
        name: DEMO_ROLE.name,
        trustedPrincipals: [DEMO_USER.arn],
        externalId: DEMO_ROLE.externalId,
        maxSessionDurationSeconds: DEMO_ROLE.maxSessionDurationSeconds,
        policy: structuredClone(invokePolicy),
      },
    ],
    functions: [
      demoFunction("echo", { versions: ["1", "2"], aliases: { live: "2", previous: "1" } }),
      demoFunction("enrich-indicator", { environment: { FEED_NAME: "local-demo-feed" } }),
      demoFunction("throws"),
      demoFunction("sleeps", { timeoutSeconds: 3 }),
      demoFunction("chatty"),
      demoFunction("admin-only"),
      demoFunction("regional-only", { region: "us-west-2" }),
    ],
  };
}
