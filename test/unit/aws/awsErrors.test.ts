import {
  EC2UnexpectedException,
  ENILimitReachedException,
  InvalidParameterValueException,
  InvalidRequestContentException,
  InvalidRuntimeException,
  KMSAccessDeniedException,
  LambdaServiceException,
  RequestTooLargeException,
  ResourceConflictException,
  ResourceNotFoundException,
  ResourceNotReadyException,
  ServiceException,
  SubnetIPAddressLimitReachedException,
  TooManyRequestsException,
  UnsupportedMediaTypeException,
} from "@aws-sdk/client-lambda";
import {
  ExpiredTokenException,
  RegionDisabledException,
  STSServiceException,
} from "@aws-sdk/client-sts";
import { afterAll, describe, expect, it } from "vitest";
import { type CallContext, toConnectorError } from "../../../src/aws/awsErrors.js";
import type { AwsCall } from "../../../src/aws/call.js";
import { Executor } from "../../../src/aws/executor.js";
import { MAX_RESPONSE_BYTES, ResponseTooLargeError } from "../../../src/aws/httpHandler.js";
import { ConnectorError, FunctionError, InvalidInputError } from "../../../src/errors.js";
import {
  ACCESS_KEY_ID,
  FUNCTION_ARN,
  FUNCTION_NAME,
  networkError,
  PROXY_PASSWORD,
  printedText,
  proxyAsset,
  REGION,
  REQUEST_ID,
  ROLE_ARN,
  validAsset,
} from "../../fixtures.js";

const CALLER = "arn:aws:iam::210987654321:user/turbine-svc";
const ASSUMED_ROLE = `arn:aws:sts::123456789012:assumed-role/TurbineLambdaInvoker/swimlane-turbine-aws-lambda`;
const MASKED_PROXY = "http://turbine:***@proxy.example.com:3128";
const SDK_SENTENCE =
  "Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.";

/** A synchronous invocation of a qualified function, with long-term keys and no role. */
const invoke: CallContext = {
  service: "lambda",
  operation: "Invoke",
  iamAction: "lambda:InvokeFunction",
  resource: `${FUNCTION_ARN}:live`,
  target: `function ${FUNCTION_NAME} (qualifier live)`,
  inputs: ["function_name", "qualifier", "payload", "client_context"],
  hints: {},
  qualifier: "live",
  region: REGION,
  accessKeyId: ACCESS_KEY_ID,
  credentialKind: "keys",
  roleArn: undefined,
  proxy: undefined,
  endpoint: undefined,
};

/** A control-plane write on an unqualified function. */
const putConcurrency: CallContext = {
  ...invoke,
  operation: "PutFunctionConcurrency",
  iamAction: "lambda:PutFunctionConcurrency",
  resource: FUNCTION_ARN,
  target: `function ${FUNCTION_NAME}`,
  inputs: ["function_name", "reserved_concurrent_executions"],
  qualifier: undefined,
};

/** A call about no resource and with no inputs. */
const accountSettings: CallContext = {
  ...invoke,
  operation: "GetAccountSettings",
  iamAction: "lambda:GetAccountSettings",
  resource: "*",
  target: undefined,
  inputs: [],
  qualifier: undefined,
};

const assumeRole: CallContext = {
  ...invoke,
  service: "sts",
  operation: "AssumeRole",
  iamAction: "sts:AssumeRole",
  resource: ROLE_ARN,
  target: `role ${ROLE_ARN}`,
  inputs: [],
  qualifier: undefined,
  roleArn: ROLE_ARN,
};

function lambdaError(name: string, status: number, message: string, requestId = REQUEST_ID) {
  return new LambdaServiceException({
    name,
    $fault: status >= 500 ? "server" : "client",
    $metadata: { httpStatusCode: status, requestId },
    message,
  });
}

function stsError(name: string, status: number, message: string) {
  return new STSServiceException({
    name,
    $fault: status >= 500 ? "server" : "client",
    $metadata: { httpStatusCode: status, requestId: REQUEST_ID },
    message,
  });
}

/**
 * An error answer as the SDK reports one it could not read: no AWS error code, the
 * SDK's own sentence in the message, and a request ID only when AWS sent the answer.
 */
function unreadableAnswer(status: number, options: { name?: string; requestId?: string } = {}) {
  return Object.assign(
    new Error(`Unexpected token '<', "<html>" is not valid JSON\n  ${SDK_SENTENCE}`),
    {
      name: options.name ?? "SyntaxError",
      $metadata: {
        httpStatusCode: status,
        ...(options.requestId === undefined ? {} : { requestId: options.requestId }),
      },
      $response: { headers: { "content-type": "text/html; charset=utf-8" } },
    },
  );
}

const requestTimeout = networkError(
  "ETIMEDOUT",
  "@smithy/node-http-handler - [ERROR] a request has exceeded the configured 30000 ms requestTimeout.",
  "TimeoutError",
);

/** Contexts the executor builds for an asset behind an authenticating proxy. */
const proxied = new Executor(validAsset(proxyAsset));
const proxiedContext = (spec: Partial<AwsCall> = {}): CallContext =>
  proxied.context({
    service: "lambda",
    operation: "Invoke",
    iamAction: "lambda:InvokeFunction",
    resource: FUNCTION_ARN,
    target: `function ${FUNCTION_NAME}`,
    retry: "at-most-once",
    ...spec,
  });

afterAll(() => {
  proxied.destroy();
});

describe("toConnectorError", () => {
  describe("the connector's own errors", () => {
    it.each([
      new ConnectorError("internal_error", "already wrapped", { hint: "h" }),
      new InvalidInputError("invalid_input", "bad", { hint: "h", field: "payload" }),
      new FunctionError("ValueError", "boom", { hint: "h" }),
    ])("passes $name through unchanged", (error) => {
      expect(toConnectorError(error, invoke)).toBe(error);
    });
  });

  it("keeps the original error as cause", () => {
    const original = lambdaError("AccessDeniedException", 403, "denied");

    expect(toConnectorError(original, invoke).cause).toBe(original);
  });

  it("prints the HTTP status, request ID and AWS error code in the error line", () => {
    const error = toConnectorError(lambdaError("AccessDeniedException", 403, "denied"), invoke);

    expect(error.toErrorLine()).toMatchObject({
      code: "access_denied",
      http_status: 403,
      request_id: REQUEST_ID,
      aws_error_code: "AccessDeniedException",
    });
  });

  describe("authentication", () => {
    it.each([
      ["UnrecognizedClientException", "lambda", "AWS Lambda"],
      ["InvalidClientTokenId", "sts", "STS"],
    ] as const)("%s names the key ID and the region's partition", (code, service, via) => {
      // Prepare
      const context = service === "sts" ? assumeRole : invoke;
      const message = "The security token included in the request is invalid.";
      const failure =
        service === "sts" ? stsError(code, 403, message) : lambdaError(code, 403, message);

      // Act
      const error = toConnectorError(failure, context);

      // Assess
      expect(error.code).toBe("authentication_failed");
      expect(error.message).toBe(
        `${via} does not recognise access key ${ACCESS_KEY_ID}: ${message}`,
      );
      expect(error.hint).toContain("Check access_key");
      expect(error.hint).toContain(`region ${REGION} needs keys from its own partition`);
      expect(error.awsErrorCode).toBe(code);
    });

    it.each([
      ["SignatureDoesNotMatch", "sts"],
      ["InvalidSignatureException", "lambda"],
    ] as const)("%s points at the secret key and the clock", (code, service) => {
      const message = "The request signature we calculated does not match";
      const failure =
        service === "sts" ? stsError(code, 403, message) : lambdaError(code, 403, message);

      const error = toConnectorError(failure, service === "sts" ? assumeRole : invoke);

      expect(error.code).toBe("authentication_failed");
      expect(error.message).toContain(`made with access key ${ACCESS_KEY_ID}`);
      expect(error.hint).toContain("Check secret_key");
      expect(error.hint).toContain("clock");
    });

    it("names the credential chain when the asset has no keys", () => {
      const error = toConnectorError(
        lambdaError("UnrecognizedClientException", 403, "invalid token"),
        { ...invoke, accessKeyId: undefined, credentialKind: "chain" },
      );

      expect(error.message).toContain("the credentials from the machine's AWS credential chain");
    });

    it("explains an empty credential chain", () => {
      const chainError = Object.assign(new Error("Could not load credentials from any providers"), {
        name: "CredentialsProviderError",
      });

      const error = toConnectorError(chainError, {
        ...invoke,
        accessKeyId: undefined,
        credentialKind: "chain",
      });

      expect(error.code).toBe("authentication_failed");
      expect(error.message).toContain("no access_key and secret_key");
      expect(error.hint).toContain("AWS_ACCESS_KEY_ID");
    });
  });

  describe("expired credentials", () => {
    it.each(["ExpiredToken", "ExpiredTokenException", "RequestExpired"])(
      "%s is credentials_expired, in AWS's words",
      (code) => {
        const message = "The security token included in the request is expired";

        const error = toConnectorError(lambdaError(code, 403, message), invoke);

        expect(error.code).toBe("credentials_expired");
        expect(error.message).toBe(`AWS Lambda says the security token has expired: ${message}`);
        expect(error.awsErrorCode).toBe(code);
      },
    );

    it.each([
      {
        kind: "keys",
        role: undefined,
        says: /long-term keys.*clock/,
        never: /temporary keys|credential chain|assumed-role/,
      },
      {
        kind: "keys",
        role: ROLE_ARN,
        says: new RegExp(`assumed-role credentials for ${ROLE_ARN} expired during the run`),
        never: /temporary keys|session_token|credential chain/,
      },
      {
        kind: "temporary-keys",
        role: undefined,
        says: /temporary keys \(access_key, secret_key, session_token\) have expired/,
        never: /credential chain|assumed-role credentials/,
      },
      {
        kind: "temporary-keys",
        role: ROLE_ARN,
        says: new RegExp(`temporary keys used to assume ${ROLE_ARN} have expired`),
        never: /credential chain|during the run/,
      },
      {
        kind: "chain",
        role: undefined,
        says: /credential chain have expired/,
        never: /temporary keys|session_token|long-term keys/,
      },
      {
        kind: "chain",
        role: ROLE_ARN,
        says: /credential chain have expired/,
        never: /temporary keys|session_token|long-term keys/,
      },
    ] as const)("with $kind and role $role, the hint fits the asset's credentials", (row) => {
      // Prepare
      const expired = new ExpiredTokenException({
        message: "The security token included in the request is expired",
        $metadata: { httpStatusCode: 400, requestId: REQUEST_ID },
      });
      // A Lambda call, signed by the role when the asset names one.
      const context: CallContext = {
        ...invoke,
        credentialKind: row.kind,
        roleArn: row.role,
        accessKeyId: row.kind === "chain" ? undefined : ACCESS_KEY_ID,
      };

      // Act
      const error = toConnectorError(expired, context);

      // Assess
      expect(error.code).toBe("credentials_expired");
      expect(error.hint).toMatch(row.says);
      expect(error.hint).not.toMatch(row.never);
    });
  });

  describe("blame on the keys that signed", () => {
    const expired = new ExpiredTokenException({
      message: "The security token included in the request is expired",
      $metadata: { httpStatusCode: 400, requestId: REQUEST_ID },
    });
    const badSignature = Object.assign(
      new Error("The request signature we calculated does not match"),
      {
        name: "InvalidSignatureException",
        $metadata: { httpStatusCode: 403, requestId: REQUEST_ID },
      },
    );

    it.each([
      ["test_connection's check of the keys", { ...invoke, roleArn: ROLE_ARN, signer: "asset" }],
      ["AssumeRole", { ...assumeRole, roleArn: ROLE_ARN }],
    ] as const)(
      "an expired token on %s blames the asset's keys, not the role",
      (_label, context) => {
        const error = toConnectorError(expired, context);

        expect(error.hint).toMatch(/long-term keys.*clock/);
        expect(error.hint).not.toContain("assumed-role credentials");
      },
    );

    it("a refused signature of the role's temporary keys does not blame secret_key", () => {
      const error = toConnectorError(badSignature, {
        ...invoke,
        roleArn: ROLE_ARN,
        signer: "role",
      });

      expect(error.code).toBe("authentication_failed");
      expect(error.message).toContain(`the temporary keys of role ${ROLE_ARN}`);
      expect(error.message).not.toContain(ACCESS_KEY_ID);
      expect(error.hint).toContain("secret_key is not at fault");
      expect(error.hint).toContain("clock");
    });

    it("a refused signature of the asset's keys points at secret_key", () => {
      const error = toConnectorError(badSignature, {
        ...invoke,
        roleArn: ROLE_ARN,
        signer: "asset",
      });

      expect(error.message).toContain(`access key ${ACCESS_KEY_ID}`);
      expect(error.hint).toMatch(/^Check secret_key/);
    });

    it("access denied to the asset's own keys names the caller, not the role", () => {
      const denied = Object.assign(new Error("not authorized"), {
        name: "AccessDeniedException",
        $metadata: { httpStatusCode: 403, requestId: REQUEST_ID },
      });

      const error = toConnectorError(denied, { ...invoke, roleArn: ROLE_ARN, signer: "asset" });

      expect(error.message).not.toContain(ROLE_ARN);
      expect(error.hint).not.toContain(`policy of role ${ROLE_ARN}`);
    });
  });

  describe("AssumeRole refused", () => {
    it("names the caller parsed from AWS's message and the role", () => {
      const message = `User: ${CALLER} is not authorized to perform: sts:AssumeRole on resource: ${ROLE_ARN}`;

      const error = toConnectorError(stsError("AccessDenied", 403, message), assumeRole);

      expect(error.code).toBe("assume_role_failed");
      expect(error.message).toContain(`${CALLER} may not assume role ${ROLE_ARN}`);
      expect(error.hint).toContain("Check role_arn");
      expect(error.hint).toContain(`its Principal must name ${CALLER}`);
      expect(error.hint).toContain("external_id");
      expect(error.hint).toContain(`sts:AssumeRole on ${ROLE_ARN}`);
      expect(error.toErrorLine()).toMatchObject({
        aws_error_code: "AccessDenied",
        request_id: REQUEST_ID,
        http_status: 403,
      });
    });

    it("falls back to the key ID when AWS's message names no caller", () => {
      const error = toConnectorError(stsError("AccessDenied", 403, "Access denied"), assumeRole);

      expect(error.message).toContain(
        `access key ${ACCESS_KEY_ID} may not assume role ${ROLE_ARN}`,
      );
    });

    it("RegionDisabledException names the region", () => {
      const disabled = new RegionDisabledException({
        message: "STS is not activated in this region",
        $metadata: { httpStatusCode: 403, requestId: REQUEST_ID },
      });

      const error = toConnectorError(disabled, assumeRole);

      expect(error.code).toBe("assume_role_failed");
      expect(error.message).toContain(`STS is not activated in region ${REGION}`);
      expect(error.hint).toContain(`Activate STS for ${REGION}`);
    });

    it("ValidationError on AssumeRole points at the session settings", () => {
      const error = toConnectorError(
        stsError(
          "ValidationError",
          400,
          "The requested DurationSeconds exceeds the MaxSessionDuration",
        ),
        assumeRole,
      );

      expect(error.code).toBe("assume_role_failed");
      expect(error.hint).toContain("session_duration");
    });
  });

  describe("access denied", () => {
    it("names the exact IAM action of the call and the resource AWS checked", () => {
      // Prepare
      const user = "arn:aws:iam::123456789012:user/turbine";
      const message = `User: ${user} is not authorized to perform: lambda:PutFunctionConcurrency on resource: ${FUNCTION_ARN} because no identity-based policy allows the lambda:PutFunctionConcurrency action`;

      // Act
      const error = toConnectorError(
        lambdaError("AccessDeniedException", 403, message),
        putConcurrency,
      );

      // Assess
      expect(error.code).toBe("access_denied");
      expect(error.message).toBe(
        `${user} may not call lambda:PutFunctionConcurrency on ${FUNCTION_ARN} (because no identity-based policy allows the lambda:PutFunctionConcurrency action)`,
      );
      expect(error.hint).toContain(
        `Grant lambda:PutFunctionConcurrency on exactly ${FUNCTION_ARN} in the policy of ${user}.`,
      );
      expect(printedText(error)).not.toContain("InvokeFunction");
    });

    it.each([
      [
        "an identity-based policy",
        "A policy attached to arn:aws:iam::123456789012:user/turbine explicitly denies",
      ],
      ["a resource-based policy", "The function's resource-based policy explicitly denies"],
      [
        "a service control policy",
        "A service control policy (SCP) of the AWS Organization explicitly denies",
      ],
      [
        "a permissions boundary",
        "The permissions boundary of arn:aws:iam::123456789012:user/turbine explicitly denies",
      ],
      ["a session policy", "The session policy of"],
    ])(
      "says an explicit deny in %s denies the call, instead of asking to grant it",
      (where, says) => {
        const user = "arn:aws:iam::123456789012:user/turbine";
        const message = `User: ${user} is not authorized to perform: lambda:PutFunctionConcurrency on resource: ${FUNCTION_ARN} with an explicit deny in ${where}`;

        const error = toConnectorError(
          lambdaError("AccessDeniedException", 403, message),
          putConcurrency,
        );

        expect(error.code).toBe("access_denied");
        expect(error.message).toContain(`(with an explicit deny in ${where})`);
        expect(error.hint).toContain(`${says}`);
        expect(error.hint).toContain(`lambda:PutFunctionConcurrency on ${FUNCTION_ARN}`);
        expect(error.hint).not.toContain("Grant ");
      },
    );

    it.each([
      ["an unqualified call", putConcurrency, false],
      ["a qualified call", invoke, true],
    ] as const)("remarks on qualified permissions only for %s", (_label, context, remarks) => {
      const error = toConnectorError(lambdaError("AccessDeniedException", 403, "denied"), context);

      expect(error.hint.includes("qualified ARN")).toBe(remarks);
    });

    it("names the role and the call's own resource when AWS gives no details", () => {
      const error = toConnectorError(lambdaError("AccessDeniedException", 403, "Access denied"), {
        ...putConcurrency,
        roleArn: ROLE_ARN,
      });

      expect(error.message).toBe(
        `role ${ROLE_ARN} may not call lambda:PutFunctionConcurrency on ${FUNCTION_ARN}: Access denied`,
      );
      expect(error.hint).toContain(`in the policy of role ${ROLE_ARN}`);
    });

    it("asks to edit the role's policy when the denied principal is the assumed role", () => {
      const resource = `${FUNCTION_ARN}:live`;
      const message = `User: ${ASSUMED_ROLE} is not authorized to perform: lambda:InvokeFunction on resource: ${resource} because no identity-based policy allows the lambda:InvokeFunction action`;

      const error = toConnectorError(lambdaError("AccessDeniedException", 403, message), {
        ...invoke,
        roleArn: ROLE_ARN,
      });

      expect(error.message).toBe(
        `${ASSUMED_ROLE} may not call lambda:InvokeFunction on ${resource} (because no identity-based policy allows the lambda:InvokeFunction action)`,
      );
      expect(error.hint).toContain(`Grant lambda:InvokeFunction on exactly ${resource}`);
      expect(error.hint).toContain(`in the policy of role ${ROLE_ARN}`);
      expect(error.hint).toContain("resource-based policy");
    });

    it("names the assumed role and the function's policy when that policy's Deny refused it", () => {
      const resource = `${FUNCTION_ARN}:live`;
      const message = `User: ${ASSUMED_ROLE} is not authorized to perform: lambda:InvokeFunction on resource: ${resource} with an explicit deny in a resource-based policy`;

      const error = toConnectorError(lambdaError("AccessDeniedException", 403, message), {
        ...invoke,
        roleArn: ROLE_ARN,
      });

      expect(error.hint).toBe(
        `The function's resource-based policy explicitly denies lambda:InvokeFunction on ${resource} to role ${ROLE_ARN}: find the Deny statement with get_policy and remove it (remove_permission) or narrow it.`,
      );
    });

    it("treats AccessDenied on an STS call other than AssumeRole as a missing permission", () => {
      const error = toConnectorError(stsError("AccessDenied", 403, "Access denied"), {
        ...assumeRole,
        operation: "GetCallerIdentity",
        iamAction: "sts:GetCallerIdentity",
        resource: "*",
      });

      expect(error.code).toBe("access_denied");
      expect(error.hint).toContain("Grant sts:GetCallerIdentity on exactly *");
      expect(error.hint).toContain("permissions boundary or an SCP");
      expect(error.hint).not.toContain("resource-based policy");
    });
  });

  describe("not found", () => {
    it("names the target, the region and the call's inputs", () => {
      // Prepare
      const missing = new ResourceNotFoundException({
        message: `Function not found: ${FUNCTION_ARN}:live`,
        $metadata: { httpStatusCode: 404, requestId: REQUEST_ID },
      });

      // Act
      const error = toConnectorError(missing, invoke);

      // Assess
      expect(error.code).toBe("not_found");
      expect(error.message).toContain(
        `Function ${FUNCTION_NAME} (qualifier live) was not found in region ${REGION}`,
      );
      expect(error.hint).toContain(`Searched region ${REGION}.`);
      expect(error.hint).toContain("Check function_name, qualifier, payload and client_context");
      expect(error.hint).toContain("region_name");
      expect(error.awsErrorCode).toBe("ResourceNotFoundException");
    });

    it("names only the inputs of this call: no payload or qualifier where it has none", () => {
      const missing = lambdaError("ResourceNotFoundException", 404, "Function not found");

      const error = toConnectorError(missing, { ...putConcurrency, inputs: ["function_name"] });

      expect(error.message).toContain(`Function ${FUNCTION_NAME} was not found`);
      expect(error.hint).toContain("Check function_name, that region_name");
      expect(printedText(error)).not.toMatch(/payload|qualifier/);
    });

    it("says 'the inputs' for a call without inputs or target", () => {
      const error = toConnectorError(
        lambdaError("ResourceNotFoundException", 404, "not found"),
        accountSettings,
      );

      expect(error.message).toContain("The GetAccountSettings call was not found");
      expect(error.hint).toContain("Check the inputs");
    });

    it("names a custom endpoint", () => {
      const endpoint = "https://vpce-1.lambda.us-east-1.vpce.amazonaws.com";

      const error = toConnectorError(
        lambdaError("ResourceNotFoundException", 404, "Function not found"),
        { ...putConcurrency, endpoint },
      );

      expect(error.hint).toContain(`Searched region ${REGION} at ${endpoint}.`);
    });
  });

  describe("per-operation hints", () => {
    const hints = { ResourceNotFoundException: "Check function_name: list_functions shows them." };

    it("replace the generic hint for their AWS error code", () => {
      const error = toConnectorError(
        lambdaError("ResourceNotFoundException", 404, "Function not found"),
        { ...putConcurrency, hints },
      );

      expect(error.code).toBe("not_found");
      expect(error.hint).toBe(hints.ResourceNotFoundException);
    });

    it("leave the hints of other codes alone", () => {
      const error = toConnectorError(lambdaError("AccessDeniedException", 403, "denied"), {
        ...putConcurrency,
        hints,
      });

      expect(error.hint).toContain("Grant lambda:PutFunctionConcurrency");
    });

    it("do not apply to an answer that did not come from AWS", () => {
      const error = toConnectorError(unreadableAnswer(404), { ...putConcurrency, hints });

      expect(error.code).toBe("not_found");
      expect(error.hint).not.toBe(hints.ResourceNotFoundException);
    });
  });

  describe("throttling", () => {
    it("TooManyRequestsException gives the reason, the attempts and the wait", () => {
      const throttled = new TooManyRequestsException({
        message: "Rate Exceeded.",
        $metadata: { httpStatusCode: 429, requestId: REQUEST_ID, attempts: 3 },
        Reason: "ReservedFunctionConcurrentInvocationLimitExceeded",
        retryAfterSeconds: "2",
      });

      const error = toConnectorError(throttled, invoke);

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
        $metadata: { httpStatusCode: 429, requestId: REQUEST_ID },
        Reason: "ConcurrentInvocationLimitExceeded",
      });

      expect(toConnectorError(throttled, invoke).hint).toContain("Service Quotas");
    });

    it("a throttled control-plane call names its IAM action", () => {
      const error = toConnectorError(
        lambdaError("ThrottlingException", 429, "Rate exceeded"),
        putConcurrency,
      );

      expect(error.code).toBe("throttled");
      expect(error.hint).toContain("throttling lambda:PutFunctionConcurrency for this caller");
    });

    it("STS's Throttling explains that parallel runs each assume the role once", () => {
      const error = toConnectorError(stsError("Throttling", 400, "Rate exceeded"), assumeRole);

      expect(error.code).toBe("throttled");
      expect(error.message).toContain(`STS throttled role ${ROLE_ARN}`);
      expect(error.hint).toContain("each run of an action assumes the role once");
      expect(error.hint).toContain("parallel runs");
      expect(error.awsErrorCode).toBe("Throttling");
    });
  });

  describe("Lambda errors", () => {
    it.each([
      [
        "RequestTooLargeException",
        RequestTooLargeException,
        413,
        "payload_too_large",
        "Send less data in",
      ],
      [
        "InvalidRequestContentException",
        InvalidRequestContentException,
        400,
        "aws_error",
        "Check function_name",
      ],
      [
        "UnsupportedMediaTypeException",
        UnsupportedMediaTypeException,
        415,
        "aws_error",
        "Check function_name",
      ],
      [
        "InvalidParameterValueException",
        InvalidParameterValueException,
        400,
        "aws_error",
        "Check function_name",
      ],
      ["ResourceConflictException", ResourceConflictException, 409, "aws_error", "Active"],
      ["ResourceNotReadyException", ResourceNotReadyException, 502, "aws_error", "Active"],
    ] as const)("%s (%i) is %s", (_name, Exception, status, code, hintPart) => {
      const error = toConnectorError(
        new Exception({
          message: "details",
          $metadata: { httpStatusCode: status, requestId: REQUEST_ID },
        }),
        invoke,
      );

      expect(error.code).toBe(code);
      expect(error.hint).toContain(hintPart);
      expect(error.message).toContain(FUNCTION_NAME);
    });

    it.each([
      [
        "The statement id (public-invoke) provided already exists. Please provide a new statement id, or remove the existing statement.",
        "A statement with this id already exists in the policy of function",
        "Pick another statement_id",
      ],
      [
        `Function already exist: ${FUNCTION_NAME}`,
        `Function ${FUNCTION_NAME} (qualifier live) already exists`,
        "Pick another function_name",
      ],
      [
        "Unable to delete version because the following aliases reference it: [live]",
        "is still referenced by an alias",
        "Point the alias at another version",
      ],
      [
        "Failed to create function url config for [functionArn = arn]. Error message:  FunctionUrlConfig exists for this Lambda function",
        "already has a URL",
        "update_function_url_config",
      ],
      [
        "The operation cannot be performed at this time. An update is in progress for resource: arn",
        "is busy with another change",
        "Active",
      ],
    ])("words a ResourceConflictException by what AWS said: %s", (awsMessage, message, hint) => {
      const error = toConnectorError(
        new ResourceConflictException({
          message: awsMessage,
          $metadata: { httpStatusCode: 409, requestId: REQUEST_ID },
        }),
        invoke,
      );

      expect(error.message).toContain(message);
      expect(error.message).not.toContain("busy or not ready");
      expect(error.hint).toContain(hint);
    });

    it.each([
      ["EC2UnexpectedException", EC2UnexpectedException],
      ["ENILimitReachedException", ENILimitReachedException],
      ["KMSAccessDeniedException", KMSAccessDeniedException],
      ["SubnetIPAddressLimitReachedException", SubnetIPAddressLimitReachedException],
      ["InvalidRuntimeException", InvalidRuntimeException],
    ] as const)("%s (502) says the function's configuration is broken", (name, Exception) => {
      const error = toConnectorError(
        new Exception({
          message: "config",
          $metadata: { httpStatusCode: 502, requestId: REQUEST_ID },
        }),
        invoke,
      );

      expect(error.code).toBe("function_misconfigured");
      expect(error.message).toContain(`(${name})`);
      expect(error.hint).toContain("retrying will not help");
    });

    it("ServiceException (500) is AWS's side", () => {
      const error = toConnectorError(
        new ServiceException({
          message: "Internal",
          $metadata: { httpStatusCode: 500, requestId: REQUEST_ID },
        }),
        invoke,
      );

      expect(error.code).toBe("aws_error");
      expect(error.message).toBe("AWS Lambda Invoke failed on AWS's side: Internal");
      expect(error.hint).toContain("AWS Health Dashboard");
    });

    it.each([
      [
        "a call with inputs",
        putConcurrency,
        "Check function_name and reserved_concurrent_executions",
      ],
      ["a call without inputs", accountSettings, "Check the asset's permissions and settings"],
    ])("an unknown 4xx code asks to check what %s depends on", (_label, context, hintPart) => {
      const error = toConnectorError(lambdaError("SomethingNewException", 400, "new"), context);

      expect(error.code).toBe("aws_error");
      expect(error.awsErrorCode).toBe("SomethingNewException");
      expect(error.message).toContain("(SomethingNewException): new");
      expect(error.hint).toContain(hintPart);
    });

    it("an unknown 5xx code is AWS's side", () => {
      const error = toConnectorError(lambdaError("SomethingBrokeException", 503, "down"), invoke);

      expect(error.code).toBe("aws_error");
      expect(error.hint).toContain("AWS Health Dashboard");
    });

    it("an AWS code whose message is only the SDK's sentence shows the code instead", () => {
      const error = toConnectorError(
        lambdaError("InvalidParameterValueException", 400, SDK_SENTENCE),
        invoke,
      );

      expect(error.message).toContain("rejected a parameter of");
      expect(printedText(error)).not.toMatch(/Deserialization error|\$response/);
    });
  });

  describe("error answers that did not come from AWS (no request ID)", () => {
    it.each([
      [401, "access_denied"],
      [403, "access_denied"],
      [404, "not_found"],
      [429, "throttled"],
      [500, "aws_error"],
      [502, "aws_error"],
      [503, "aws_error"],
      [599, "aws_error"],
      [400, "aws_error"],
    ] as const)(
      "HTTP %i is %s, said to come from between the connector and AWS",
      (status, code) => {
        // Act
        const error = toConnectorError(unreadableAnswer(status), putConcurrency);

        // Assess
        expect(error.code).toBe(code);
        expect(error.message).toContain(`HTTP ${status}`);
        expect(error.message).toContain(
          "did not come from AWS (no AWS request ID, text/html body)",
        );
        expect(error.toErrorLine()).toEqual({
          code,
          message: error.message,
          hint: error.hint,
          http_status: status,
        });
      },
    );

    it("does not take a gateway's refusal for AWS's own AccessDeniedException", () => {
      const gateway = lambdaError("AccessDeniedException", 403, "Forbidden", undefined);
      Object.assign(gateway, { $metadata: { httpStatusCode: 403 } });

      const error = toConnectorError(gateway, putConcurrency);

      expect(error.code).toBe("access_denied");
      expect(error.awsErrorCode).toBeUndefined();
      expect(error.hint).toContain("VPC endpoint policy, an API gateway or a proxy");
    });

    describe("through a proxy", () => {
      it.each([400, 429, 500, 502, 503])(
        "HTTP %i is the proxy's failure, naming it without its password",
        (status) => {
          const error = toConnectorError(unreadableAnswer(status), proxiedContext());

          expect(error.code).toBe("proxy_error");
          expect(error.message).toBe(
            `The proxy ${MASKED_PROXY} answered Invoke itself with HTTP ${status}, not the Lambda endpoint of ${REGION}. It may have forwarded the invocation first: the function may have run, so it was not sent again.`,
          );
          expect(printedText(error)).not.toContain(PROXY_PASSWORD);
        },
      );

      it.each([
        [403, "access_denied"],
        [404, "not_found"],
      ] as const)("HTTP %i may be an endpoint policy's, so it stays %s", (status, code) => {
        const error = toConnectorError(unreadableAnswer(status), proxiedContext());

        expect(error.code).toBe(code);
      });
    });
  });

  describe("error answers AWS sent but the SDK could not name", () => {
    it.each([
      ["SyntaxError", 502, "aws_error"],
      ["UnknownError", 500, "aws_error"],
      ["Error", 503, "aws_error"],
      ["SyntaxError", 403, "access_denied"],
      ["UnknownError", 429, "throttled"],
    ] as const)("%s with HTTP %i is %s, by its status", (name, status, code) => {
      // Act
      const error = toConnectorError(
        unreadableAnswer(status, { name, requestId: REQUEST_ID }),
        invoke,
      );

      // Assess
      expect(error.code).toBe(code);
      expect(error.message).toContain("AWS answered with an error it did not name");
      expect(printedText(error)).not.toMatch(
        /Deserialization error|\$response|UnknownError|SyntaxError/,
      );
      expect(error.toErrorLine()).toMatchObject({ http_status: status, request_id: REQUEST_ID });
      expect(error.toErrorLine()).not.toHaveProperty("aws_error_code");
    });
  });

  describe("an answer larger than AWS ever sends", () => {
    it.each([
      ["Invoke", invoke, true],
      ["a control-plane call", putConcurrency, false],
    ] as const)(
      "is an endpoint_error for %s, saying whether the function may have run",
      (_label, context, mayHaveRun) => {
        // Prepare: the SDK wraps the body's failure.
        const failure = new Error("Deserialization failed", {
          cause: new ResponseTooLargeError(MAX_RESPONSE_BYTES, 200),
        });

        // Act
        const error = toConnectorError(failure, {
          ...context,
          endpoint: "https://lambda.example.test",
        });

        // Assess
        expect(error.code).toBe("endpoint_error");
        expect(error.message).toContain(
          `https://lambda.example.test answered ${context.operation} with more than ${MAX_RESPONSE_BYTES} bytes (HTTP 200)`,
        );
        expect(error.message.includes("The function may have run.")).toBe(mayHaveRun);
        expect(error.hint).toContain("Check endpoint_url");
      },
    );
  });

  describe("network and proxy", () => {
    it("HTTP 407 says the proxy wants authentication, naming the proxy without its password", () => {
      const response407 = Object.assign(new Error("Proxy Authentication Required"), {
        name: "Unknown",
        $metadata: { httpStatusCode: 407 },
      });

      const error = toConnectorError(response407, proxiedContext());

      expect(error.code).toBe("proxy_error");
      expect(error.message).toBe(
        `The proxy ${MASKED_PROXY} refused the request: proxy authentication required (HTTP 407).`,
      );
      expect(error.hint).toContain("user name and password in http_proxy");
      expect(printedText(error)).not.toContain(PROXY_PASSWORD);
    });

    it.each([
      [
        "Invoke",
        invoke,
        "The function may still be running, so the call was not sent again",
        "reachable",
      ],
      [
        "a control-plane call",
        putConcurrency,
        "Check that Lambda is reachable from this machine",
        "still be running",
      ],
      ["AssumeRole", assumeRole, "Check that STS is reachable", "still be running"],
    ] as const)("a request timeout of %s says what fits it", (_label, context, says, never) => {
      const error = toConnectorError(requestTimeout, context);

      expect(error.code).toBe("request_timeout");
      expect(error.message).toContain(`to ${context.operation} on ${context.target} within the`);
      expect(error.hint).toContain(says);
      expect(error.hint).not.toContain(never);
    });

    it("a request timeout of an invocation names the function and the limit", () => {
      const error = toConnectorError(requestTimeout, { ...invoke, timeoutMs: 120_000 });

      expect(error.message).toBe(
        `No answer from Lambda to Invoke on function ${FUNCTION_NAME} (qualifier live) within the 120 s request timeout.`,
      );
      expect(error.hint).toContain("Raise timeout_seconds (120 s now)");
    });

    it.each([
      ["without sts_endpoint_url", undefined, `its regional endpoint in ${REGION}`, "unset"],
      [
        "with sts_endpoint_url",
        "https://sts.vpce.example",
        "https://sts.vpce.example",
        "https://sts.vpce.example",
      ],
    ])(
      "an unreachable STS endpoint, %s, names STS and sts_endpoint_url",
      (_label, endpoint, where, hinted) => {
        const error = toConnectorError(
          networkError("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:443"),
          { ...assumeRole, endpoint },
        );

        expect(error.code).toBe("network_error");
        expect(error.field).toBe("sts_endpoint_url");
        expect(error.message).toBe(
          `Could not reach STS (${where}) for AssumeRole: nothing accepted the connection (ECONNREFUSED).`,
        );
        expect(error.hint).toContain(`Check sts_endpoint_url (${hinted}`);
      },
    );

    it("a TLS failure points at the CA bundle", () => {
      const tls = networkError(
        "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
        "unable to verify the first certificate",
      );

      const error = toConnectorError(tls, invoke);

      expect(error.code).toBe("network_error");
      expect(error.message).toBe(
        `TLS verification of the Lambda endpoint of ${REGION} failed (UNABLE_TO_VERIFY_LEAF_SIGNATURE).`,
      );
      expect(error.hint).toContain("AWS_CA_BUNDLE");
    });

    it("a reset after an invocation was sent says the function may have run", () => {
      const reset = networkError("ECONNRESET", "read ECONNRESET", "TimeoutError");

      const error = toConnectorError(reset, invoke);

      expect(error.code).toBe("network_error");
      expect(error.message).toContain("broke after the invocation was sent (ECONNRESET)");
      expect(error.hint).toContain("Check the function's logs");
      expect(error.hint).toContain("allow_duplicate_runs");
    });

    it("a reset after an invocation through a proxy also names the proxy, masked", () => {
      const reset = networkError("ECONNRESET", "socket hang up");

      const error = toConnectorError(reset, proxiedContext());

      expect(error.hint).toContain(`and the proxy ${MASKED_PROXY}`);
      expect(printedText(error)).not.toContain(PROXY_PASSWORD);
    });

    it("a reset of a control-plane call is a plain network failure", () => {
      const reset = networkError("ECONNRESET", "read ECONNRESET");

      const error = toConnectorError(reset, putConcurrency);

      expect(error.code).toBe("network_error");
      expect(error.message).toBe(
        `Could not reach the Lambda endpoint of ${REGION}: the connection was reset (ECONNRESET).`,
      );
      expect(printedText(error)).not.toContain("allow_duplicate_runs");
    });

    it.each([
      ["Invoke", {}],
      ["AssumeRole", { service: "sts", operation: "AssumeRole", iamAction: "sts:AssumeRole" }],
    ] as const)(
      "a refused connection through a proxy, for %s, names the proxy without its password",
      (_label, spec) => {
        const refused = networkError(
          "ECONNREFUSED",
          `connect ECONNREFUSED 10.0.0.5:3128 (${PROXY_PASSWORD})`,
        );

        const error = toConnectorError(refused, proxiedContext(spec));

        expect(error.code).toBe("proxy_error");
        expect(error.message).toContain(
          `through proxy ${MASKED_PROXY}: nothing accepted the connection (ECONNREFUSED)`,
        );
        expect(error.hint).toContain(`Check that the proxy ${MASKED_PROXY}`);
        expect(printedText(error)).not.toContain(PROXY_PASSWORD);
      },
    );

    it("a connection timeout through a proxy blames the proxy, not a request timeout", () => {
      const connectTimeout = Object.assign(
        new Error(
          "@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 10000 ms.",
        ),
        { name: "TimeoutError" },
      );

      const error = toConnectorError(connectTimeout, proxiedContext());

      expect(error.code).toBe("proxy_error");
      expect(error.message).toContain(`proxy ${MASKED_PROXY}`);
      expect(printedText(error)).not.toContain(PROXY_PASSWORD);
    });

    it("a DNS failure without a proxy names the region and endpoint", () => {
      const error = toConnectorError(
        networkError("ENOTFOUND", "getaddrinfo ENOTFOUND vpce.example"),
        { ...invoke, endpoint: "https://vpce.example" },
      );

      expect(error.code).toBe("network_error");
      expect(error.message).toBe(
        "Could not reach https://vpce.example: the host name does not resolve (ENOTFOUND).",
      );
      expect(error.hint).toContain(
        `Check region_name (${REGION}) and the endpoint URL https://vpce.example`,
      );
    });

    it("an unknown failure keeps its name and message", () => {
      const error = toConnectorError(new TypeError("fetch failed"), invoke);

      expect(error.code).toBe("network_error");
      expect(error.message).toContain("TypeError: fetch failed");
    });
  });
});
