import {
  EC2ThrottledException,
  EC2UnexpectedException,
  ENILimitReachedException,
  GetAccountSettingsCommand,
  InvalidParameterValueException,
  InvalidRuntimeException,
  KMSDisabledException,
  LambdaClient,
  LambdaServiceException,
  RequestTooLargeException,
  ResourceNotFoundException,
  ServiceException,
  SubnetIPAddressLimitReachedException,
  TooManyRequestsException,
} from "@aws-sdk/client-lambda";
import type { HttpHandler, HttpRequest } from "@smithy/core/protocols";
import { HttpResponse } from "@smithy/core/protocols";
import {
  isServerError,
  isThrottlingError,
  isTransientError,
  StandardRetryStrategy,
} from "@smithy/core/retry";
import type { RetryErrorInfo, SdkError } from "@smithy/types";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { NETWORK_ERRORS } from "../../../src/aws/networkErrors.js";
import {
  AtMostOnceRetryStrategy,
  classifyFailure,
  MAX_ATTEMPTS,
  type RetryPolicy,
  retryStrategyFor,
} from "../../../src/aws/retryPolicy.js";
import {
  ACCESS_KEY_ID,
  networkError,
  REGION,
  REQUEST_ID,
  SECRET_ACCESS_KEY,
} from "../../fixtures.js";

const fromAws = (httpStatusCode: number) => ({ httpStatusCode, requestId: REQUEST_ID });

const throttled = new TooManyRequestsException({
  message: "Rate Exceeded.",
  $metadata: fromAws(429),
  Reason: "ReservedFunctionConcurrentInvocationLimitExceeded",
  Type: "User",
  retryAfterSeconds: "0",
});
const throttledUnmodelled = new LambdaServiceException({
  name: "ThrottlingException",
  $fault: "client",
  $metadata: fromAws(429),
  message: "Rate exceeded",
});
/** A 429 from a proxy or gateway: no AWS request ID, so it may have forwarded the call. */
const throttledByGateway = Object.assign(new Error("Too Many Requests"), {
  name: "SyntaxError",
  $metadata: { httpStatusCode: 429 },
});
const refused = networkError("ECONNREFUSED", "connect ECONNREFUSED 10.0.0.5:3128");
const refusedInCause = new Error("socket hang up", { cause: refused });
const connectTimeout = Object.assign(
  new Error(
    "@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 10000 ms.",
  ),
  { name: "TimeoutError" },
);
// The SDK's handler renames ECONNRESET, EPIPE and ETIMEDOUT errors to TimeoutError.
const reset = networkError("ECONNRESET", "read ECONNRESET", "TimeoutError");
const requestTimeout = networkError(
  "ETIMEDOUT",
  "@smithy/node-http-handler - [ERROR] a request has exceeded the configured 30000 ms requestTimeout.",
  "TimeoutError",
);
const socketTimeout = Object.assign(
  new Error(
    "@smithy/node-http-handler - the request socket timed out after 60000 ms of inactivity.",
  ),
  { name: "TimeoutError" },
);
const serviceError = new ServiceException({ message: "Internal error", $metadata: fromAws(500) });
const unavailable = new LambdaServiceException({
  name: "InternalFailure",
  $fault: "server",
  $metadata: fromAws(503),
  message: "Service unavailable",
});
const ec2Unexpected = new EC2UnexpectedException({ message: "EC2", $metadata: fromAws(502) });
const ec2Throttled = new EC2ThrottledException({ message: "EC2", $metadata: fromAws(502) });
const eniLimit = new ENILimitReachedException({ message: "ENI", $metadata: fromAws(502) });
const kmsDisabled = new KMSDisabledException({ message: "KMS", $metadata: fromAws(502) });
const subnetFull = new SubnetIPAddressLimitReachedException({
  message: "No free IP",
  $metadata: fromAws(502),
});
const badRuntime = new InvalidRuntimeException({ message: "nodejs8.10", $metadata: fromAws(502) });
const notFound = new ResourceNotFoundException({
  message: "Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope",
  $metadata: fromAws(404),
});
const badParameter = new InvalidParameterValueException({
  message: "ClientContext is invalid",
  $metadata: fromAws(400),
});
const tooLarge = new RequestTooLargeException({ message: "Too large", $metadata: fromAws(413) });
const denied = new LambdaServiceException({
  name: "AccessDeniedException",
  $fault: "client",
  $metadata: fromAws(403),
  message: "not authorized",
});

const codesIn = (phase: string) =>
  Object.entries(NETWORK_ERRORS)
    .filter(([, info]) => info.phase === phase)
    .map(([code]) => code);

describe("classifyFailure", () => {
  it.each([
    ["TooManyRequestsException (429) from AWS", throttled],
    ["any other 429 from AWS", throttledUnmodelled],
    ["ECONNREFUSED as the cause", refusedInCause],
    ["a connection timeout", connectTimeout],
  ])("%s: did not run", (_label, error) => {
    expect(classifyFailure(error)).toBe("not-run");
  });

  it.each(codesIn("before-send"))("%s, before any connection: did not run", (code) => {
    expect(classifyFailure(networkError(code))).toBe("not-run");
  });

  it.each([
    ["a 429 without AWS request ID (a proxy or gateway)", throttledByGateway],
    ["the request timeout", requestTimeout],
    ["a socket timeout", socketTimeout],
    ["ServiceException (500)", serviceError],
    ["a 503", unavailable],
  ])("%s: may have run", (_label, error) => {
    expect(classifyFailure(error)).toBe("may-have-run");
  });

  it.each(codesIn("mid-flight"))("%s, after the request may have left: may have run", (code) => {
    expect(classifyFailure(networkError(code, code, "TimeoutError"))).toBe("may-have-run");
  });

  it("tells a 429 from AWS from the same 429 without a request ID", () => {
    const fromGateway = new TooManyRequestsException({
      message: "Rate Exceeded.",
      $metadata: { httpStatusCode: 429 },
    });

    expect(classifyFailure(throttled)).toBe("not-run");
    expect(classifyFailure(fromGateway)).toBe("may-have-run");
  });

  it("knows AWS's throttling by its name when the status is unknown, and needs the request ID", () => {
    const named = { name: "TooManyRequestsException", $metadata: { requestId: REQUEST_ID } };

    expect(classifyFailure(named)).toBe("not-run");
    expect(classifyFailure({ name: "TooManyRequestsException" })).toBe("may-have-run");
  });

  it.each([
    ["EC2UnexpectedException (502)", ec2Unexpected],
    ["EC2ThrottledException (502), which the SDK counts as throttling", ec2Throttled],
    ["ENILimitReachedException (502)", eniLimit],
    ["KMSDisabledException (502)", kmsDisabled],
    ["SubnetIPAddressLimitReachedException (502)", subnetFull],
    ["InvalidRuntimeException (502)", badRuntime],
    ["ResourceNotFoundException (404)", notFound],
    ["InvalidParameterValueException (400)", badParameter],
    ["RequestTooLargeException (413)", tooLarge],
    ["AccessDeniedException (403)", denied],
    ["an error without code or status", new Error("something else")],
    ["undefined", undefined],
    ["null", null],
  ])("%s: retrying cannot help", (_label, error) => {
    expect(classifyFailure(error)).toBe("final");
  });
});

/** The error information the SDK's retry middleware hands to a retry strategy. */
function retryInfo(error: Error): RetryErrorInfo {
  const sdkError = error as SdkError;
  const errorType = isThrottlingError(sdkError)
    ? "THROTTLING"
    : isTransientError(sdkError)
      ? "TRANSIENT"
      : isServerError(sdkError)
        ? "SERVER_ERROR"
        : "CLIENT_ERROR";
  return { error: sdkError, errorType };
}

describe("AtMostOnceRetryStrategy", () => {
  beforeEach(() => {
    // No backoff wait: the standard strategy waits a random share of its delay.
    vi.spyOn(Math, "random").mockReturnValue(0);
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  async function retryDecision(error: Error, allowDuplicateRuns: boolean): Promise<string> {
    const strategy = new AtMostOnceRetryStrategy({ maxAttempts: 3, allowDuplicateRuns });
    const token = await strategy.acquireInitialRetryToken("lambda");
    return strategy.refreshRetryTokenForRetry(token, retryInfo(error)).then(
      (next) => `retry ${next.getRetryCount()}`,
      (refusal: Error) => `stop: ${refusal.message}`,
    );
  }

  it("tells the SDK's standard strategy of each success, which refills its retry budget", async () => {
    const recorded = vi.spyOn(StandardRetryStrategy.prototype, "recordSuccess");
    const strategy = new AtMostOnceRetryStrategy({ maxAttempts: 3, allowDuplicateRuns: false });
    const token = await strategy.acquireInitialRetryToken("lambda");

    strategy.recordSuccess(token);

    expect(recorded).toHaveBeenCalledExactlyOnceWith(token);
  });

  it("keeps the SDK's standard mode", () => {
    expect(new AtMostOnceRetryStrategy({ maxAttempts: 3, allowDuplicateRuns: false }).mode).toBe(
      "standard",
    );
  });

  describe("by default (at most once)", () => {
    it.each([
      ["TooManyRequestsException from AWS", throttled],
      ["ECONNREFUSED", refused],
      ["ENOTFOUND", networkError("ENOTFOUND")],
      ["a connection timeout", connectTimeout],
    ])("retries %s", async (_label, error) => {
      expect(await retryDecision(error, false)).toBe("retry 1");
    });

    it.each([
      ["a 429 without AWS request ID", throttledByGateway],
      ["ECONNRESET", reset],
      ["the request timeout", requestTimeout],
      ["ServiceException (500)", serviceError],
      ["a 503", unavailable],
    ])("does not retry %s, after which the call may have run", async (_label, error) => {
      expect(await retryDecision(error, false)).toBe("stop: Failure is not retried (may-have-run)");
    });

    it.each([
      ["EC2UnexpectedException", ec2Unexpected],
      ["EC2ThrottledException, which the SDK counts as throttling", ec2Throttled],
      ["ENILimitReachedException", eniLimit],
      ["KMSDisabledException", kmsDisabled],
      ["ResourceNotFoundException", notFound],
      ["InvalidParameterValueException", badParameter],
      ["AccessDeniedException", denied],
    ])("does not retry %s", async (_label, error) => {
      expect(await retryDecision(error, false)).toBe("stop: Failure is not retried (final)");
    });
  });

  describe("with allowDuplicateRuns (at least once)", () => {
    it.each([
      ["ECONNRESET", reset],
      ["EPIPE", networkError("EPIPE", "write EPIPE", "TimeoutError")],
      ["the request timeout", requestTimeout],
      ["ServiceException (500)", serviceError],
      ["a 503", unavailable],
      ["a 429 without AWS request ID", throttledByGateway],
      ["TooManyRequestsException", throttled],
      ["ECONNREFUSED", refused],
    ])("retries %s", async (_label, error) => {
      expect(await retryDecision(error, true)).toBe("retry 1");
    });

    it.each([
      ["EC2UnexpectedException", ec2Unexpected],
      ["KMSDisabledException", kmsDisabled],
      ["ResourceNotFoundException", notFound],
      ["RequestTooLargeException", tooLarge],
    ])("still does not retry %s", async (_label, error) => {
      expect(await retryDecision(error, true)).toBe("stop: Failure is not retried (final)");
    });
  });

  it("stops after maxAttempts even for failures that are safe to retry", async () => {
    const strategy = new AtMostOnceRetryStrategy({ maxAttempts: 3, allowDuplicateRuns: false });
    const first = await strategy.acquireInitialRetryToken("lambda");

    const second = await strategy.refreshRetryTokenForRetry(first, retryInfo(throttled));
    const third = await strategy.refreshRetryTokenForRetry(second, retryInfo(throttled));
    const fourth = strategy.refreshRetryTokenForRetry(third, retryInfo(throttled));

    expect(third.getRetryCount()).toBe(2);
    await expect(fourth).rejects.toThrow("No retry token available");
  });
});

/** One scripted answer of the fake Lambda endpoint: an HTTP answer, or a network failure. */
type Answer = { status: number; headers?: Record<string, string>; body?: string } | Error;

const answers = {
  ok: { status: 200, headers: { "x-amzn-requestid": REQUEST_ID }, body: "{}" },
  serviceError: {
    status: 500,
    headers: {
      "x-amzn-requestid": REQUEST_ID,
      "x-amzn-errortype": "ServiceException",
      "retry-after": "0",
    },
    body: '{"Type":"Service","message":"Internal error"}',
  },
  throttledByAws: {
    status: 429,
    headers: {
      "x-amzn-requestid": REQUEST_ID,
      "x-amzn-errortype": "TooManyRequestsException",
      "retry-after": "0",
    },
    body: '{"Reason":"CallerRateLimitExceeded","Type":"User","message":"Rate exceeded"}',
  },
  throttledByGateway: {
    status: 429,
    headers: { "content-type": "text/html", "retry-after": "0" },
    body: "<html>Too Many Requests</html>",
  },
} as const;

/** A request handler that answers each attempt from `script`, counting the attempts. */
function scriptedHandler(script: Answer[]): HttpHandler & { attempts: number } {
  const handler = {
    attempts: 0,
    async handle(_request: HttpRequest) {
      const answer = script[handler.attempts] ?? answers.ok;
      handler.attempts += 1;
      if (answer instanceof Error) {
        throw answer;
      }
      const body = new TextEncoder().encode(answer.body ?? "");
      return {
        response: new HttpResponse({
          statusCode: answer.status,
          headers: { "content-type": "application/json", ...answer.headers },
          body,
        }),
      };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
  return handler;
}

describe("retryStrategyFor", () => {
  beforeEach(() => {
    vi.spyOn(Math, "random").mockReturnValue(0);
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Sends one call on a client with `policy`'s strategy; says how it ended and after how many attempts. */
  async function send(policy: RetryPolicy, script: Answer[]): Promise<string> {
    const handler = scriptedHandler(script);
    const client = new LambdaClient({
      region: REGION,
      credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
      requestHandler: handler,
      retryStrategy: retryStrategyFor(policy),
    });
    try {
      await client.send(new GetAccountSettingsCommand({}));
      return `succeeded after ${handler.attempts}`;
    } catch {
      return `failed after ${handler.attempts}`;
    } finally {
      client.destroy();
    }
  }

  it.each([
    ["idempotent", "succeeded after 3", [answers.serviceError, answers.serviceError]],
    ["at-most-once", "failed after 1", [answers.serviceError]],
    ["at-least-once", "succeeded after 2", [answers.serviceError]],
  ] as const)("%s: a 5xx from AWS ends the call as '%s'", async (policy, outcome, script) => {
    expect(await send(policy, [...script])).toBe(outcome);
  });

  it.each([
    ["idempotent", "succeeded after 2"],
    ["at-most-once", "failed after 1"],
    ["at-least-once", "succeeded after 2"],
  ] as const)("%s: a reset connection ends the call as '%s'", async (policy, outcome) => {
    expect(await send(policy, [networkError("ECONNRESET", "read ECONNRESET")])).toBe(outcome);
  });

  it.each(["idempotent", "at-most-once", "at-least-once"] as const)(
    "%s: a refused connection and AWS's own 429 are retried",
    async (policy) => {
      expect(await send(policy, [refused, answers.throttledByAws])).toBe("succeeded after 3");
    },
  );

  it.each([
    ["idempotent", "succeeded after 2"],
    ["at-most-once", "failed after 1"],
  ] as const)("%s: a gateway's 429 ends the call as '%s'", async (policy, outcome) => {
    expect(await send(policy, [answers.throttledByGateway])).toBe(outcome);
  });

  it("gives up after the standard number of attempts", async () => {
    const script = Array.from({ length: MAX_ATTEMPTS + 1 }, () => answers.serviceError);

    expect(MAX_ATTEMPTS).toBe(3);
    expect(await send("idempotent", script)).toBe("failed after 3");
  });
});
