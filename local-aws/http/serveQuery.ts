import { type AuthFailure, authenticate } from "../auth/authenticate.js";
import type { CredentialStore } from "../auth/CredentialStore.js";
import type { Identity } from "../auth/Identity.js";
import type { ReceivedRequest } from "../auth/verifySignature.js";
import type { FaultService, Faults } from "../Faults.js";
import { stsError } from "../sts/stsXml.js";
import type { Handled, Reply } from "./Reply.js";
import { rawReply } from "./rawReply.js";

/** What one query-protocol action came to: an answer, or an error in the service's words. */
export type QueryOutcome =
  | { ok: true; reply: Reply }
  | { ok: false; status: number; code: string; message: string };

/** What every query-protocol service takes from the endpoint around it. */
export interface QueryDependencies {
  store: CredentialStore;
  faults: Faults;
  /** The endpoint's clock (epoch milliseconds), for signatures and credential expiry. */
  now: () => number;
}

/** A query-protocol service (STS, IAM): its scope, its namespace and how it performs actions. */
export interface QueryService {
  /** The credential scope's service, and the fault queue's. */
  service: Exclude<FaultService, "lambda">;
  /** The XML namespace of its answers. */
  namespace: string;
  /** The code of an injected `fail` fault that names none. */
  internalErrorCode: string;
  perform(
    action: string,
    params: URLSearchParams,
    caller: Identity,
    requestId: string,
  ): QueryOutcome;
}

/** How STS and IAM answer each authentication failure. */
const QUERY_AUTH_ERRORS: Record<AuthFailure, { status: number; code: string }> = {
  MissingToken: { status: 403, code: "MissingAuthenticationToken" },
  IncompleteSignature: { status: 400, code: "IncompleteSignature" },
  UnknownKey: { status: 403, code: "InvalidClientTokenId" },
  InvalidToken: { status: 403, code: "InvalidClientTokenId" },
  ExpiredToken: { status: 403, code: "ExpiredToken" },
  SignatureMismatch: { status: 403, code: "SignatureDoesNotMatch" },
};

/**
 * Serves one query-protocol request (`POST /` with a form body, or `GET /?Action=…`):
 * SigV4 authentication for the service's scope, the injected faults (for any action, or
 * the one a fault names), then the action itself; XML answers in the service's namespace.
 */
export async function serveQuery(
  deps: QueryDependencies,
  spec: QueryService,
  request: ReceivedRequest,
  requestId: string,
): Promise<Handled> {
  const params = new URLSearchParams(request.rawQuery);
  for (const [key, value] of new URLSearchParams(request.body.toString("utf8"))) {
    params.append(key, value);
  }
  const action = params.get("Action") ?? "Unknown";
  const auth = await authenticate(request, spec.service, deps.store, new Date(deps.now()));
  const record = {
    service: spec.service,
    action,
    region: auth.region,
    accessKeyId: auth.accessKeyId,
  };
  if (!auth.ok) {
    const { status, code } = QUERY_AUTH_ERRORS[auth.failure];
    return {
      reply: stsError(status, code, auth.message, requestId, spec.namespace),
      record: { ...record, errorCode: code },
    };
  }
  const signed = { ...record, principalArn: auth.identity.arn };

  const fault = deps.faults.take(spec.service, action);
  if (fault?.kind === "raw") {
    return { reply: rawReply(fault), record: signed };
  }
  let outcome: QueryOutcome;
  if (fault?.kind === "throttle") {
    outcome = { ok: false, status: 400, code: "Throttling", message: "Rate exceeded" };
  } else if (fault?.kind === "fail") {
    outcome = {
      ok: false,
      status: fault.status,
      code: fault.code ?? spec.internalErrorCode,
      message: fault.message ?? "An internal error occurred.",
    };
  } else if (fault?.kind === "reset" && fault.when === "before") {
    return { reply: { kind: "reset" }, record: { ...signed, errorCode: "ConnectionReset" } };
  } else {
    outcome = spec.perform(action, params, auth.identity, requestId);
  }

  if (fault?.kind === "reset") {
    return { reply: { kind: "reset" }, record: { ...signed, errorCode: "ConnectionReset" } };
  }
  const reply = outcome.ok
    ? outcome.reply
    : stsError(outcome.status, outcome.code, outcome.message, requestId, spec.namespace);
  return {
    reply:
      fault?.kind === "delay" && reply.kind === "respond" ? { ...reply, delayMs: fault.ms } : reply,
    record: outcome.ok ? signed : { ...signed, errorCode: outcome.code },
  };
}
