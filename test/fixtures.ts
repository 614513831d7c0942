/**
 * Shared test data: assets, AWS responses and helpers to catch the connector's errors.
 * Every credential here is a documentation example or plainly fake.
 */
import type { InvokeCommandOutput } from "@aws-sdk/client-lambda";
import type { AssumeRoleCommandOutput } from "@aws-sdk/client-sts";
import { Uint8ArrayBlobAdapter } from "@smithy/core/serde";
import { type Asset, assetSchema } from "../src/asset/schema.js";
import { ConnectorError } from "../src/errors.js";
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
export const REQUEST_ID = "7c1a2b3d-1111-4e5f-8a9b-0123456789ab";

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
