import {
  ENILimitReachedException,
  GetAccountSettingsCommand,
  GetFunctionCommand,
  InvokeCommand,
  ListFunctionsCommand,
  ServiceException,
  TooManyRequestsException,
} from "@aws-sdk/client-lambda";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { beforeEach, describe, expect, it } from "vitest";
import type { LocalAws } from "../../local-aws/LocalAws.js";
import {
  ASSUME_DEMO_ROLE,
  lambdaClient,
  payloadOf,
  rejectionOf,
  signRequest,
  stsClient,
  useLocalAws,
} from "./fixtures.js";

const invokeEcho = new InvokeCommand({ FunctionName: "echo", Payload: '{"n":1}' });
const GATEWAY_PAGE = "<html><body><h1>403 Forbidden</h1>Request blocked.</body></html>";

/** A plain `fetch` of Invoke echo, signed as the SDK would sign it. */
async function fetchInvokeEcho(aws: LocalAws): Promise<Response> {
  const { url, init } = await signRequest(aws, {
    method: "POST",
    path: "/2015-03-31/functions/echo/invocations",
    body: '{"n":1}',
    service: "lambda",
  });
  return fetch(url, init);
}

describe("local AWS: fault injection", () => {
  const aws = useLocalAws();

  beforeEach(() => {
    aws.faults.clear();
  });

  it("throttles with 429 TooManyRequestsException, its Reason and Retry-After, without running", async () => {
    // Prepare
    aws.faults.throttleNext(1, { retryAfterSeconds: 7 });
    const runsBefore = aws.runCount("echo");

    // Act
    const error = await rejectionOf(lambdaClient(aws, { maxAttempts: 1 }).send(invokeEcho));

    // Assess
    expect(error).toBeInstanceOf(TooManyRequestsException);
    expect(error).toMatchObject({
      Reason: "ReservedFunctionConcurrentInvocationLimitExceeded",
      retryAfterSeconds: "7",
      Type: "User",
      $metadata: { httpStatusCode: 429 },
    });
    expect(aws.runCount("echo")).toBe(runsBefore);
  });

  it("lets the SDK's own retries get through a throttle, running the function once", async () => {
    // Prepare
    aws.faults.throttleNext(1, { reason: "CallerRateLimitExceeded", retryAfterSeconds: 0 });
    const runsBefore = aws.runCount("echo");
    const sent = aws.requests.length;

    // Act
    const result = await lambdaClient(aws, { maxAttempts: 3 }).send(invokeEcho);

    // Assess
    expect(result.StatusCode).toBe(200);
    expect(result.$metadata.attempts).toBe(2);
    expect(aws.runCount("echo")).toBe(runsBefore + 1);
    expect(aws.requests.slice(sent).map((request) => request.status)).toEqual([429, 200]);
  });

  it("fails with ServiceException by default, and with a chosen 502 code, without running", async () => {
    // Prepare
    aws.faults.failNext(1);
    aws.faults.failNext(1, 502, "ENILimitReachedException");
    const lambda = lambdaClient(aws, { maxAttempts: 1 });
    const runsBefore = aws.runCount("echo");

    // Act
    const first = await rejectionOf(lambda.send(invokeEcho));
    const second = await rejectionOf(lambda.send(invokeEcho));

    // Assess
    expect(first).toBeInstanceOf(ServiceException);
    expect(first).toMatchObject({ $fault: "server", $metadata: { httpStatusCode: 500 } });
    expect(second).toBeInstanceOf(ENILimitReachedException);
    expect(second).toMatchObject({ Type: "Service", $metadata: { httpStatusCode: 502 } });
    expect(aws.runCount("echo")).toBe(runsBefore);
  });

  it("drops the connection before the function runs", async () => {
    // Prepare
    aws.faults.resetNext(1, "before");
    const runsBefore = aws.runCount("echo");

    // Act
    const error = await rejectionOf(lambdaClient(aws, { maxAttempts: 1 }).send(invokeEcho));

    // Assess
    expect(error.code).toBe("ECONNRESET");
    expect(aws.runCount("echo")).toBe(runsBefore);
    expect(aws.requests.at(-1)).toMatchObject({ status: 0, errorCode: "ConnectionReset" });
  });

  it("drops the connection after the function really ran", async () => {
    // Prepare
    aws.faults.resetNext(1, "after");
    const runsBefore = aws.runCount("echo");

    // Act
    const error = await rejectionOf(lambdaClient(aws, { maxAttempts: 1 }).send(invokeEcho));

    // Assess
    expect(error.code).toBe("ECONNRESET");
    expect(aws.runCount("echo")).toBe(runsBefore + 1);
  });

  it("holds a response back for the requested delay", async () => {
    // Prepare
    aws.faults.delayNext(1, 400);
    const started = Date.now();

    // Act
    const result = await lambdaClient(aws).send(invokeEcho);

    // Assess
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(payloadOf(result.Payload)).toMatchObject({ event: { n: 1 } });
  });

  it("applies STS faults only to STS, and Lambda faults only to Lambda", async () => {
    // Prepare
    aws.faults.throttleNext(1, { service: "sts" });
    aws.faults.failNext(1, 503, { service: "lambda", code: "ServiceException" });

    // Act
    const stsError = await rejectionOf(
      stsClient(aws, { maxAttempts: 1 }).send(new GetCallerIdentityCommand({})),
    );
    const stsAgain = await stsClient(aws).send(new GetCallerIdentityCommand({}));
    const lambdaError = await rejectionOf(lambdaClient(aws, { maxAttempts: 1 }).send(invokeEcho));

    // Assess
    expect(stsError).toMatchObject({ name: "Throttling", $metadata: { httpStatusCode: 400 } });
    expect(stsAgain.Account).toBe("123456789012");
    expect(lambdaError).toMatchObject({
      name: "ServiceException",
      $metadata: { httpStatusCode: 503 },
    });
    expect(aws.faults.pending()).toEqual([]);
  });

  it("takes faults and shows state over the unsigned control endpoints", async () => {
    // Prepare
    const queued = await fetch(`${aws.url}/__local/faults`, {
      method: "POST",
      body: JSON.stringify({
        kind: "throttle",
        count: 1,
        reason: "FunctionInvocationRateLimitExceeded",
      }),
    });
    const invalid = await fetch(`${aws.url}/__local/faults`, {
      method: "POST",
      body: JSON.stringify({ kind: "explode" }),
    });

    // Act
    const error = await rejectionOf(lambdaClient(aws, { maxAttempts: 1 }).send(invokeEcho));
    const state = (await (await fetch(`${aws.url}/__local/state`)).json()) as {
      requests: unknown[];
    };

    // Assess
    expect(queued.status).toBe(200);
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: expect.stringContaining("kind") });
    expect(error).toMatchObject({ Reason: "FunctionInvocationRateLimitExceeded" });
    expect(state).toMatchObject({
      url: aws.url,
      runCounts: { "echo:$LATEST": aws.runCount("echo") },
      assumeRoleCount: 0,
      pendingFaults: [],
    });
    expect(state.requests.length).toBe(aws.requests.length);
  });

  it("answers a raw HTML page instead of Invoke, with no request id or error type, running nothing", async () => {
    // Prepare
    aws.faults.rawNext(1, { status: 403, contentType: "text/html", body: GATEWAY_PAGE });
    const runsBefore = aws.runCount("echo");

    // Act
    const response = await fetchInvokeEcho(aws);

    // Assess
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toBe("text/html");
    expect(response.headers.get("x-amzn-requestid")).toBeNull();
    expect(response.headers.get("x-amzn-errortype")).toBeNull();
    expect(await response.text()).toBe(GATEWAY_PAGE);
    expect(aws.runCount("echo")).toBe(runsBefore);
    expect(aws.requests.at(-1)).toMatchObject({ action: "Invoke", status: 403 });
    expect(aws.requests.at(-1)?.errorCode).toBeUndefined();
  });

  it("sends a raw answer's own headers, no content type unless given, and the request id when asked", async () => {
    // Prepare
    aws.faults.rawNext(1, {
      status: 502,
      body: '{"Type":"Service","mess',
      headers: { "x-cache": "Error from cloudfront" },
      requestId: true,
    });

    // Act
    const response = await fetchInvokeEcho(aws);

    // Assess
    expect(response.status).toBe(502);
    expect(response.headers.get("content-type")).toBeNull();
    expect(response.headers.get("x-cache")).toBe("Error from cloudfront");
    expect(response.headers.get("x-amzn-requestid")).toBe(aws.requests.at(-1)?.requestId);
    expect(await response.text()).toBe('{"Type":"Service","mess');
  });

  it("leaves the SDK a deserialization error with the raw answer's status", async () => {
    // Prepare
    aws.faults.rawNext(1, {
      status: 502,
      contentType: "text/html",
      body: "<html>Bad Gateway</html>",
      operation: "ListFunctions",
    });

    // Act
    const error = await rejectionOf(
      lambdaClient(aws, { maxAttempts: 1 }).send(new ListFunctionsCommand({})),
    );

    // Assess
    expect(error).toMatchObject({ name: "SyntaxError", $metadata: { httpStatusCode: 502 } });
    expect((error.$metadata as { requestId?: string }).requestId).toBeUndefined();
  });

  it("aims a fault at GetAccountSettings, leaving Invoke alone", async () => {
    // Prepare
    aws.faults.failNext(1, 503, { operation: "GetAccountSettings" });
    const lambda = lambdaClient(aws, { maxAttempts: 1 });

    // Act
    const invoked = await lambda.send(invokeEcho);
    const error = await rejectionOf(lambda.send(new GetAccountSettingsCommand({})));
    const again = await lambda.send(new GetAccountSettingsCommand({}));

    // Assess
    expect(invoked.StatusCode).toBe(200);
    expect(error).toMatchObject({
      name: "ServiceException",
      $metadata: { httpStatusCode: 503 },
    });
    expect(again.AccountLimit?.ConcurrentExecutions).toBe(1000);
    expect(aws.faults.pending()).toEqual([]);
  });

  it("keeps a Lambda fault that names no operation for Invoke, letting other calls through", async () => {
    // Prepare
    aws.faults.failNext(1, 500);
    const lambda = lambdaClient(aws, { maxAttempts: 1 });

    // Act
    const listed = await lambda.send(new ListFunctionsCommand({ MaxItems: 1 }));
    const described = await lambda.send(new GetFunctionCommand({ FunctionName: "echo" }));
    const error = await rejectionOf(lambda.send(invokeEcho));

    // Assess
    expect(listed.Functions).toHaveLength(1);
    expect(described.Configuration?.FunctionName).toBe("echo");
    expect(error).toMatchObject({ name: "ServiceException", $metadata: { httpStatusCode: 500 } });
  });

  it("aims a fault at any Lambda call with operation *, in the order calls arrive", async () => {
    // Prepare
    aws.faults.throttleNext(3, { operation: "*", retryAfterSeconds: 0 });
    const lambda = lambdaClient(aws, { maxAttempts: 1 });

    // Act
    const errors = [
      await rejectionOf(lambda.send(new ListFunctionsCommand({}))),
      await rejectionOf(lambda.send(new GetFunctionCommand({ FunctionName: "echo" }))),
      await rejectionOf(lambda.send(invokeEcho)),
    ];
    const afterwards = await lambda.send(new ListFunctionsCommand({ MaxItems: 1 }));

    // Assess
    expect(errors.map((error) => error.name)).toEqual([
      "TooManyRequestsException",
      "TooManyRequestsException",
      "TooManyRequestsException",
    ]);
    expect(afterwards.Functions).toHaveLength(1);
  });

  it("aims an STS fault at AssumeRole, leaving GetCallerIdentity alone", async () => {
    // Prepare
    aws.faults.failNext(1, 503, {
      service: "sts",
      operation: "AssumeRole",
      code: "ServiceUnavailable",
    });
    const sts = stsClient(aws, { maxAttempts: 1 });

    // Act
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    const error = await rejectionOf(sts.send(new AssumeRoleCommand(ASSUME_DEMO_ROLE)));

    // Assess
    expect(identity.Account).toBe("123456789012");
    expect(error).toMatchObject({
      name: "ServiceUnavailable",
      $metadata: { httpStatusCode: 503 },
    });
    expect(aws.faults.pending()).toEqual([]);
  });

  it("takes a raw fault for one operation over the control surface, and refuses a mismatched one", async () => {
    // Prepare
    const post = (body: unknown) =>
      fetch(`${aws.url}/__local/faults`, { method: "POST", body: JSON.stringify(body) });
    const queued = await post({
      kind: "raw",
      operation: "GetAccountSettings",
      status: 403,
      contentType: "text/html",
      body: GATEWAY_PAGE,
    });
    const mismatched = await post({ kind: "fail", service: "sts", operation: "Invoke" });
    const badHeader = await post({
      kind: "raw",
      status: 502,
      body: "",
      headers: { "bad header": "x" },
    });

    // Act
    const invoked = await lambdaClient(aws, { maxAttempts: 1 }).send(invokeEcho);
    const error = await rejectionOf(
      lambdaClient(aws, { maxAttempts: 1 }).send(new GetAccountSettingsCommand({})),
    );

    // Assess
    expect(queued.status).toBe(200);
    expect(await queued.json()).toEqual({
      pending: [
        {
          service: "lambda",
          operation: "GetAccountSettings",
          remaining: 1,
          fault: { kind: "raw", status: 403, contentType: "text/html", body: GATEWAY_PAGE },
        },
      ],
    });
    expect(mismatched.status).toBe(400);
    expect(await mismatched.json()).toEqual({
      error: "sts has no operation Invoke; try one of AssumeRole, GetCallerIdentity or *",
    });
    expect(badHeader.status).toBe(400);
    expect(invoked.StatusCode).toBe(200);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 403 } });
    expect(aws.faults.pending()).toEqual([]);
  });
});
