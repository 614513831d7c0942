import {
  ENILimitReachedException,
  InvokeCommand,
  ServiceException,
  TooManyRequestsException,
} from "@aws-sdk/client-lambda";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type LocalAws, startLocalAws } from "../../local-aws/LocalAws.js";
import { lambdaClient, payloadOf, rejectionOf, stsClient } from "./fixtures.js";

const invokeEcho = new InvokeCommand({ FunctionName: "echo", Payload: '{"n":1}' });

describe("local AWS: fault injection", () => {
  let aws: LocalAws;

  beforeAll(async () => {
    aws = await startLocalAws();
  });

  afterAll(async () => {
    await aws.close();
  });

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
});
