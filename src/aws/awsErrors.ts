import { ConnectorError, type ErrorCode, InvalidInputError } from "../errors.js";
import type { ResolvedCall } from "./call.js";
import { ResponseTooLargeError } from "./httpHandler.js";
import {
  isRequestTimeout,
  isTlsFailure,
  NETWORK_ERRORS,
  networkErrorCode,
  networkPhase,
} from "./networkErrors.js";
import { isFunctionConfigurationError } from "./retryPolicy.js";

/** How the asset signs its calls; decides what an expired-token hint can ask for. */
export type CredentialKind = "keys" | "temporary-keys" | "chain";

/**
 * What the connector knew when an AWS call failed: the call as its definition declares
 * it, worked out for the run, and the asset's settings. It turns an AWS error code into
 * a hint that names the exact thing to check. No field here may hold a secret.
 */
export interface CallContext extends ResolvedCall {
  region: string;
  /** The access key ID in use, when the asset gives keys (key IDs are not secret). */
  accessKeyId: string | undefined;
  credentialKind: CredentialKind;
  roleArn: string | undefined;
  /**
   * Whose keys signed the call: the assumed role's temporary keys, or the asset's own
   * (AssumeRole itself, test_connection's check of the keys). Without it, the role's
   * when the asset names one.
   */
  signer?: "asset" | "role" | undefined;
  /** The proxy the call went through, password already masked. */
  proxy: string | undefined;
  /** The endpoint the call went to, when the asset overrides it. */
  endpoint: string | undefined;
  /** The call's deadline, which its request timeout also is. */
  timeoutMs?: number | undefined;
}

interface AwsErrorShape {
  name?: unknown;
  message?: unknown;
  Reason?: unknown;
  retryAfterSeconds?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
  $response?: { headers?: Record<string, string | undefined> };
}

/**
 * Wraps an error from the AWS SDK or the network into a {@link ConnectorError} whose
 * hint follows the setup guide's troubleshooting list. The connector's own errors
 * pass through unchanged.
 *
 * @example
 * ```ts
 * try {
 *   await lambda.send(command);
 * } catch (error) {
 *   throw toConnectorError(error, executor.context(call, inputs));
 * }
 * ```
 */
export function toConnectorError(error: unknown, context: CallContext): ConnectorError {
  if (error instanceof ConnectorError) {
    return error;
  }
  const tooLarge = findInChain(error, ResponseTooLargeError);
  if (tooLarge !== undefined) {
    return fail(
      "endpoint_error",
      error,
      { $metadata: { httpStatusCode: tooLarge.status } },
      {
        message: `${describeEndpoint(context)} answered ${context.operation} with more than ${tooLarge.limit} bytes (HTTP ${tooLarge.status}), more than ${context.service === "sts" ? "STS" : "Lambda"} ever sends; reading stopped there.${context.operation === "Invoke" ? " The function may have run." : ""}`,
        hint: `Check ${context.service === "sts" ? "sts_endpoint_url" : "endpoint_url"}: it must be AWS ${context.service === "sts" ? "STS" : "Lambda"} (or a faithful emulator), and nothing between may rewrite its answers.`,
      },
    );
  }
  const e = (error ?? {}) as AwsErrorShape;
  const status = e.$metadata?.httpStatusCode;
  if (status === 407) {
    return fail("proxy_error", error, e, {
      message: `The proxy ${context.proxy ?? "(from the environment)"} refused the request: proxy authentication required (HTTP 407).`,
      hint: "Check the user name and password in http_proxy (or in HTTPS_PROXY/HTTP_PROXY), and that this proxy user may reach AWS.",
    });
  }
  if (e.name === "CredentialsProviderError") {
    return fail("authentication_failed", error, undefined, {
      message:
        "The asset gives no access_key and secret_key, and the machine's AWS credential chain found no credentials either.",
      hint: "Give access_key and secret_key in the asset, or provide credentials to the connector's machine (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a shared profile, or a container or instance role).",
    });
  }
  if (status === undefined) {
    return networkFailure(error, context);
  }
  if (e.$metadata?.requestId === undefined) {
    // Every AWS answer carries a request ID: this one came from something between the
    // connector and AWS (a proxy, a gateway, a VPC endpoint, a wrong endpoint_url).
    return notFromAws(status, error, e, context);
  }
  const awsCode = typeof e.name === "string" && isAwsErrorCode(e.name) ? e.name : undefined;
  if (awsCode === undefined) {
    return byStatus(status, error, e, context, "AWS answered with an error it did not name");
  }
  const explained = explainAwsError(awsCode, awsMessageOf(e, awsCode), e, context);
  return fail(explained.code, error, e, {
    message: explained.message,
    hint: (explained.overridable === false ? undefined : context.hints[awsCode]) ?? explained.hint,
    awsErrorCode: awsCode,
  });
}

/** What the SDK names errors it could not read: never an AWS error code. */
const NOT_AWS_CODES = new Set(["Error", "SyntaxError", "Unknown", "UnknownError", "TypeError"]);

function isAwsErrorCode(name: string): boolean {
  return /^[A-Z][A-Za-z0-9.]*$/.test(name) && !NOT_AWS_CODES.has(name);
}

/** AWS's own message, without the sentences the SDK adds about its internals. */
function awsMessageOf(e: AwsErrorShape, awsCode: string): string {
  const message = typeof e.message === "string" ? e.message : "";
  if (message === "" || /Deserialization error|\$response|^Unknown(Error)?$/.test(message)) {
    return awsCode;
  }
  return message;
}

interface Explanation {
  code: ErrorCode;
  message: string;
  hint: string;
  /** false when the hint is about something the operation's own hints do not cover. */
  overridable?: boolean;
}

/** What an explanation of one AWS error may draw on. */
interface ErrorFacts {
  awsCode: string;
  awsMessage: string;
  e: AwsErrorShape;
  context: CallContext;
  /** The key that signed, as a message names it. */
  key: string;
  /** The service that answered, as a message names it. */
  via: string;
  /** What the call was about, as a message names it. */
  target: string;
}

type Explain = (facts: ErrorFacts) => Explanation;

const unrecognisedKey: Explain = ({ via, key, awsMessage, context }) => ({
  code: "authentication_failed",
  message: `${via} does not recognise ${key}: ${awsMessage}`,
  hint: signedByRole(context)
    ? `STS issued these keys for role ${context.roleArn}: check that sts_endpoint_url and endpoint_url belong to the same partition and to AWS (keys of another partition or an emulator are unknown to Lambda), then run the action again.`
    : `Check access_key: it must be an existing, Active key (IAM → Users → Security credentials). Keys of one partition do not work in another: region ${context.region} needs keys from its own partition. A temporary (ASIA…) key also needs its session_token.`,
});

const badSignature: Explain = ({ via, key, awsMessage, context }) => ({
  code: "authentication_failed",
  message: `${via} rejected the request signature made with ${key}: ${awsMessage}`,
  hint: signedByRole(context)
    ? `STS issued these keys for role ${context.roleArn}, so secret_key is not at fault: check the machine's clock (AWS refuses signatures more than 5 minutes off), and that no proxy or gateway on the way (http_proxy, endpoint_url) alters the request.`
    : "Check secret_key: it must be the secret that belongs to access_key (re-enter it; a missing or extra character breaks the signature). Also check the machine's clock: AWS refuses signatures more than 5 minutes off.",
});

const expired: Explain = ({ via, awsMessage, context }) => ({
  code: "credentials_expired",
  message: `${via} says the security token has expired: ${awsMessage}`,
  hint: expiredHint(context),
});

const denied: Explain = ({ awsMessage, context }) => accessDenied(awsMessage, context);

const deniedOrRoleRefused: Explain = (facts) => {
  const { awsMessage, context, key } = facts;
  if (context.operation !== "AssumeRole") {
    return denied(facts);
  }
  const caller = /User: (\S+) is not authorized/.exec(awsMessage)?.[1] ?? key;
  return {
    code: "assume_role_failed",
    message: `${caller} may not assume role ${context.roleArn ?? "(none)"}: ${awsMessage}`,
    hint: `Check role_arn, then the role's trust policy: its Principal must name ${caller} (or its account), and a condition on sts:ExternalId must equal external_id. The caller also needs sts:AssumeRole on ${context.roleArn ?? "the role"} in its own policy.`,
  };
};

const notFound: Explain = ({ target, awsMessage, context }) => ({
  code: "not_found",
  // Lambda says "Function not found" when the function itself is missing; otherwise
  // the function exists and what the call reads (a policy, a statement, a URL) does not.
  message:
    !target.startsWith("function ") || /function not found/i.test(awsMessage)
      ? `${capitalized(target)} was not found in region ${context.region}: ${awsMessage}`
      : `${context.operation} found nothing for ${target} in region ${context.region}: ${awsMessage}`,
  hint: `Searched region ${context.region}${context.endpoint === undefined ? "" : ` at ${context.endpoint}`}. Check ${listOf(context.inputs, "the inputs")}, that region_name is the region the resource lives in, and that the credentials belong to its account.`,
});

const throttled: Explain = ({ e, via, target, context }) => {
  const reason = typeof e.Reason === "string" ? e.Reason : "unspecified";
  const after =
    typeof e.retryAfterSeconds === "string" ? ` AWS asked to wait ${e.retryAfterSeconds} s.` : "";
  return {
    code: "throttled",
    message: `${via} throttled ${target} (reason: ${reason}) after ${e.$metadata?.attempts ?? 1} attempt(s).${after}`,
    hint: throttleHint(reason, context),
  };
};

const tooLarge: Explain = ({ via, target, awsMessage, context }) => ({
  code: "payload_too_large",
  message: `${via} refused the request of ${target} as too large: ${awsMessage}`,
  hint: `Send less data in ${listOf(context.inputs, "the action inputs")}.`,
});

const unreadable: Explain = ({ via, target, awsMessage, context }) => ({
  code: "aws_error",
  message: `${via} could not read the request of ${target}: ${awsMessage}`,
  hint: `Check ${listOf(context.inputs, "the action inputs")} against the message above.`,
});

const busy: Explain = ({ target, awsMessage }) => ({
  code: "aws_error",
  message: `${capitalized(target)} is busy or not ready: ${awsMessage}`,
  hint: "The function is being created or updated; wait until its state is Active and its last update Successful, then run the action again.",
});

const AWS_SIDE_HINT =
  "AWS reported an error on its side; run the action again later, and check the AWS Health Dashboard.";

/** How each AWS error code the connector knows is explained; others fall to {@link otherError}. */
const EXPLANATIONS: Readonly<Record<string, Explain>> = {
  UnrecognizedClientException: unrecognisedKey,
  InvalidClientTokenId: unrecognisedKey,
  SignatureDoesNotMatch: badSignature,
  InvalidSignatureException: badSignature,
  ExpiredToken: expired,
  ExpiredTokenException: expired,
  RequestExpired: expired,
  AccessDenied: deniedOrRoleRefused,
  AccessDeniedException: denied,
  RegionDisabledException: ({ awsMessage, context }) => ({
    code: "assume_role_failed",
    message: `STS is not activated in region ${context.region}: ${awsMessage}`,
    hint: `Activate STS for ${context.region} in IAM → Account settings, or set sts_endpoint_url to an STS endpoint of an active region.`,
  }),
  ValidationError: ({ awsMessage, context }) => ({
    code: context.operation === "AssumeRole" ? "assume_role_failed" : "aws_error",
    message: `STS rejected the ${context.operation} parameters: ${awsMessage}`,
    hint: "Check session_duration (at most the role's maximum session duration, and at most 3600 s when the caller is itself an assumed role), role_session_name and role_arn.",
  }),
  ResourceNotFoundException: notFound,
  NoSuchEntityException: notFound,
  ProvisionedConcurrencyConfigNotFoundException: notFound,
  Throttling: throttled,
  ThrottlingException: throttled,
  TooManyRequestsException: throttled,
  RequestTooLargeException: tooLarge,
  SerializedRequestEntityTooLargeException: tooLarge,
  InvalidRequestContentException: unreadable,
  UnsupportedMediaTypeException: unreadable,
  InvalidParameterValueException: ({ via, target, awsMessage, context }) => ({
    code: "aws_error",
    message: `${via} rejected a parameter of ${target}: ${awsMessage}`,
    hint: `Check ${listOf(context.inputs, "the action inputs")} against the message above.`,
  }),
  ResourceConflictException: ({ awsMessage, target }) => conflict(awsMessage, target),
  ResourceNotReadyException: busy,
  ServiceException: ({ via, awsMessage, context }) => ({
    code: "aws_error",
    message: `${via} ${context.operation} failed on AWS's side: ${awsMessage}`,
    hint: AWS_SIDE_HINT,
  }),
};

/** An AWS error code without an entry: a broken function configuration, or any other. */
const otherError: Explain = ({ awsCode, awsMessage, e, via, target, context }) =>
  isFunctionConfigurationError(awsCode)
    ? {
        code: "function_misconfigured",
        message: `Lambda could not start ${target} because of its configuration (${awsCode}): ${awsMessage}`,
        hint: "Fix the function's VPC, subnet, security group, KMS key or runtime settings in Lambda; retrying will not help until then.",
      }
    : {
        code: "aws_error",
        message: `${via} ${context.operation} failed (${awsCode}): ${awsMessage}`,
        hint:
          (e.$metadata?.httpStatusCode ?? 0) >= 500
            ? AWS_SIDE_HINT
            : `Check ${listOf(context.inputs, "the asset's permissions and settings")} against the message above.`,
      };

function explainAwsError(
  awsCode: string,
  awsMessage: string,
  e: AwsErrorShape,
  context: CallContext,
): Explanation {
  const explain = Object.hasOwn(EXPLANATIONS, awsCode) ? EXPLANATIONS[awsCode] : undefined;
  return (explain ?? otherError)({
    awsCode,
    awsMessage,
    e,
    context,
    key: signedByRole(context)
      ? `the temporary keys of role ${context.roleArn}`
      : context.accessKeyId === undefined
        ? "the credentials from the machine's AWS credential chain"
        : `access key ${context.accessKeyId}`,
    via: context.service === "sts" ? "STS" : "AWS Lambda",
    target: context.target ?? `the ${context.operation} call`,
  });
}

/**
 * What a ResourceConflictException is about, told by AWS's own words: a name or id that
 * is taken, a version an alias still points to, or a function busy with an update.
 */
const CONFLICTS: ReadonlyArray<{
  says: RegExp;
  message: (target: string) => string;
  hint: string;
}> = [
  {
    says: /statement id .* already exists/i,
    message: (target) => `A statement with this id already exists in the policy of ${target}`,
    hint: "Pick another statement_id, or remove the existing statement first (see get_policy).",
  },
  {
    says: /function already exist/i,
    message: (target) => `${capitalized(target)} already exists`,
    hint: "Pick another function_name, or inspect the existing function with get_function.",
  },
  {
    says: /FunctionUrlConfig exists/i,
    message: (target) => `${capitalized(target)} already has a URL`,
    hint: "Change it with update_function_url_config, or delete it first.",
  },
  {
    says: /alias|version .* (referenced|in use)/i,
    message: (target) => `${capitalized(target)} is still referenced by an alias`,
    hint: "Point the alias at another version (or delete the alias) first, then delete the version.",
  },
];

function conflict(awsMessage: string, target: string): Explanation {
  const known = CONFLICTS.find((entry) => entry.says.test(awsMessage));
  if (known !== undefined) {
    return {
      code: "aws_error",
      message: `${known.message(target)}: ${awsMessage}`,
      hint: known.hint,
    };
  }
  return {
    code: "aws_error",
    message: `${capitalized(target)} is busy with another change: ${awsMessage}`,
    hint: "The function is being created or updated; wait until its state is Active and its last update Successful, then run the action again.",
  };
}

function accessDenied(awsMessage: string, context: CallContext): Explanation {
  const principal = /User: (\S+) is not authorized/.exec(awsMessage)?.[1];
  const who = principal ?? (signedByRole(context) ? `role ${context.roleArn}` : "the caller");
  const resource = /on resource: (\S+)/.exec(awsMessage)?.[1] ?? context.resource;
  // AWS names the action it refused; an operation may need more than its own (iam:PassRole).
  const action = /not authorized to perform: (\S+)/.exec(awsMessage)?.[1] ?? context.iamAction;
  // AWS says why: "because no identity-based policy allows …" or "… with an explicit deny in a resource-based policy".
  const because = /\b((?:because|with an explicit deny).*)$/.exec(awsMessage)?.[1];
  return {
    code: "access_denied",
    message: `${who} may not call ${action} on ${resource}${because === undefined ? `: ${awsMessage}` : ` (${because})`}`,
    hint:
      explicitDenyHint(awsMessage, { ...context, iamAction: action }, principal, resource) ??
      accessDeniedHint({ ...context, iamAction: action }, principal, resource),
    // An operation's own access hint is about its own action, not another it needs, and
    // says what to grant: after an explicit Deny, granting more would not help.
    overridable: action === context.iamAction && !EXPLICIT_DENY.test(awsMessage),
  };
}

/** How AWS says a Deny statement refused the call, and in which kind of policy. */
const EXPLICIT_DENY =
  /with an explicit deny in an? (identity-based policy|resource-based policy|service control policy|permissions boundary|session policy)/i;

/**
 * The hint for a call an explicit Deny refused: which policy to look at. No Allow can
 * override a Deny, so "Grant …" would send the reader the wrong way. Undefined when AWS
 * did not say a Deny refused it.
 */
function explicitDenyHint(
  awsMessage: string,
  context: CallContext,
  principal: string | undefined,
  resource: string,
): string | undefined {
  const where = EXPLICIT_DENY.exec(awsMessage)?.[1]?.toLowerCase();
  if (where === undefined) {
    return undefined;
  }
  const denied = `${context.iamAction} on ${resource}`;
  const holder = policyHolderOf(context, principal);
  const fix: Record<string, string> = {
    "identity-based policy": `A policy attached to ${holder} explicitly denies ${denied}: remove or narrow that Deny statement; adding an Allow cannot override it.`,
    "resource-based policy":
      context.service === "lambda"
        ? `The function's resource-based policy explicitly denies ${denied} to ${holder}: find the Deny statement with get_policy and remove it (remove_permission) or narrow it.`
        : `A resource-based policy explicitly denies ${denied} to ${holder}: remove or narrow that Deny statement.`,
    "service control policy": `A service control policy (SCP) of the AWS Organization explicitly denies ${denied}: ask the organization's administrators to change it; no policy in this account can override it.`,
    "permissions boundary": `The permissions boundary of ${holder} explicitly denies ${denied}: change the boundary; adding an Allow to ${holder}'s policies cannot override it.`,
    "session policy": `The session policy of ${holder}'s session explicitly denies ${denied}: assume the role without that session policy, or change it.`,
  };
  return fix[where];
}

function accessDeniedHint(
  context: CallContext,
  principal: string | undefined,
  resource: string,
): string {
  const policyHolder = policyHolderOf(context, principal);
  const qualified =
    context.qualifier === undefined
      ? ""
      : " (a qualified call needs the qualified ARN, or the function ARN followed by :*)";
  const resourcePolicy =
    context.service === "lambda"
      ? " If the policy already allows it, look for a Deny in the function's resource-based policy, a permissions boundary or an SCP."
      : " If the policy already allows it, look for a permissions boundary or an SCP that denies it.";
  return `Grant ${context.iamAction} on exactly ${resource} in the policy of ${policyHolder}${qualified}.${resourcePolicy}`;
}

/** Whose policies decide: an assumed-role session's are the role's, so name the role. */
function policyHolderOf(context: CallContext, principal: string | undefined): string {
  return signedByRole(context) && (principal === undefined || principal.includes(":assumed-role/"))
    ? `role ${context.roleArn}`
    : (principal ?? "the caller");
}

function expiredHint(context: CallContext): string {
  switch (context.credentialKind) {
    case "temporary-keys":
      return context.roleArn === undefined
        ? "The temporary keys (access_key, secret_key, session_token) have expired: issue new ones, or use long-term keys or a role_arn, which the connector refreshes by itself."
        : `The temporary keys used to assume ${context.roleArn} have expired: issue new ones (access_key, secret_key, session_token), or use long-term keys.`;
    case "chain":
      return "The credentials from the machine's AWS credential chain have expired: renew them where they come from (the profile's SSO login, the container or instance role).";
    default:
      return !signedByRole(context)
        ? "AWS says the token has expired although the asset gives long-term keys: check the machine's clock, and that no session_token is set by mistake."
        : `The assumed-role credentials for ${context.roleArn} expired during the run: run the action again; if it persists, check the machine's clock and session_duration.`;
  }
}

/** Whether the assumed role's temporary keys signed the call (see {@link CallContext.signer}). */
function signedByRole(context: CallContext): boolean {
  return (
    context.roleArn !== undefined &&
    context.signer !== "asset" &&
    context.operation !== "AssumeRole"
  );
}

function throttleHint(reason: string, context: CallContext): string {
  switch (reason) {
    case "ReservedFunctionConcurrentInvocationLimitExceeded":
    case "ReservedFunctionInvocationRateLimitExceeded":
      return "The function's reserved concurrency is used up: raise it in the function's configuration, or run fewer invocations at once. A reserved concurrency of 0 (a containment throttle) stops every invocation until it is lifted with delete_function_concurrency.";
    case "ConcurrentInvocationLimitExceeded":
    case "FunctionInvocationRateLimitExceeded":
      return "The account's Lambda concurrency in this region is used up: request a higher quota in Service Quotas, or spread invocations over time.";
    default:
      return context.service === "sts"
        ? "STS is throttling this caller: each run of an action assumes the role once, so many parallel runs mean as many AssumeRole calls; run fewer at once, or retry later."
        : `AWS is throttling ${context.iamAction} for this caller: run fewer actions at once, or retry later.`;
  }
}

/** An HTTP error answer without an AWS request ID: not AWS's, so not AWS's error code. */
function notFromAws(
  status: number,
  error: unknown,
  e: AwsErrorShape,
  context: CallContext,
): ConnectorError {
  if (context.proxy !== undefined && status !== 403 && status !== 404) {
    // A proxy that answers after forwarding may have let the call through.
    const mayHaveRun =
      context.operation === "Invoke" && status !== 407
        ? " It may have forwarded the invocation first: the function may have run, so it was not sent again."
        : "";
    return fail("proxy_error", error, e, {
      message: `The proxy ${context.proxy} answered ${context.operation} itself with HTTP ${status}, not ${describeEndpoint(context)}.${mayHaveRun}`,
      hint: `Check that the proxy ${context.proxy} may reach AWS (its allow-list, CONNECT to port 443) and can resolve the AWS host; if AWS should be reached directly, clear http_proxy or add the host to NO_PROXY.`,
    });
  }
  const contentType = e.$response?.headers?.["content-type"];
  return byStatus(
    status,
    error,
    e,
    context,
    `the answer did not come from AWS (no AWS request ID${contentType === undefined ? "" : `, ${contentType.split(";")[0]} body`})`,
  );
}

/** An error answer AWS did not name, classified by its HTTP status alone. */
function byStatus(
  status: number,
  error: unknown,
  e: AwsErrorShape,
  context: CallContext,
  why: string,
): ConnectorError {
  const where = describeEndpoint(context);
  const between = "a VPC endpoint policy, an API gateway or a proxy between the connector and AWS";
  if (status === 401 || status === 403) {
    return fail("access_denied", error, e, {
      message: `${context.operation} was refused with HTTP ${status} by ${where}; ${why}.`,
      hint: `${accessDeniedHint(context, undefined, context.resource)} The refusal may also come from ${between}: check endpoint_url and their policies.`,
    });
  }
  if (status === 404) {
    return fail("not_found", error, e, {
      message: `${where} answered ${context.operation} with HTTP 404; ${why}.`,
      hint: `Either ${context.target ?? "the resource"} does not exist in region ${context.region}, or the endpoint is not AWS ${context.service === "sts" ? "STS" : "Lambda"}: check ${context.service === "sts" ? "sts_endpoint_url" : "endpoint_url"} and region_name.`,
    });
  }
  if (status === 429) {
    return fail("throttled", error, e, {
      message: `${where} throttled ${context.operation} (HTTP 429); ${why}.`,
      hint: `Run fewer actions at once or retry later; if AWS itself is not throttling, check the limits of ${between}.`,
    });
  }
  if (status >= 500) {
    return fail("aws_error", error, e, {
      message: `${where} failed ${context.operation} with HTTP ${status}; ${why}.`,
      hint: `The service, or the path to it (${between}), is failing: run the action again later, and check the AWS Health Dashboard and ${context.service === "sts" ? "sts_endpoint_url" : "endpoint_url"}.`,
    });
  }
  if (status < 400) {
    return fail("endpoint_error", error, e, {
      message: `${where} answered ${context.operation} with HTTP ${status} and a body that is not AWS's; ${why}.`,
      hint: notAwsHint(context),
    });
  }
  return fail("aws_error", error, e, {
    message: `${where} answered ${context.operation} with HTTP ${status}; ${why}.`,
    hint: `Check ${context.service === "sts" ? "sts_endpoint_url" : "endpoint_url"} and region_name: the endpoint may not be AWS ${context.service === "sts" ? "STS" : "Lambda"}.`,
  });
}

/**
 * A success that did not come from AWS: AWS puts a request ID on every answer, so one
 * without it came from a wrong endpoint_url, a captive portal or a misbehaving proxy,
 * and its answer must not be used.
 *
 * @example
 * ```ts
 * if (response.$metadata.requestId === undefined) throw notAwsSuccess(200, context);
 * ```
 */
export function notAwsSuccess(status: number | undefined, context: CallContext): ConnectorError {
  const name = context.service === "sts" ? "STS" : "Lambda";
  return new ConnectorError(
    "endpoint_error",
    `${context.endpoint ?? `The ${name} endpoint`} answered ${context.operation} with HTTP ${status ?? "?"} but without an AWS request ID: it is not AWS ${name}, so its answer was not used.`,
    { hint: notAwsHint(context), ...(status === undefined ? {} : { httpStatus: status }) },
  );
}

/**
 * An answer in AWS's shape whose contents are not what AWS sends (a list that is not a
 * list, a null item): the endpoint's fault, not a defect of the connector.
 *
 * @example
 * ```ts
 * if (!Array.isArray(items)) throw malformedAnswer(context);
 * ```
 */
export function malformedAnswer(context: CallContext, cause?: unknown): ConnectorError {
  const name = context.service === "sts" ? "STS" : "Lambda";
  return new ConnectorError(
    "endpoint_error",
    `${context.endpoint ?? `The ${name} endpoint`} answered ${context.operation} with values of types AWS ${name} never sends${cause instanceof Error ? ` (${cause.message})` : ""}, so its answer was not used.`,
    { hint: notAwsHint(context), ...(cause === undefined ? {} : { cause }) },
  );
}

function notAwsHint(context: CallContext): string {
  return `Check ${context.service === "sts" ? "sts_endpoint_url" : "endpoint_url"} (it must be AWS ${context.service === "sts" ? "STS" : "Lambda"} or a faithful emulator) and any proxy or gateway in between.`;
}

function describeEndpoint(context: CallContext): string {
  return (
    context.endpoint ??
    `the ${context.service === "sts" ? "STS" : "Lambda"} endpoint of ${context.region}`
  );
}

function networkFailure(error: unknown, context: CallContext): ConnectorError {
  const e = (error ?? {}) as AwsErrorShape & { code?: unknown };
  const code = networkErrorCode(error);
  const name = typeof e.name === "string" ? e.name : "Error";
  const host = describeEndpoint(context);
  const service = context.service === "sts" ? "STS" : "Lambda";
  if (isRequestTimeout(error)) {
    const limit = context.timeoutMs === undefined ? "" : ` ${context.timeoutMs / 1000} s`;
    const on = context.target === undefined ? "" : ` on ${context.target}`;
    return fail("request_timeout", error, e, {
      message: `No answer from ${service} to ${context.operation}${on} within the${limit} request timeout.`,
      hint:
        context.operation === "Invoke"
          ? `The function may still be running, so the call was not sent again. Raise timeout_seconds${limit === "" ? "" : ` (${limit.trim()} now)`} above the function's own timeout, or use invocation_type Event for long jobs.`
          : `Check that ${service} is reachable from this machine (proxy, firewall, ${context.service === "sts" ? "sts_endpoint_url" : "endpoint_url"}).`,
    });
  }
  if (isTlsFailure(code)) {
    return fail("network_error", error, e, {
      message: `TLS verification of ${host} failed (${code}).`,
      hint: "A TLS-inspecting proxy is the usual cause: point AWS_CA_BUNDLE or NODE_EXTRA_CA_CERTS at its root CA. Turn verify_ssl off only as a last resort.",
    });
  }
  if (context.operation === "Invoke" && networkPhase(error) === "mid-flight") {
    return fail("network_error", error, e, {
      message: `The connection to Lambda broke after the invocation was sent (${code}): the function may have run, so it was not sent again.`,
      hint: `Check the function's logs for this run before running the action again${context.proxy === undefined ? "" : `, and the proxy ${context.proxy}`}. For an idempotent function, set allow_duplicate_runs to let the connector retry such failures.`,
    });
  }
  const what =
    (code === undefined ? undefined : NETWORK_ERRORS[code]?.description) ??
    `${name}: ${String(e.message ?? "")}`;
  if (context.proxy !== undefined) {
    return fail("proxy_error", error, e, {
      message: `Could not reach ${host} through proxy ${context.proxy}: ${what}${code === undefined ? "" : ` (${code})`}.`,
      hint: `Check that the proxy ${context.proxy} is running and reachable from this machine, and that it allows CONNECT to AWS (port 443). If AWS should be reached directly, clear http_proxy or add the host to NO_PROXY.`,
    });
  }
  if (context.service === "sts") {
    return fail("network_error", error, e, {
      message: `Could not reach STS (${context.endpoint ?? `its regional endpoint in ${context.region}`}) for ${context.operation}: ${what}${code === undefined ? "" : ` (${code})`}.`,
      hint: `Check sts_endpoint_url${context.endpoint === undefined ? " (unset: the regional STS endpoint is used)" : ` (${context.endpoint})`} and region_name (${context.region}), DNS and the firewall; behind a corporate proxy set http_proxy.`,
      field: "sts_endpoint_url",
    });
  }
  return fail("network_error", error, e, {
    message: `Could not reach ${host}: ${what}${code === undefined ? "" : ` (${code})`}.`,
    hint: `Check region_name (${context.region})${context.endpoint === undefined ? "" : ` and the endpoint URL ${context.endpoint}`}, DNS and the firewall; behind a corporate proxy set http_proxy.`,
  });
}

/** The first error of class `type` in `error`'s cause chain. */
function findInChain<T>(error: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  let current = error;
  for (let depth = 0; depth < 6 && typeof current === "object" && current !== null; depth += 1) {
    if (current instanceof type) {
      return current;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function listOf(inputs: readonly string[], fallback: string): string {
  if (inputs.length === 0) {
    return fallback;
  }
  if (inputs.length === 1) {
    return inputs[0] ?? fallback;
  }
  return `${inputs.slice(0, -1).join(", ")} and ${inputs.at(-1)}`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function fail(
  code: ErrorCode,
  cause: unknown,
  e: AwsErrorShape | undefined,
  text: { message: string; hint: string; awsErrorCode?: string; field?: string },
): ConnectorError {
  const requestId = e?.$metadata?.requestId;
  const httpStatus = e?.$metadata?.httpStatusCode;
  return new ConnectorError(code, text.message, {
    hint: text.hint,
    cause,
    ...(text.field === undefined ? {} : { field: text.field }),
    ...(text.awsErrorCode === undefined ? {} : { awsErrorCode: text.awsErrorCode }),
    ...(requestId === undefined ? {} : { requestId }),
    ...(httpStatus === undefined ? {} : { httpStatus }),
  });
}

/**
 * A page request AWS refused because of the `marker` input it started from: the input
 * is named, since AWS's "Invalid marker" names no field of the action. Any other error
 * passes through unchanged.
 *
 * @example
 * ```ts
 * await executor.send(call, command).catch((error) => { throw refusedMarker(error); });
 * ```
 */
export function refusedMarker(error: unknown): unknown {
  if (
    !(error instanceof ConnectorError) ||
    error.awsErrorCode !== "InvalidParameterValueException"
  ) {
    return error;
  }
  return new InvalidInputError(
    "invalid_input",
    "marker: AWS refused it as a place to resume from; it must be a next_marker output of this action, run with the same inputs, unchanged",
    {
      field: "marker",
      hint: "Pass the next_marker of the earlier run exactly as it was returned, or leave marker empty to start from the first item.",
      cause: error,
      awsErrorCode: error.awsErrorCode,
      ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
      ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
    },
  );
}
