import { headerValue } from "../http/headerValue.js";
import type { CredentialStore } from "./CredentialStore.js";
import type { Identity } from "./Identity.js";
import { parseAuthorization } from "./parseAuthorization.js";
import { type ReceivedRequest, verifySignature } from "./verifySignature.js";

/** Why a request was not accepted; each service names these in its own error codes. */
export type AuthFailure =
  | "MissingToken"
  | "IncompleteSignature"
  | "UnknownKey"
  | "InvalidToken"
  | "ExpiredToken"
  | "SignatureMismatch";

/** The signer of a request, or why it was refused. Key and region are kept for the record. */
export type AuthOutcome =
  | { ok: true; identity: Identity; accessKeyId: string; region: string }
  | {
      ok: false;
      failure: AuthFailure;
      message: string;
      accessKeyId?: string;
      region?: string;
    };

/** AWS refuses a request whose X-Amz-Date is more than 15 minutes off its clock. */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const INVALID_TOKEN = "The security token included in the request is invalid.";
const SIGNATURE_MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

function parseAmzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (match === null) {
    return undefined;
  }
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  return new Date(
    Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 0, hour ?? 0, minute ?? 0, second ?? 0),
  );
}

/**
 * Checks a request's SigV4 `Authorization` header the way AWS does, in AWS's order: the
 * header's form, the credential scope's service, the key, its session token and expiry,
 * the clock, and finally the signature itself.
 *
 * @example
 * ```ts
 * const outcome = await authenticate(request, "lambda", store);
 * if (!outcome.ok) return reject(outcome.failure, outcome.message);
 * ```
 */
export async function authenticate(
  request: ReceivedRequest,
  service: string,
  store: CredentialStore,
  now: Date = new Date(),
): Promise<AuthOutcome> {
  const header = headerValue(request.headers, "authorization");
  if (header === undefined) {
    return { ok: false, failure: "MissingToken", message: "Missing Authentication Token" };
  }
  const parsed = parseAuthorization(header);
  if (!parsed.ok) {
    return { ok: false, failure: "IncompleteSignature", message: parsed.message };
  }
  const { parts } = parsed;
  const known = { accessKeyId: parts.accessKeyId, region: parts.scope.region };
  const amzDate = headerValue(request.headers, "x-amz-date") ?? "";
  const signingDate = parseAmzDate(amzDate);
  if (signingDate === undefined) {
    return {
      ok: false,
      failure: "IncompleteSignature",
      message:
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
      ...known,
    };
  }
  if (parts.scope.service !== service) {
    return {
      ok: false,
      failure: "SignatureMismatch",
      message: `Credential should be scoped to correct service: '${service}'.`,
      ...known,
    };
  }
  const key = store.lookup(
    parts.accessKeyId,
    headerValue(request.headers, "x-amz-security-token"),
    now,
  );
  if (!key.ok) {
    const message =
      key.failure === "ExpiredToken"
        ? "The security token included in the request is expired"
        : INVALID_TOKEN;
    return { ok: false, failure: key.failure, message, ...known };
  }
  if (parts.scope.date !== amzDate.slice(0, 8)) {
    return {
      ok: false,
      failure: "SignatureMismatch",
      message: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${parts.scope.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
      ...known,
    };
  }
  if (Math.abs(now.getTime() - signingDate.getTime()) > MAX_CLOCK_SKEW_MS) {
    return {
      ok: false,
      failure: "SignatureMismatch",
      message: `Signature expired: ${amzDate} is now earlier than the 15 minutes allowed around ${now.toISOString()}.`,
      ...known,
    };
  }
  if (!(await verifySignature(request, parts, key.secretAccessKey, signingDate))) {
    return { ok: false, failure: "SignatureMismatch", message: SIGNATURE_MISMATCH, ...known };
  }
  return { ok: true, identity: key.identity, ...known };
}
