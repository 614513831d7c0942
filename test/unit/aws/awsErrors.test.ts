import {
  EC2UnexpectedException,
  ENILimitReachedException,
  InvalidParameterValueException,
  InvalidRequestContentException,
  KMSAccessDeniedException,
  LambdaServiceException,
  RequestTooLargeException,
  ResourceConflictException,
  ResourceNotFoundException,
  ServiceException,
  TooManyRequestsException,
  UnsupportedMediaTypeException,
} from "@aws-sdk/client-lambda";
import {
  ExpiredTokenException,
  RegionDisabledException,
  STSServiceException,
} from "@aws-sdk/client-sts";
import { afterEach, describe, expect, it } from "vitest";
import { type CallContext, toConnectorError } from "../../../src/aws/awsErrors.js";
import { AwsSession } from "../../../src/aws/awsSession.js";
import { ConnectorError, FunctionError, InvalidInputError } from "../../../src/errors.js";
import {
  ACCESS_KEY_ID,
  PROXY_PASSWORD,
  printedText,
  proxyAsset,
  REQUEST_ID,
  ROLE_ARN,
  validAsset,
} from "../../fixtures.js";

const lambdaCall: CallContext = {
  service: "lambda",
  operation: "Invoke",
  region: "eu-west-1",
  accessKeyId: ACCESS_KEY_ID,
  roleArn: undefined,
  proxy: undefined,
  endpoint: undefined,
  functionName: "enrich-indicator",
  qualifier: "live",
};

const stsCall: CallContext = {
  service: "sts",
  operation: "AssumeRole",
  region: "eu-west-1",
  accessKeyId: ACCESS_KEY_ID,
  roleArn: ROLE_ARN,
  proxy: undefined,
  endpoint: undefined,
};

const CALLER = "arn:aws:iam::210987654321:user/turbine-svc";

function lambdaError(name: string, status: number, message: string) {
  return new LambdaServiceException({
    name,
    $fault: status >= 500 ? "server" : "client",
    $metadata: { httpStatusCode: status, requestId: REQUEST_ID },
    message,
  });
}

function stsError(name: string, status: number, message: string) {
  return new STSServiceException({
    name,
    $fault: "client",
    $metadata: { httpStatusCode: status, requestId: REQUEST_ID },
    message,
  });
}

function networkError(code: string, message: string, name = "Error"): Error {
  return Object.assign(new Error(message), { code, name });
}

describe("toConnectorError", () => {
  afterEach(() => {
    AwsSession.destroyAll();
  });

  describe("the connector's own errors", () => {
    it.each([
      new ConnectorError("internal_error", "already wrapped", { hint: "h" }),
      new InvalidInputError("invalid_input", "bad", { hint: "h", field: "payload" }),
      new FunctionError("ValueError", "boom", { hint: "h" }),
    ])("passes $name through unchanged", (error) => {
      expect(toConnectorError(error, lambdaCall)).toBe(error);
    });
  });

  describe("authentication", () => {
    it.each([
      ["UnrecognizedClientException", lambdaCall, "AWS Lambda"],
      ["InvalidClientTokenId", stsCall, "STS"],
    ] as const)("%s names the key ID and the region's partition", (code, context, via) => {
      const error = toConnectorError(
        code === "InvalidClientTokenId"
          ? stsError(code, 403, "The security token included in the request is invalid.")
          : lambdaError(code, 403, "The security token included in the request is invalid."),
        context,
      );

      expect(error.code).toBe("authentication_failed");
      expect(error.message).toContain(`${via} does not recognise access key ${ACCESS_KEY_ID}`);
      expect(error.hint).toContain("Check access_key");
      expect(error.hint).toContain("region eu-west-1 needs keys from its own partition");
      expect(error.awsErrorCode).toBe(code);
    });

    it.each([
      ["SignatureDoesNotMatch", stsCall],
      ["InvalidSignatureException", lambdaCall],
    ] as const)("%s points at the secret key and the clock", (code, context) => {
      const error = toConnectorError(
        code === "SignatureDoesNotMatch"
          ? stsError(code, 403, "The request signature we calculated does not match")
          : lambdaError(code, 403, "The request signature we calculated does not match"),
        context,
      );

      expect(error.code).toBe("authentication_failed");
      expect(error.message).toContain(`made with access key ${ACCESS_KEY_ID}`);
      expect(error.hint).toContain("Check secret_key");
      expect(error.hint).toContain("clock");
    });

    it("names the credential chain when the asset has no keys", () => {
      const error = toConnectorError(
        lambdaError("UnrecognizedClientException", 403, "invalid token"),
        { ...lambdaCall, accessKeyId: undefined },
      );

      expect(error.message).toContain("the credentials from the machine's AWS credential chain");
    });

    it("explains an empty credential chain", () => {
      const chainError = Object.assign(new Error("Could not load credentials from any providers"), {
        name: "CredentialsProviderError",
      });

      const error = toConnectorError(chainError, { ...lambdaCall, accessKeyId: undefined });

      expect(error.code).toBe("authentication_failed");
      expect(error.message).toContain("no access_key and secret_key");
      expect(error.hint).toContain("AWS_ACCESS_KEY_ID");
    });
  });

  describe("expired credentials", () => {
    it("ExpiredTokenException from STS names the role whose source keys expired", () => {
      const expired = new ExpiredTokenException({
        message: "The security token included in the request is expired",
        $metadata: { httpStatusCode: 400, requestId: REQUEST_ID },
      });

      const error = toConnectorError(expired, stsCall);

      expect(error.code).toBe("credentials_expired");
      expect(error.message).toContain("STS says the security token has expired");
      expect(error.hint).toContain(`assume ${ROLE_ARN} have expired`);
    });

    it.each(["ExpiredToken", "ExpiredTokenException", "RequestExpired"])(
      "%s without a role tells to renew the temporary keys",
      (code) => {
        const error = toConnectorError(
          lambdaError(code, 403, "The security token included in the request is expired"),
          lambdaCall,
        );

        expect(error.code).toBe("credentials_expired");
        expect(error.message).toContain("AWS Lambda says the security token has expired");
        expect(error.hint).toContain("session_token");
        expect(error.awsErrorCode).toBe(code);
      },
    );
  });

  describe("AssumeRole refused", () => {
    it("names the caller parsed from AWS's message and the role", () => {
      const message = `User: ${CALLER} is not authorized to perform: sts:AssumeRole on resource: ${ROLE_ARN}`;

      const error = toConnectorError(stsError("AccessDenied", 403, message), stsCall);

      expect(error.code).toBe("assume_role_failed");
      expect(error.message).toContain(`${CALLER} may not assume role ${ROLE_ARN}`);
      expect(error.hint).toContain("Check role_arn");
      expect(error.hint).toContain(`its Principal must name ${CALLER}`);
      expect(error.hint).toContain("external_id");
      expect(error.hint).toContain(`sts:AssumeRole on ${ROLE_ARN}`);
      expect(error.awsErrorCode).toBe("AccessDenied");
      expect(error.requestId).toBe(REQUEST_ID);
    });

    it("falls back to the key ID when AWS's message names no caller", () => {
      const error = toConnectorError(stsError("AccessDenied", 403, "Access denied"), stsCall);

      expect(error.message).toContain(
        `access key ${ACCESS_KEY_ID} may not assume role ${ROLE_ARN}`,
      );
    });

    it("RegionDisabledException names the region", () => {
      const disabled = new RegionDisabledException({
        message: "STS is not activated in this region",
        $metadata: { httpStatusCode: 403 },
      });

      const error = toConnectorError(disabled, stsCall);

      expect(error.code).toBe("assume_role_failed");
      expect(error.message).toContain("STS is not activated in region eu-west-1");
      expect(error.hint).toContain("Activate STS for eu-west-1");
    });

    it("ValidationError on AssumeRole points at the session settings", () => {
      const error = toConnectorError(
        stsError(
          "ValidationError",
          400,
          "The requested DurationSeconds exceeds the MaxSessionDuration",
        ),
        stsCall,
      );

      expect(error.code).toBe("assume_role_failed");
      expect(error.hint).toContain("session_duration");
    });
  });

  describe("invoke refused", () => {
    it("AccessDeniedException names the principal, the exact resource and the qualifier rule", () => {
      const principal =
        "arn:aws:sts::123456789012:assumed-role/TurbineLambdaInvoker/swimlane-turbine-aws-lambda";
      const resource = "arn:aws:lambda:eu-west-1:123456789012:function:enrich-indicator:live";
      const message = `User: ${principal} is not authorized to perform: lambda:InvokeFunction on resource: ${resource} because no identity-based policy allows the lambda:InvokeFunction action`;

      const error = toConnectorError(lambdaError("AccessDeniedException", 403, message), {
        ...lambdaCall,
        roleArn: ROLE_ARN,
      });

      expect(error.code).toBe("access_denied");
      expect(error.message).toContain(
        `${principal} may not call lambda:InvokeFunction on ${resource}`,
      );
      expect(error.hint).toContain(`Grant lambda:InvokeFunction on exactly ${resource}`);
      expect(error.hint).toContain(`in the policy of role ${ROLE_ARN}`);
      expect(error.hint).toContain("qualified ARN");
      expect(error.hint).toContain("resource-based policy");
    });

    it("AccessDeniedException without details names the role and the function with qualifier", () => {
      const error = toConnectorError(lambdaError("AccessDeniedException", 403, "Access denied"), {
        ...lambdaCall,
        roleArn: ROLE_ARN,
      });

      expect(error.message).toContain(`role ${ROLE_ARN} may not call lambda:InvokeFunction`);
      expect(error.message).toContain("function enrich-indicator (qualifier live)");
    });
  });

  describe("Lambda errors", () => {
    it("ResourceNotFoundException says which region was searched, for which function and qualifier", () => {
      const missing = new ResourceNotFoundException({
        message:
          "Function not found: arn:aws:lambda:eu-west-1:123456789012:function:enrich-indicator:live",
        $metadata: { httpStatusCode: 404, requestId: REQUEST_ID },
      });

      const error = toConnectorError(missing, lambdaCall);

      expect(error.code).toBe("not_found");
      expect(error.message).toContain(
        "function enrich-indicator (qualifier live) was not found in region eu-west-1",
      );
      expect(error.hint).toContain("Searched region eu-west-1.");
      expect(error.hint).toContain("region_name");
      expect(error.awsErrorCode).toBe("ResourceNotFoundException");
      expect(error.requestId).toBe(REQUEST_ID);
    });

    it("ResourceNotFoundException names a custom endpoint", () => {
      const missing = new ResourceNotFoundException({
        message: "Function not found",
        $metadata: { httpStatusCode: 404 },
      });

      const error = toConnectorError(missing, {
        ...lambdaCall,
        qualifier: undefined,
        endpoint: "https://vpce-1.lambda.eu-west-1.vpce.amazonaws.com",
      });

      expect(error.message).toContain("function enrich-indicator was not found");
      expect(error.hint).toContain(
        "Searched region eu-west-1 at https://vpce-1.lambda.eu-west-1.vpce.amazonaws.com.",
      );
      expect(error.requestId).toBeUndefined();
    });

    it("TooManyRequestsException gives the reason, the attempts and the wait", () => {
      const throttled = new TooManyRequestsException({
        message: "Rate Exceeded.",
        $metadata: { httpStatusCode: 429, requestId: REQUEST_ID, attempts: 3 },
        Reason: "ReservedFunctionConcurrentInvocationLimitExceeded",
        retryAfterSeconds: "2",
      });

      const error = toConnectorError(throttled, lambdaCall);

      expect(error.code).toBe("throttled");
      expect(error.message).toContain(
        "(reason: ReservedFunctionConcurrentInvocationLimitExceeded) after 3 attempt(s)",
      );
      expect(error.message).toContain("AWS asked to wait 2 s.");
      expect(error.hint).toContain("reserved concurrency");
    });

    it("TooManyRequestsException for the account points at the quota", () => {
      const throttled = new TooManyRequestsException({
        message: "Rate Exceeded.",
        $metadata: { httpStatusCode: 429 },
        Reason: "ConcurrentInvocationLimitExceeded",
      });

      expect(toConnectorError(throttled, lambdaCall).hint).toContain("Service Quotas");
    });

    it.each([
      ["RequestTooLargeException", RequestTooLargeException, 413, "payload_too_large", "6 MB"],
      [
        "InvalidRequestContentException",
        InvalidRequestContentException,
        400,
        "aws_error",
        "must be JSON",
      ],
      [
        "UnsupportedMediaTypeException",
        UnsupportedMediaTypeException,
        415,
        "aws_error",
        "must be JSON",
      ],
      [
        "InvalidParameterValueException",
        InvalidParameterValueException,
        400,
        "aws_error",
        "client_context",
      ],
      ["ResourceConflictException", ResourceConflictException, 409, "aws_error", "Active"],
    ] as const)("%s maps to its code", (_name, Exception, status, code, hintPart) => {
      const error = toConnectorError(
        new Exception({ message: "details", $metadata: { httpStatusCode: status } }),
        lambdaCall,
      );

      expect(error.code).toBe(code);
      expect(error.hint).toContain(hintPart);
      expect(error.message).toContain("enrich-indicator");
    });

    it.each([
      ["EC2UnexpectedException", EC2UnexpectedException],
      ["ENILimitReachedException", ENILimitReachedException],
      ["KMSAccessDeniedException", KMSAccessDeniedException],
    ] as const)("%s (502) says the function's configuration is broken", (name, Exception) => {
      const error = toConnectorError(
        new Exception({ message: "config", $metadata: { httpStatusCode: 502 } }),
        lambdaCall,
      );

      expect(error.code).toBe("function_misconfigured");
      expect(error.message).toContain(`(${name})`);
      expect(error.hint).toContain("retrying will not help");
    });

    it("ServiceException (500) is AWS's side", () => {
      const error = toConnectorError(
        new ServiceException({ message: "Internal", $metadata: { httpStatusCode: 500 } }),
        lambdaCall,
      );

      expect(error.code).toBe("aws_error");
      expect(error.message).toContain("AWS Lambda Invoke failed (ServiceException)");
      expect(error.hint).toContain("AWS Health Dashboard");
    });

    it("an unknown 4xx asks to check the inputs", () => {
      const error = toConnectorError(lambdaError("SomethingNewException", 400, "new"), lambdaCall);

      expect(error.code).toBe("aws_error");
      expect(error.awsErrorCode).toBe("SomethingNewException");
      expect(error.hint).toContain("Check the action inputs");
    });
  });

  describe("network and proxy", () => {
    it("HTTP 407 says the proxy wants authentication, naming the proxy without its password", () => {
      const session = AwsSession.for(validAsset(proxyAsset));
      const response407 = Object.assign(new Error("Proxy Authentication Required"), {
        name: "Unknown",
        $metadata: { httpStatusCode: 407 },
      });

      const error = toConnectorError(response407, session.callContext("lambda", "Invoke"));

      expect(error.code).toBe("proxy_error");
      expect(error.message).toContain("http://turbine:***@proxy.example.com:3128");
      expect(error.message).toContain("proxy authentication required (HTTP 407)");
      expect(error.hint).toContain("user name and password in http_proxy");
      expect(printedText(error)).not.toContain(PROXY_PASSWORD);
    });

    it("a refused connection through a proxy names the proxy without its password", () => {
      const session = AwsSession.for(validAsset(proxyAsset));
      const refused = networkError("ECONNREFUSED", "connect ECONNREFUSED 10.0.0.5:3128");

      const error = toConnectorError(refused, session.callContext("sts", "AssumeRole"));

      expect(error.code).toBe("proxy_error");
      expect(error.message).toContain(
        "through proxy http://turbine:***@proxy.example.com:3128: nothing accepted the connection (ECONNREFUSED)",
      );
      expect(error.hint).toContain(
        "Check that the proxy http://turbine:***@proxy.example.com:3128",
      );
      expect(printedText(error)).not.toContain(PROXY_PASSWORD);
    });

    it("a connection timeout through a proxy names the proxy, not a request timeout", () => {
      const session = AwsSession.for(validAsset(proxyAsset));
      const connectTimeout = Object.assign(
        new Error(
          "@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 10000 ms.",
        ),
        { name: "TimeoutError" },
      );

      const error = toConnectorError(connectTimeout, session.callContext("lambda", "Invoke"));

      expect(error.code).toBe("proxy_error");
      expect(error.message).toContain("proxy http://turbine:***@proxy.example.com:3128");
      expect(printedText(error)).not.toContain(PROXY_PASSWORD);
    });

    it("a DNS failure without a proxy names the region and endpoint", () => {
      const error = toConnectorError(
        networkError("ENOTFOUND", "getaddrinfo ENOTFOUND vpce.example"),
        { ...lambdaCall, endpoint: "https://vpce.example" },
      );

      expect(error.code).toBe("network_error");
      expect(error.message).toBe(
        "Could not reach https://vpce.example: the host name does not resolve (ENOTFOUND).",
      );
      expect(error.hint).toContain(
        "Check region_name (eu-west-1) and the endpoint URL https://vpce.example",
      );
    });

    it("a request timeout says the function may still be running", () => {
      const timeout = networkError(
        "ETIMEDOUT",
        "@smithy/node-http-handler - [ERROR] a request has exceeded the configured 30000 ms requestTimeout.",
        "TimeoutError",
      );

      const error = toConnectorError(timeout, lambdaCall);

      expect(error.code).toBe("request_timeout");
      expect(error.hint).toContain("The function may still be running");
      expect(error.hint).toContain("timeout_seconds");
    });

    it("a TLS failure points at the CA bundle", () => {
      const tls = networkError(
        "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
        "unable to verify the first certificate",
      );

      const error = toConnectorError(tls, lambdaCall);

      expect(error.code).toBe("network_error");
      expect(error.message).toContain(
        "TLS verification of the lambda endpoint of eu-west-1 failed",
      );
      expect(error.hint).toContain("AWS_CA_BUNDLE");
    });

    it("an unknown failure keeps its name and message", () => {
      const error = toConnectorError(new TypeError("fetch failed"), lambdaCall);

      expect(error.code).toBe("network_error");
      expect(error.message).toContain("TypeError: fetch failed");
    });
  });

  it("keeps the original error as cause", () => {
    const original = lambdaError("AccessDeniedException", 403, "denied");

    expect(toConnectorError(original, lambdaCall).cause).toBe(original);
  });

  it("prints requestId and awsErrorCode in the error line", () => {
    const error = toConnectorError(lambdaError("AccessDeniedException", 403, "denied"), lambdaCall);

    expect(error.toErrorLine().error).toMatchObject({
      code: "access_denied",
      awsErrorCode: "AccessDeniedException",
      requestId: REQUEST_ID,
    });
  });
});
