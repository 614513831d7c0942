import {
  EC2ThrottledException,
  EC2UnexpectedException,
  ENILimitReachedException,
  InvalidParameterValueException,
  InvalidRuntimeException,
  KMSDisabledException,
  LambdaServiceException,
  RequestTooLargeException,
  ResourceNotFoundException,
  ServiceException,
  SubnetIPAddressLimitReachedException,
  TooManyRequestsException,
} from "@aws-sdk/client-lambda";
import { isServerError, isThrottlingError, isTransientError } from "@smithy/core/retry";
import type { RetryErrorInfo, SdkError } from "@smithy/types";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  classifyInvokeFailure,
  InvokeRetryStrategy,
} from "../../../src/aws/invokeRetryStrategy.js";

const metadata = (httpStatusCode: number) => ({ httpStatusCode, requestId: "req-1" });

/** A Node networking error as `node:net` and the SDK's HTTP handler raise it. */
function networkError(code: string, message: string, name = "Error"): Error {
  return Object.assign(new Error(message), { code, name });
}

const throttled = new TooManyRequestsException({
  message: "Rate Exceeded.",
  $metadata: metadata(429),
  Reason: "ReservedFunctionConcurrentInvocationLimitExceeded",
  Type: "User",
  retryAfterSeconds: "1",
});
const throttledUnmodelled = new LambdaServiceException({
  name: "ThrottlingException",
  $fault: "client",
  $metadata: metadata(429),
  message: "Rate exceeded",
});
const refused = networkError("ECONNREFUSED", "connect ECONNREFUSED 10.0.0.5:3128");
const notFoundHost = networkError(
  "ENOTFOUND",
  "getaddrinfo ENOTFOUND lambda.xx-east-1.amazonaws.com",
);
const refusedInCause = new Error("socket hang up", { cause: refused });
const connectTimeout = Object.assign(
  new Error(
    "@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 10000 ms.",
  ),
  { name: "TimeoutError" },
);
// The SDK's handler renames ECONNRESET, EPIPE and ETIMEDOUT errors to TimeoutError.
const reset = networkError("ECONNRESET", "read ECONNRESET", "TimeoutError");
const brokenPipe = networkError("EPIPE", "write EPIPE", "TimeoutError");
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
const serviceError = new ServiceException({ message: "Internal error", $metadata: metadata(500) });
const badGateway = new LambdaServiceException({
  name: "InternalFailure",
  $fault: "server",
  $metadata: metadata(503),
  message: "Service unavailable",
});
const ec2Unexpected = new EC2UnexpectedException({
  message: "EC2 error",
  $metadata: metadata(502),
});
const ec2Throttled = new EC2ThrottledException({
  message: "EC2 throttled",
  $metadata: metadata(502),
});
const eniLimit = new ENILimitReachedException({ message: "ENI limit", $metadata: metadata(502) });
const kmsDisabled = new KMSDisabledException({ message: "KMS disabled", $metadata: metadata(502) });
const subnetFull = new SubnetIPAddressLimitReachedException({
  message: "No free IP",
  $metadata: metadata(502),
});
const badRuntime = new InvalidRuntimeException({ message: "nodejs8.10", $metadata: metadata(502) });
const notFound = new ResourceNotFoundException({
  message: "Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope",
  $metadata: metadata(404),
});
const badParameter = new InvalidParameterValueException({
  message: "ClientContext is invalid",
  $metadata: metadata(400),
});
const tooLarge = new RequestTooLargeException({ message: "Too large", $metadata: metadata(413) });
const denied = new LambdaServiceException({
  name: "AccessDeniedException",
  $fault: "client",
  $metadata: metadata(403),
  message: "not authorized",
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

describe("classifyInvokeFailure", () => {
  it.each([
    ["TooManyRequestsException (429)", throttled],
    ["any other 429", throttledUnmodelled],
    ["ECONNREFUSED", refused],
    ["ENOTFOUND", notFoundHost],
    ["ECONNREFUSED as the cause", refusedInCause],
    ["a connection timeout", connectTimeout],
  ])("%s: the function did not run", (_label, error) => {
    expect(classifyInvokeFailure(error)).toBe("not-run");
  });

  it.each([
    ["ECONNRESET", reset],
    ["EPIPE", brokenPipe],
    ["the request timeout", requestTimeout],
    ["a socket timeout", socketTimeout],
    ["ServiceException (500)", serviceError],
    ["a 503", badGateway],
  ])("%s: the function may have run", (_label, error) => {
    expect(classifyInvokeFailure(error)).toBe("may-have-run");
  });

  it.each([
    ["EC2UnexpectedException (502)", ec2Unexpected],
    ["EC2ThrottledException (502)", ec2Throttled],
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
    expect(classifyInvokeFailure(error)).toBe("final");
  });
});

describe("InvokeRetryStrategy", () => {
  beforeEach(() => {
    // No backoff wait: the standard strategy sleeps for a random share of its delay.
    vi.spyOn(Math, "random").mockReturnValue(0);
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  async function retryDecision(error: Error, allowDuplicateRuns: boolean): Promise<string> {
    const strategy = new InvokeRetryStrategy({ maxAttempts: 3, allowDuplicateRuns });
    const token = await strategy.acquireInitialRetryToken("lambda");
    return strategy.refreshRetryTokenForRetry(token, retryInfo(error)).then(
      (next) => `retry ${next.getRetryCount()}`,
      (refusal: Error) => `stop: ${refusal.message}`,
    );
  }

  it("keeps the SDK's standard mode", () => {
    expect(new InvokeRetryStrategy({ maxAttempts: 3, allowDuplicateRuns: false }).mode).toBe(
      "standard",
    );
  });

  describe("by default (at most once)", () => {
    it.each([
      ["TooManyRequestsException", throttled],
      ["ECONNREFUSED", refused],
      ["ENOTFOUND", notFoundHost],
      ["a connection timeout", connectTimeout],
    ])("retries %s", async (_label, error) => {
      expect(await retryDecision(error, false)).toBe("retry 1");
    });

    it.each([
      ["ECONNRESET", reset],
      ["the request timeout", requestTimeout],
      ["ServiceException (500)", serviceError],
      ["a 503", badGateway],
    ])("does not retry %s, after which the function may have run", async (_label, error) => {
      expect(await retryDecision(error, false)).toBe(
        "stop: Invoke failure is not retried (may-have-run)",
      );
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
      expect(await retryDecision(error, false)).toBe("stop: Invoke failure is not retried (final)");
    });
  });

  describe("with allowDuplicateRuns", () => {
    it.each([
      ["ECONNRESET", reset],
      ["EPIPE", brokenPipe],
      ["the request timeout", requestTimeout],
      ["ServiceException (500)", serviceError],
      ["a 503", badGateway],
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
      expect(await retryDecision(error, true)).toBe("stop: Invoke failure is not retried (final)");
    });
  });

  it("stops after maxAttempts even for failures that are safe to retry", async () => {
    const strategy = new InvokeRetryStrategy({ maxAttempts: 3, allowDuplicateRuns: false });
    const first = await strategy.acquireInitialRetryToken("lambda");

    const second = await strategy.refreshRetryTokenForRetry(first, retryInfo(throttled));
    const third = await strategy.refreshRetryTokenForRetry(second, retryInfo(throttled));
    const fourth = strategy.refreshRetryTokenForRetry(third, retryInfo(throttled));

    expect(third.getRetryCount()).toBe(2);
    await expect(fourth).rejects.toThrow("No retry token available");
  });
});
