import { ConnectorError, type ErrorCode } from "../errors.js";
import { isFunctionConfigurationError, MID_FLIGHT_CODES } from "./invokeRetryStrategy.js";

/**
 * What the connector knew when an AWS call failed; it turns an AWS error code into a
 * hint that names the exact thing to check. No field here may hold a secret.
 */
export interface CallContext {
  service: "lambda" | "sts";
  /** The AWS operation, e.g. `Invoke` or `AssumeRole`. */
  operation: string;
  region: string;
  /** The access key ID in use, when the asset gives keys (key IDs are not secret). */
  accessKeyId: string | undefined;
  roleArn: string | undefined;
  /** The proxy the call went through, password already masked. */
  proxy: string | undefined;
  /** The endpoint the call went to, when the asset overrides it. */
  endpoint: string | undefined;
  /** For Lambda calls: the function as the user named it, and its qualifier. */
  functionName?: string;
  qualifier?: string | undefined;
}

interface AwsErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  Reason?: unknown;
  retryAfterSeconds?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
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
 *   throw toConnectorError(error, context);
 * }
 * ```
 */
export function toConnectorError(error: unknown, context: CallContext): ConnectorError {
  if (error instanceof ConnectorError) {
    return error;
  }
  const e = (error ?? {}) as AwsErrorShape;
  const status = e.$metadata?.httpStatusCode;
  if (status === 407) {
    return fail("proxy_error", error, undefined, {
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
  if (context.proxy !== undefined && e.$metadata?.requestId === undefined) {
    // Every AWS answer carries a request ID; an HTTP error without one came from the
    // proxy (it could not reach AWS, or its policy refused), replayed to the SDK.
    return fail("proxy_error", error, undefined, {
      message: `The proxy ${context.proxy} answered HTTP ${status} instead of passing the request to ${context.endpoint ?? `the ${context.service} endpoint of ${context.region}`}.`,
      hint: `Check that the proxy ${context.proxy} may reach AWS (its allow-list, CONNECT to port 443) and can resolve the AWS host; if AWS should be reached directly, clear http_proxy or add the host to NO_PROXY.`,
    });
  }
  const awsCode = typeof e.name === "string" ? e.name : "UnknownError";
  const awsMessage = typeof e.message === "string" && e.message !== "" ? e.message : awsCode;
  const explained = explainAwsError(awsCode, awsMessage, e, context);
  return fail(explained.code, error, e, {
    message: explained.message,
    hint: explained.hint,
    awsErrorCode: awsCode,
  });
}

interface Explanation {
  code: ErrorCode;
  message: string;
  hint: string;
}

function explainAwsError(
  awsCode: string,
  awsMessage: string,
  e: AwsErrorShape,
  context: CallContext,
): Explanation {
  const target = describeTarget(context);
  const key =
    context.accessKeyId === undefined
      ? "the credentials from the machine's AWS credential chain"
      : `access key ${context.accessKeyId}`;
  const via = context.service === "sts" ? "STS" : "AWS Lambda";
  switch (awsCode) {
    case "UnrecognizedClientException":
    case "InvalidClientTokenId":
      return {
        code: "authentication_failed",
        message: `${via} does not recognise ${key}: ${awsMessage}`,
        hint: `Check access_key: it must be an existing, Active key (IAM → Users → Security credentials). Keys of one partition do not work in another: region ${context.region} needs keys from its own partition. A temporary (ASIA…) key also needs its session_token.`,
      };
    case "SignatureDoesNotMatch":
    case "InvalidSignatureException":
      return {
        code: "authentication_failed",
        message: `${via} rejected the request signature made with ${key}: ${awsMessage}`,
        hint: "Check secret_key: it must be the secret that belongs to access_key (re-enter it; a missing or extra character breaks the signature). Also check the machine's clock: AWS refuses signatures more than 5 minutes off.",
      };
    case "ExpiredToken":
    case "ExpiredTokenException":
    case "RequestExpired":
      return {
        code: "credentials_expired",
        message: `${via} says the security token has expired: ${awsMessage}`,
        hint:
          context.roleArn === undefined
            ? "The temporary keys (access_key, secret_key, session_token) have expired: issue new ones, or use long-term keys or a role_arn, which the connector refreshes by itself."
            : `The credentials used to assume ${context.roleArn} have expired: refresh the asset's temporary keys, or use long-term keys.`,
      };
    case "AccessDenied":
      if (context.operation === "AssumeRole") {
        const caller = /User: (\S+) is not authorized/.exec(awsMessage)?.[1] ?? key;
        return {
          code: "assume_role_failed",
          message: `${caller} may not assume role ${context.roleArn ?? "(none)"}: ${awsMessage}`,
          hint: `Check role_arn, then the role's trust policy: its Principal must name ${caller} (or its account), and a condition on sts:ExternalId must equal external_id. The caller also needs sts:AssumeRole on ${context.roleArn ?? "the role"} in its own policy.`,
        };
      }
      return accessDenied(awsMessage, target, context);
    case "AccessDeniedException":
      return accessDenied(awsMessage, target, context);
    case "RegionDisabledException":
      return {
        code: "assume_role_failed",
        message: `STS is not activated in region ${context.region}: ${awsMessage}`,
        hint: `Activate STS for ${context.region} in IAM → Account settings, or set sts_endpoint_url to an STS endpoint of an active region.`,
      };
    case "ValidationError":
      return {
        code: context.operation === "AssumeRole" ? "assume_role_failed" : "aws_error",
        message: `STS rejected the ${context.operation} parameters: ${awsMessage}`,
        hint: "Check session_duration (at most the role's maximum session duration, and at most 3600 s when the caller is itself an assumed role), role_session_name and role_arn.",
      };
    case "ResourceNotFoundException":
      return {
        code: "not_found",
        message: `${target} was not found in region ${context.region}: ${awsMessage}`,
        hint: `Searched region ${context.region}${context.endpoint === undefined ? "" : ` at ${context.endpoint}`}. Check function_name and qualifier (the version or alias must exist), that region_name is the region the function lives in, and that the credentials belong to the function's account (give a full ARN to be explicit).`,
      };
    case "TooManyRequestsException": {
      const reason = typeof e.Reason === "string" ? e.Reason : "unspecified";
      const after =
        typeof e.retryAfterSeconds === "string"
          ? ` AWS asked to wait ${e.retryAfterSeconds} s.`
          : "";
      return {
        code: "throttled",
        message: `Lambda throttled the invocation of ${target} (reason: ${reason}) after ${e.$metadata?.attempts ?? 1} attempt(s).${after}`,
        hint: throttleHint(reason),
      };
    }
    case "RequestTooLargeException":
    case "SerializedRequestEntityTooLargeException":
      return {
        code: "payload_too_large",
        message: `Lambda refused the payload for ${target} as too large: ${awsMessage}`,
        hint: "Send a smaller payload (6 MB for RequestResponse, 1 MB for Event), or pass a reference such as an S3 key instead of the data.",
      };
    case "InvalidRequestContentException":
    case "UnsupportedMediaTypeException":
      return {
        code: "aws_error",
        message: `Lambda could not read the payload for ${target}: ${awsMessage}`,
        hint: "The payload must be JSON: pass an object or array, or a string that holds JSON text.",
      };
    case "InvalidParameterValueException":
      return {
        code: "aws_error",
        message: `Lambda rejected a parameter for ${target}: ${awsMessage}`,
        hint: "Check function_name, qualifier and client_context.",
      };
    case "ResourceConflictException":
    case "ResourceNotReadyException":
      return {
        code: "aws_error",
        message: `${target} is not ready to run: ${awsMessage}`,
        hint: "The function is being created or updated; wait until its state is Active, then run the action again.",
      };
    default:
      if (isFunctionConfigurationError(awsCode)) {
        return {
          code: "function_misconfigured",
          message: `Lambda could not start ${target} because of its configuration (${awsCode}): ${awsMessage}`,
          hint: "Fix the function's VPC, subnet, security group, KMS key or runtime settings in Lambda; retrying will not help until then.",
        };
      }
      return {
        code: "aws_error",
        message: `${via} ${context.operation} failed (${awsCode}): ${awsMessage}`,
        hint:
          (e.$metadata?.httpStatusCode ?? 0) >= 500
            ? "AWS reported an error on its side; run the action again later, and check the AWS Health Dashboard."
            : "Check the action inputs against the message above.",
      };
  }
}

function accessDenied(awsMessage: string, target: string, context: CallContext): Explanation {
  const principal = /User: (\S+) is not authorized/.exec(awsMessage)?.[1];
  const who =
    principal ?? (context.roleArn === undefined ? "the caller" : `role ${context.roleArn}`);
  const resource = /on resource: (\S+)/.exec(awsMessage)?.[1] ?? target;
  const action = `lambda:${context.operation === "Invoke" ? "InvokeFunction" : context.operation}`;
  // AWS says why: "because no identity-based policy allows …" or "… with an explicit deny in a resource-based policy".
  const because = /\b((?:because|with an explicit deny).*)$/.exec(awsMessage)?.[1];
  // An assumed-role session's permissions are the role's: name the role to edit.
  const policyHolder =
    principal?.includes(":assumed-role/") && context.roleArn !== undefined
      ? `role ${context.roleArn}`
      : who;
  return {
    code: "access_denied",
    message: `${who} may not call ${action} on ${resource}${because === undefined ? `: ${awsMessage}` : ` (${because})`}`,
    hint: `Grant ${action} on exactly ${resource} in the policy of ${policyHolder}${context.qualifier === undefined ? "" : " (a qualified call needs the qualified ARN, or the function ARN followed by :*)"}. If the policy already allows it, look for a Deny in the function's resource-based policy, a permissions boundary or an SCP.`,
  };
}

function throttleHint(reason: string): string {
  switch (reason) {
    case "ReservedFunctionConcurrentInvocationLimitExceeded":
    case "ReservedFunctionInvocationRateLimitExceeded":
      return "The function's reserved concurrency is used up: raise it in the function's configuration, or run fewer invocations at once.";
    case "ConcurrentInvocationLimitExceeded":
    case "FunctionInvocationRateLimitExceeded":
      return "The account's Lambda concurrency in this region is used up: request a higher quota in Service Quotas, or spread invocations over time.";
    default:
      return "Lambda is throttling this caller: run fewer invocations at once, or retry later.";
  }
}

function describeTarget(context: CallContext): string {
  if (context.functionName === undefined) {
    return context.service === "sts" ? `role ${context.roleArn ?? "(none)"}` : "the function";
  }
  const qualified =
    context.qualifier === undefined || context.functionName.endsWith(`:${context.qualifier}`);
  return qualified
    ? `function ${context.functionName}`
    : `function ${context.functionName} (qualifier ${context.qualifier})`;
}

const NETWORK_HINTS: Record<string, string> = {
  ECONNREFUSED: "nothing accepted the connection",
  ENOTFOUND: "the host name does not resolve",
  EAI_AGAIN: "DNS lookup failed for now",
  ECONNRESET: "the connection was reset",
  EPIPE: "the connection was closed while sending",
  ETIMEDOUT: "the connection timed out",
  EHOSTUNREACH: "the host is unreachable",
  ENETUNREACH: "the network is unreachable",
};

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|SSL/;

/**
 * The handler's own request timeout. The handler also renames resets and OS-level
 * timeouts to `TimeoutError` (keeping their `code`), so the name alone is not enough.
 */
function isRequestTimeout(e: AwsErrorShape): boolean {
  return (
    e.name === "TimeoutError" &&
    typeof e.message === "string" &&
    e.message.includes("requestTimeout")
  );
}

function networkFailure(error: unknown, context: CallContext): ConnectorError {
  const e = (error ?? {}) as AwsErrorShape;
  const code = typeof e.code === "string" ? e.code : undefined;
  const name = typeof e.name === "string" ? e.name : "Error";
  const host = context.endpoint ?? `the ${context.service} endpoint of ${context.region}`;
  if (isRequestTimeout(e)) {
    return fail("request_timeout", error, e, {
      message: `No answer from ${context.service === "sts" ? "STS" : "Lambda"} within the request timeout.`,
      hint:
        context.service === "lambda"
          ? "The function may still be running, so the call was not sent again. Raise timeout_seconds above the function's own timeout, or use invocation_type Event for long jobs."
          : "Check that STS is reachable from this machine (proxy, firewall, sts_endpoint_url).",
    });
  }
  if (code !== undefined && TLS_CODES.test(code)) {
    return fail("network_error", error, e, {
      message: `TLS verification of ${host} failed (${code}).`,
      hint: "A TLS-inspecting proxy is the usual cause: point AWS_CA_BUNDLE or NODE_EXTRA_CA_CERTS at its root CA. Turn verify_ssl off only as a last resort.",
    });
  }
  if (context.operation === "Invoke" && code !== undefined && MID_FLIGHT_CODES.has(code)) {
    return fail("network_error", error, e, {
      message: `The connection to Lambda broke after the invocation was sent (${code}): the function may have run, so it was not sent again.`,
      hint: `Check the function's logs for this run before running the action again${context.proxy === undefined ? "" : `, and the proxy ${context.proxy}`}. For an idempotent function, set allow_duplicate_runs to let the connector retry such failures.`,
    });
  }
  const what =
    (code !== undefined ? NETWORK_HINTS[code] : undefined) ?? `${name}: ${String(e.message ?? "")}`;
  if (context.proxy !== undefined) {
    return fail("proxy_error", error, e, {
      message: `Could not reach ${host} through proxy ${context.proxy}: ${what}${code === undefined ? "" : ` (${code})`}.`,
      hint: `Check that the proxy ${context.proxy} is running and reachable from this machine, and that it allows CONNECT to AWS (port 443). If AWS should be reached directly, clear http_proxy or add the host to NO_PROXY.`,
    });
  }
  return fail("network_error", error, e, {
    message: `Could not reach ${host}: ${what}${code === undefined ? "" : ` (${code})`}.`,
    hint: `Check region_name (${context.region})${context.endpoint === undefined ? "" : ` and the endpoint URL ${context.endpoint}`}, DNS and the firewall; behind a corporate proxy set http_proxy.`,
  });
}

function fail(
  code: ErrorCode,
  cause: unknown,
  e: AwsErrorShape | undefined,
  text: { message: string; hint: string; awsErrorCode?: string },
): ConnectorError {
  const requestId = e?.$metadata?.requestId;
  return new ConnectorError(code, text.message, {
    hint: text.hint,
    cause,
    ...(text.awsErrorCode === undefined ? {} : { awsErrorCode: text.awsErrorCode }),
    ...(requestId === undefined ? {} : { requestId }),
  });
}
