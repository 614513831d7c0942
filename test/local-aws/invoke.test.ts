import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetFunctionCommand, InvokeCommand } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USER } from "../../local-aws/defaultWorld.js";
import { type LocalAws, startLocalAws } from "../../local-aws/LocalAws.js";
import { lambdaClient, payloadOf, rejectionOf } from "./fixtures.js";

const ECHO_ARN = "arn:aws:lambda:us-east-1:123456789012:function:echo";

function decodeLog(logResult: string | undefined): string {
  return Buffer.from(logResult ?? "", "base64").toString("utf8");
}

describe("local AWS: Lambda Invoke", () => {
  let aws: LocalAws;
  let scratch: string;

  beforeAll(async () => {
    aws = await startLocalAws();
    // A handler that returns nothing, added to the live world the way a test would.
    scratch = await mkdtemp(join(tmpdir(), "local-aws-"));
    const code = join(scratch, "returns-nothing.mjs");
    await writeFile(code, "export const handler = async () => undefined;\n");
    aws.world.functions.push({
      name: "returns-nothing",
      region: "us-east-1",
      code,
      timeoutSeconds: 5,
      memorySizeMb: 128,
    });
    aws.world.users
      .find((user) => user.name === DEMO_USER.name)
      ?.policy.push({
        effect: "Allow",
        actions: ["lambda:InvokeFunction"],
        resources: ["arn:aws:lambda:us-east-1:123456789012:function:returns-nothing"],
      });
  });

  afterAll(async () => {
    await aws.close();
    await rm(scratch, { recursive: true, force: true });
  });

  it("runs a RequestResponse invoke and returns the event, client context and version", async () => {
    // Prepare
    const lambda = lambdaClient(aws);
    const runsBefore = aws.runCount("echo");
    const clientContext = { custom: { case: "SW-1234" }, env: { platform: "turbine" } };

    // Act
    const result = await lambda.send(
      new InvokeCommand({
        FunctionName: "echo",
        Payload: JSON.stringify({ indicator: "198.51.100.7" }),
        ClientContext: Buffer.from(JSON.stringify(clientContext)).toString("base64"),
      }),
    );

    // Assess
    expect(result.StatusCode).toBe(200);
    expect(result.ExecutedVersion).toBe("$LATEST");
    expect(result.FunctionError).toBeUndefined();
    expect(payloadOf(result.Payload)).toEqual({
      event: { indicator: "198.51.100.7" },
      clientContext,
      version: "$LATEST",
    });
    expect(aws.runCount("echo")).toBe(runsBefore + 1);
    expect(aws.runCount("echo", "$LATEST")).toBe(runsBefore + 1);
  });

  it("answers a handler's undefined with the payload null", async () => {
    // Act
    const result = await lambdaClient(aws).send(
      new InvokeCommand({ FunctionName: "returns-nothing" }),
    );

    // Assess
    expect(Buffer.from(result.Payload ?? []).toString()).toBe("null");
  });

  it("queues an Event invoke with 202 and runs it in the background", async () => {
    // Prepare
    const runsBefore = aws.runCount("enrich-indicator");

    // Act
    const result = await lambdaClient(aws).send(
      new InvokeCommand({
        FunctionName: "enrich-indicator",
        InvocationType: "Event",
        Payload: JSON.stringify({ indicator: "evil.example" }),
      }),
    );
    await aws.whenIdle();

    // Assess
    expect(result.StatusCode).toBe(202);
    expect(result.Payload?.length ?? 0).toBe(0);
    expect(aws.runCount("enrich-indicator")).toBe(runsBefore + 1);
    expect(aws.requests.at(-1)).toMatchObject({ invocationType: "Event", status: 202 });
  });

  it("checks a DryRun with 204 without running the function", async () => {
    // Prepare
    const runsBefore = aws.runCount("echo");

    // Act
    const allowed = await lambdaClient(aws).send(
      new InvokeCommand({ FunctionName: "echo", InvocationType: "DryRun" }),
    );
    const denied = await rejectionOf(
      lambdaClient(aws).send(
        new InvokeCommand({ FunctionName: "admin-only", InvocationType: "DryRun" }),
      ),
    );
    await aws.whenIdle();

    // Assess
    expect(allowed.StatusCode).toBe(204);
    expect(denied.name).toBe("AccessDeniedException");
    expect(aws.runCount("echo")).toBe(runsBefore);
  });

  it("resolves aliases and versions, by name, ARN, partial ARN and Qualifier", async () => {
    // Prepare
    const lambda = lambdaClient(aws);
    const liveBefore = aws.runCount("echo", "live");
    const invoke = async (FunctionName: string, Qualifier?: string) => {
      const result = await lambda.send(new InvokeCommand({ FunctionName, Qualifier }));
      return { executed: result.ExecutedVersion, payload: payloadOf(result.Payload) };
    };

    // Act
    const live = await invoke("echo:live");
    const previous = await invoke(`${ECHO_ARN}:previous`);
    const versionOne = await invoke("123456789012:function:echo", "1");
    const latest = await invoke(ECHO_ARN);

    // Assess
    expect(live).toMatchObject({ executed: "2", payload: { version: "2" } });
    expect(previous).toMatchObject({ executed: "1", payload: { version: "1" } });
    expect(versionOne).toMatchObject({ executed: "1", payload: { version: "1" } });
    expect(latest).toMatchObject({ executed: "$LATEST", payload: { version: "$LATEST" } });
    expect(aws.requests.at(-3)).toMatchObject({
      functionName: `${ECHO_ARN}:previous`,
      qualifier: "previous",
      executedVersion: "1",
    });
    expect(aws.runCount("echo", "live")).toBe(liveBefore + 1);
    expect(aws.runCount("echo", "2")).toBe(aws.runCount("echo", "live"));
  });

  it("returns at most 4 KB of a Lambda-shaped log with LogType Tail", async () => {
    // Act
    const chatty = await lambdaClient(aws).send(
      new InvokeCommand({ FunctionName: "chatty", LogType: "Tail" }),
    );
    const echo = await lambdaClient(aws).send(
      new InvokeCommand({ FunctionName: "echo:live", LogType: "Tail" }),
    );

    // Assess
    const chattyLog = decodeLog(chatty.LogResult);
    expect(Buffer.byteLength(chattyLog)).toBeLessThanOrEqual(4096);
    expect(Buffer.byteLength(chattyLog)).toBeGreaterThan(4000);
    expect(chattyLog).not.toContain("START RequestId");
    expect(chattyLog).toContain("chatty line 120 of 120");
    expect(chattyLog).toMatch(
      /END RequestId: [0-9a-f-]{36}\nREPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d{2} ms/,
    );
    const echoLog = decodeLog(echo.LogResult);
    expect(echoLog).toMatch(/^START RequestId: [0-9a-f-]{36} Version: 2\n/);
    expect(echoLog).toMatch(/\n\d{4}-\d{2}-\d{2}T[\d:.]+Z\t[0-9a-f-]{36}\tINFO\techo invoked\n/);
  });

  it("reports a handler's exception as Node's runtime does, with X-Amz-Function-Error", async () => {
    // Act
    const result = await lambdaClient(aws).send(
      new InvokeCommand({
        FunctionName: "throws",
        Payload: JSON.stringify({ indicator: "203.0.113.9" }),
        LogType: "Tail",
      }),
    );

    // Assess
    expect(result.StatusCode).toBe(200);
    expect(result.FunctionError).toBe("Unhandled");
    const payload = payloadOf(result.Payload) as { trace: string[] };
    expect(payload).toMatchObject({
      errorType: "IndicatorLookupError",
      errorMessage: "Threat feed returned HTTP 503 for 203.0.113.9",
    });
    expect(payload.trace[0]).toBe(
      "IndicatorLookupError: Threat feed returned HTTP 503 for 203.0.113.9",
    );
    expect(decodeLog(result.LogResult)).toContain("\tERROR\tInvoke Error \t");
  });

  it("denies a function the policy does not cover, naming the exact ARN", async () => {
    // Act
    const error = await rejectionOf(
      lambdaClient(aws).send(
        new InvokeCommand({ FunctionName: "admin-only", Qualifier: "$LATEST" }),
      ),
    );

    // Assess
    expect(error).toMatchObject({
      name: "AccessDeniedException",
      message: `User: ${DEMO_USER.arn} is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:123456789012:function:admin-only:$LATEST because no identity-based policy allows the lambda:InvokeFunction action`,
      $metadata: { httpStatusCode: 403 },
    });
    expect(aws.runCount("admin-only")).toBe(0);
  });

  it("finds a function only in its own region", async () => {
    // Act
    const wrongRegion = await rejectionOf(
      lambdaClient(aws).send(new InvokeCommand({ FunctionName: "regional-only" })),
    );
    const rightRegion = await lambdaClient(aws, { region: "us-west-2" }).send(
      new InvokeCommand({ FunctionName: "regional-only" }),
    );

    // Assess
    expect(wrongRegion).toMatchObject({
      name: "ResourceNotFoundException",
      message: "Function not found: arn:aws:lambda:us-east-1:123456789012:function:regional-only",
      $metadata: { httpStatusCode: 404 },
    });
    expect(payloadOf(rightRegion.Payload)).toEqual({ region: "us-west-2" });
  });

  it("answers an unknown qualifier with 404 and conflicting qualifiers with 400", async () => {
    // Act
    const unknown = await rejectionOf(
      lambdaClient(aws).send(new InvokeCommand({ FunctionName: "echo:nope" })),
    );
    const conflicting = await rejectionOf(
      lambdaClient(aws).send(new InvokeCommand({ FunctionName: "echo:live", Qualifier: "1" })),
    );

    // Assess
    expect(unknown).toMatchObject({
      name: "ResourceNotFoundException",
      message: `Function not found: ${ECHO_ARN}:nope`,
    });
    expect(conflicting).toMatchObject({
      name: "InvalidParameterValueException",
      $metadata: { httpStatusCode: 400 },
    });
  });

  it("refuses a payload that is not JSON, and payloads over the sync and Event limits", async () => {
    // Prepare
    const lambda = lambdaClient(aws);
    const runsBefore = aws.runCount("echo");

    // Act
    const notJson = await rejectionOf(
      lambda.send(new InvokeCommand({ FunctionName: "echo", Payload: "not json" })),
    );
    const overEvent = await rejectionOf(
      lambda.send(
        new InvokeCommand({
          FunctionName: "echo",
          InvocationType: "Event",
          Payload: JSON.stringify("x".repeat(1024 * 1024)),
        }),
      ),
    );
    const overSync = await rejectionOf(
      lambda.send(
        new InvokeCommand({
          FunctionName: "echo",
          Payload: JSON.stringify("x".repeat(6 * 1024 * 1024)),
        }),
      ),
    );

    // Assess
    expect(notJson).toMatchObject({
      name: "InvalidRequestContentException",
      $metadata: { httpStatusCode: 400 },
    });
    expect(overEvent).toMatchObject({
      name: "RequestTooLargeException",
      $metadata: { httpStatusCode: 413 },
    });
    expect(overEvent.message).toContain("1048576 bytes");
    expect(overSync).toMatchObject({ name: "RequestTooLargeException" });
    expect(overSync.message).toContain("6291456 bytes");
    expect(aws.runCount("echo")).toBe(runsBefore);
  });

  it("describes a function with GetFunction at the version an alias points to", async () => {
    // Act
    const result = await lambdaClient(aws).send(
      new GetFunctionCommand({ FunctionName: "echo", Qualifier: "previous" }),
    );

    // Assess
    expect(result.Configuration).toMatchObject({
      FunctionName: "echo",
      FunctionArn: `${ECHO_ARN}:previous`,
      Version: "1",
      Timeout: 10,
      Runtime: "nodejs20.x",
    });
  });
});

describe("local AWS: a function's timeout", () => {
  let aws: LocalAws;
  /** The timeouts the endpoint started, in milliseconds. */
  const timeouts: number[] = [];

  beforeAll(async () => {
    // Each timeout expires as soon as its invocation is under way, not seconds later.
    aws = await startLocalAws({
      functionTimeoutTimer: (ms, expire) => {
        timeouts.push(ms);
        const timer = setImmediate(expire);
        return () => clearImmediate(timer);
      },
    });
  });

  afterAll(async () => {
    await aws.close();
  });

  it("stops a handler at its timeout and reports Sandbox.Timedout", async () => {
    // Act
    const result = await lambdaClient(aws).send(
      new InvokeCommand({
        FunctionName: "sleeps",
        Payload: JSON.stringify({ seconds: 10 }),
        LogType: "Tail",
      }),
    );

    // Assess
    expect(timeouts).toEqual([3000]);
    expect(result.FunctionError).toBe("Unhandled");
    const payload = payloadOf(result.Payload) as { errorType: string; errorMessage: string };
    expect(payload.errorType).toBe("Sandbox.Timedout");
    expect(payload.errorMessage).toMatch(
      /^RequestId: [0-9a-f-]{36} Error: Task timed out after 3\.00 seconds$/,
    );
    expect(decodeLog(result.LogResult)).toContain("Status: timeout");
  });
});
