import {
  InvokeCommand,
  LambdaClient,
  LambdaServiceException,
  ResourceNotFoundException,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import {
  ASYNC_PAYLOAD_LIMIT_BYTES,
  CLIENT_CONTEXT_LIMIT_BYTES,
  invokeFunction,
  invokeFunctionAction,
  SYNC_PAYLOAD_LIMIT_BYTES,
} from "../../../../src/actions/invoke_function/invoke_function.js";
import {
  invokeFunctionInputs,
  invokeFunctionOutput,
} from "../../../../src/actions/invoke_function/schema.js";
import { FunctionError, InvalidInputError } from "../../../../src/errors.js";
import { parseDocument } from "../../../../src/validation.js";
import {
  ACCOUNT_ID,
  FUNCTION_ARN,
  FUNCTION_NAME,
  invokeResponse,
  jsonInvokeResponse,
  REQUEST_ID,
  rejectedConnectorError,
  useActionRun,
} from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

function sentInput() {
  const call = lambdaMock.commandCalls(InvokeCommand)[0];
  if (call === undefined) {
    throw new Error("Lambda received no Invoke");
  }
  return call.args[0].input;
}

function sentPayloadText(): string | undefined {
  const payload = sentInput().Payload;
  return payload === undefined ? undefined : Buffer.from(payload as Uint8Array).toString("utf8");
}

/** JSON text of exactly `bytes` bytes: a quoted string of `a`s. */
function jsonTextOfBytes(bytes: number): string {
  return `"${"a".repeat(bytes - 2)}"`;
}

describe("invoke_function", () => {
  const { executor } = useActionRun(invokeFunctionAction, {
    mock: lambdaMock,
    executorOptions: () => ({}),
  });

  /** Runs invoke_function on `function_name: FUNCTION_NAME` plus `raw`, validated as Turbine would. */
  function run(raw: Record<string, unknown> = {}) {
    const inputs = parseDocument(
      invokeFunctionInputs,
      { function_name: FUNCTION_NAME, ...raw },
      "inputs",
    );
    return invokeFunction(inputs, executor());
  }

  beforeEach(() => {
    lambdaMock.on(InvokeCommand).resolves(jsonInvokeResponse({ verdict: "benign" }));
  });

  it("is registered under its folder's name", () => {
    expect(invokeFunctionAction.name).toBe("invoke_function");
    expect(invokeFunctionAction.inputs).toBe(invokeFunctionInputs);
  });

  describe("the request", () => {
    it.each([
      [
        "an object",
        { indicator: "198.51.100.7", tags: ["ip"] },
        '{"indicator":"198.51.100.7","tags":["ip"]}',
      ],
      ["an array", [1, "two", { three: 3 }], '[1,"two",{"three":3}]'],
      ["a number", 42, "42"],
      ["a boolean", false, "false"],
      ["a string holding a JSON object", '{"already":"json"}', '{"already":"json"}'],
      ["a string holding a JSON string", '"hello"', '"hello"'],
      ["non-ASCII text", { name: "Zoë 🚀" }, '{"name":"Zoë 🚀"}'],
    ])("sends %s as its JSON bytes", async (_label, payload, expected) => {
      await run({ payload });

      expect(sentPayloadText()).toBe(expected);
    });

    it("sends no payload when none is given", async () => {
      await run();

      expect(sentInput()).not.toHaveProperty("Payload");
    });

    it("sends tenant_id as the invocation's TenantId, and no TenantId without it", async () => {
      await run({ tenant_id: "customer-4711" });
      const withTenant = sentInput();
      lambdaMock.resetHistory();
      await run();

      expect(withTenant.TenantId).toBe("customer-4711");
      expect(sentInput()).not.toHaveProperty("TenantId");
    });

    it.each(["", "has spaces", "x".repeat(257)])(
      "refuses the tenant_id %j before sending anything",
      async (tenant) => {
        // Validation throws before run returns a promise.
        const error = await rejectedConnectorError(
          Promise.resolve().then(() => run({ tenant_id: tenant })),
        );

        expect(error.field).toBe("tenant_id");
        expect(lambdaMock).not.toReceiveAnyCommand();
      },
    );

    it("refuses a string that is not JSON before sending anything", async () => {
      const error = await rejectedConnectorError(run({ payload: "hello world" }));

      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.code).toBe("invalid_input");
      expect(error.field).toBe("payload");
      expect(error.message).toContain("is a string that is not JSON text");
      expect(lambdaMock).not.toReceiveAnyCommand();
    });

    it("sends the function name, invocation type and qualifier as given", async () => {
      await run({ qualifier: "live", invocation_type: "DryRun" });

      expect(lambdaMock).toReceiveCommandExactlyOnceWith(InvokeCommand, {
        FunctionName: FUNCTION_NAME,
        InvocationType: "DryRun",
        Qualifier: "live",
      });
      expect(sentInput()).not.toHaveProperty("LogType");
    });

    it("leaves a qualifier written in the name to the name", async () => {
      const output = await run({ function_name: `${FUNCTION_NAME}:7` });

      expect(sentInput().FunctionName).toBe(`${FUNCTION_NAME}:7`);
      expect(sentInput()).not.toHaveProperty("Qualifier");
      expect(output.qualifier).toBe("7");
    });

    it("asks for the log tail when include_logs is set", async () => {
      await run({ include_logs: true });

      expect(lambdaMock).toReceiveCommandWith(InvokeCommand, { LogType: "Tail" });
    });

    it("sends client_context as base64 of its JSON", async () => {
      const context = { custom: { playbook: "phishing-triage", case: "SW-1234" } };

      await run({ client_context: context });

      expect(lambdaMock).toReceiveCommandWith(InvokeCommand, {
        ClientContext: Buffer.from(JSON.stringify(context), "utf8").toString("base64"),
      });
    });

    it("accepts a client_context of 3,580 bytes once encoded", async () => {
      const context = { k: "x".repeat(2677) };
      const encoded = Buffer.from(JSON.stringify(context)).toString("base64");

      await run({ client_context: context });

      expect(encoded).toHaveLength(3580);
      expect(sentInput().ClientContext).toBe(encoded);
    });

    it("refuses a client_context over 3,583 bytes once encoded, before sending", async () => {
      const context = { k: "x".repeat(2678) };

      const error = await rejectedConnectorError(run({ client_context: context }));

      expect(CLIENT_CONTEXT_LIMIT_BYTES).toBe(3583);
      expect(error.code).toBe("invalid_input");
      expect(error.field).toBe("client_context");
      expect(error.message).toBe(
        "client_context: is 3584 bytes once base64-encoded, over Lambda's 3583 byte limit",
      );
      expect(lambdaMock).not.toReceiveAnyCommand();
    });

    it("passes timeout_seconds to the SDK as the request timeout", async () => {
      await run({ timeout_seconds: 30 });

      const options = (lambdaMock.send.getCall(0).args as unknown[])[1];
      expect(options).toMatchObject({
        requestTimeout: 30_000,
        abortSignal: expect.any(AbortSignal),
      });
    });

    it("outwaits Lambda's 900 s maximum without timeout_seconds", async () => {
      await run();

      const options = (lambdaMock.send.getCall(0).args as unknown[])[1];
      expect(options).toMatchObject({ requestTimeout: 910_000 });
    });
  });

  describe("payload size limits", () => {
    it("sends a synchronous payload of exactly 6 MB", async () => {
      await run({ payload: jsonTextOfBytes(SYNC_PAYLOAD_LIMIT_BYTES) });

      expect(sentPayloadText()).toHaveLength(SYNC_PAYLOAD_LIMIT_BYTES);
    });

    it.each(["RequestResponse", "DryRun"])(
      "refuses a %s payload one byte over 6 MB, before sending",
      async (invocationType) => {
        const error = await rejectedConnectorError(
          run({
            payload: jsonTextOfBytes(SYNC_PAYLOAD_LIMIT_BYTES + 1),
            invocation_type: invocationType,
          }),
        );

        expect(SYNC_PAYLOAD_LIMIT_BYTES).toBe(6 * 1024 * 1024);
        expect(error.code).toBe("payload_too_large");
        expect(error.exitCode).toBe(2);
        expect(error.field).toBe("payload");
        expect(error.message).toBe(
          `payload: is 6291457 bytes, over the 6291456 byte (6 MB) limit for ${invocationType} invocations`,
        );
        expect(error.hint).toContain("Nothing was sent");
        expect(lambdaMock).not.toReceiveAnyCommand();
      },
    );

    it("sends an Event payload of exactly 1 MB", async () => {
      await run({
        payload: jsonTextOfBytes(ASYNC_PAYLOAD_LIMIT_BYTES),
        invocation_type: "Event",
      });

      expect(sentPayloadText()).toHaveLength(ASYNC_PAYLOAD_LIMIT_BYTES);
    });

    it("refuses an Event payload one byte over 1 MB, before sending", async () => {
      const error = await rejectedConnectorError(
        run({ payload: jsonTextOfBytes(ASYNC_PAYLOAD_LIMIT_BYTES + 1), invocation_type: "Event" }),
      );

      expect(ASYNC_PAYLOAD_LIMIT_BYTES).toBe(1024 * 1024);
      expect(error.code).toBe("payload_too_large");
      expect(error.message).toBe(
        "payload: is 1048577 bytes, over the 1048576 byte (1 MB) limit for Event invocations",
      );
      expect(lambdaMock).not.toReceiveAnyCommand();
    });

    it("counts bytes, not characters", async () => {
      const payload = { text: "é".repeat(600_000) };

      const error = await rejectedConnectorError(run({ payload, invocation_type: "Event" }));

      expect(error.message).toContain(`is ${Buffer.byteLength(JSON.stringify(payload))} bytes`);
      expect(lambdaMock).not.toReceiveAnyCommand();
    });
  });

  describe("function_name and the asset's region", () => {
    it("refuses an ARN in another region before sending", async () => {
      const arn = `arn:aws:lambda:eu-west-1:${ACCOUNT_ID}:function:${FUNCTION_NAME}`;

      const error = await rejectedConnectorError(run({ function_name: arn }));

      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.field).toBe("function_name");
      expect(error.message).toBe(
        "function_name: is an ARN in region eu-west-1, but the asset's region_name is us-east-1",
      );
      expect(error.hint).toContain("use an asset whose region_name is eu-west-1");
      expect(lambdaMock).not.toReceiveAnyCommand();
    });

    it("refuses an ARN of another partition before sending", async () => {
      const arn = `arn:aws-cn:lambda:us-east-1:${ACCOUNT_ID}:function:${FUNCTION_NAME}`;

      const error = await rejectedConnectorError(run({ function_name: arn }));

      expect(error.field).toBe("function_name");
      expect(error.message).toContain("is an ARN in partition aws-cn, but region us-east-1");
      expect(lambdaMock).not.toReceiveAnyCommand();
    });

    it.each([
      ["a full ARN in the asset's region", FUNCTION_ARN],
      ["a partial ARN", `${ACCOUNT_ID}:function:${FUNCTION_NAME}:live`],
    ])("sends %s as it is", async (_label, functionName) => {
      await run({ function_name: functionName });

      expect(lambdaMock).toReceiveCommandWith(InvokeCommand, { FunctionName: functionName });
    });
  });

  describe("the output", () => {
    it("returns the parsed payload and the invocation's details", async () => {
      const output = await run({ qualifier: "live" });

      expect(output).toEqual({
        status_code: 200,
        function_name: FUNCTION_NAME,
        qualifier: "live",
        invocation_type: "RequestResponse",
        executed_version: "$LATEST",
        request_id: REQUEST_ID,
        payload: { verdict: "benign" },
        payload_decoded: true,
        log_result: null,
        function_error: null,
      });
      expect(invokeFunctionOutput.safeParse(output).success).toBe(true);
    });

    it("decodes the log tail", async () => {
      const log = "START RequestId: 1 Version: $LATEST\nchecking 198.51.100.7\nEND RequestId: 1\n";
      lambdaMock
        .on(InvokeCommand)
        .resolves(
          jsonInvokeResponse({ ok: true }, { LogResult: Buffer.from(log).toString("base64") }),
        );

      const output = await run({ include_logs: true });

      expect(output.log_result).toBe(log);
    });

    it("returns a payload that is not JSON as text", async () => {
      lambdaMock.on(InvokeCommand).resolves(invokeResponse("200 SUCCESS"));

      const output = await run();

      expect(output.payload).toBe("200 SUCCESS");
      expect(output.payload_decoded).toBe(false);
    });

    it("keeps a result nested deeper than 1,000 levels as its text, so it can be printed", async () => {
      const text = `${'{"a":'.repeat(5000)}1${"}".repeat(5000)}`;
      lambdaMock.on(InvokeCommand).resolves(invokeResponse(text));

      const output = await run();

      expect(output).toMatchObject({ payload: text, payload_decoded: false });
      expect(() => JSON.stringify(output)).not.toThrow();
    });

    it("decodes a result exactly 1,000 levels deep", async () => {
      const text = `${"[".repeat(1000)}${"]".repeat(1000)}`;
      lambdaMock.on(InvokeCommand).resolves(invokeResponse(text));

      const output = await run();

      expect(output.payload_decoded).toBe(true);
      expect(Array.isArray(output.payload)).toBe(true);
    });

    it("returns JSON scalars parsed", async () => {
      lambdaMock.on(InvokeCommand).resolves(invokeResponse('"done"'));

      const output = await run();

      expect(output.payload).toBe("done");
    });

    it.each([
      ["an empty payload", invokeResponse("")],
      ["no payload", invokeResponse(undefined)],
    ])("returns null for %s", async (_label, response) => {
      lambdaMock.on(InvokeCommand).resolves(response);

      const output = await run();

      expect(output.payload).toBeNull();
    });

    it("returns status 202 and no payload for an Event invocation", async () => {
      lambdaMock
        .on(InvokeCommand)
        .resolves(invokeResponse("", { StatusCode: 202, ExecutedVersion: undefined }));

      const output = await run({ invocation_type: "Event", payload: { n: 1 } });

      expect(output).toMatchObject({
        status_code: 202,
        invocation_type: "Event",
        executed_version: null,
        payload: null,
        payload_decoded: false,
      });
    });
  });

  describe("function errors", () => {
    const nodeError = {
      errorType: "TypeError",
      errorMessage: "Cannot read properties of undefined (reading 'ip')",
      trace: [
        "TypeError: Cannot read properties of undefined (reading 'ip')",
        "    at Runtime.handler (file:///var/task/index.mjs:3:24)",
      ],
    };
    const pythonError = {
      errorMessage: "invalid indicator",
      errorType: "ValueError",
      requestId: "9f1d0c7e-2222-4b4b-9c9c-0123456789ab",
      stackTrace: [
        '  File "/var/task/lambda_function.py", line 4, in lambda_handler\n    raise ValueError("invalid indicator")\n',
      ],
    };

    it("returns a Node.js error in function_error when asked not to fail", async () => {
      lambdaMock
        .on(InvokeCommand)
        .resolves(jsonInvokeResponse(nodeError, { FunctionError: "Unhandled" }));

      const output = await run({ fail_on_function_error: false });

      expect(output.function_error).toEqual({
        type: "TypeError",
        message: "Cannot read properties of undefined (reading 'ip')",
        stack_trace: nodeError.trace,
      });
      expect(output.payload).toEqual(nodeError);
    });

    it("returns a Python error in function_error when asked not to fail", async () => {
      lambdaMock
        .on(InvokeCommand)
        .resolves(jsonInvokeResponse(pythonError, { FunctionError: "Unhandled" }));

      const output = await run({ fail_on_function_error: false });

      expect(output.function_error).toEqual({
        type: "ValueError",
        message: "invalid indicator",
        stack_trace: pythonError.stackTrace,
      });
    });

    it.each([
      ["Node.js", nodeError],
      ["Python", pythonError],
    ])(
      "fails with a FunctionError keeping a %s error's type and message",
      async (_label, payload) => {
        lambdaMock
          .on(InvokeCommand)
          .resolves(jsonInvokeResponse(payload, { FunctionError: "Unhandled" }));

        const error = await rejectedConnectorError(run());

        expect(error).toBeInstanceOf(FunctionError);
        expect((error as FunctionError).errorType).toBe(payload.errorType);
        expect(error.code).toBe("function_error");
        expect(error.exitCode).toBe(1);
        expect(error.message).toBe(
          `Function ${FUNCTION_NAME} failed with ${payload.errorType}: ${payload.errorMessage}`,
        );
        expect(error.requestId).toBe(REQUEST_ID);
        expect(error.hint).toContain("fail_on_function_error");
      },
    );

    it("fails by default", async () => {
      lambdaMock
        .on(InvokeCommand)
        .resolves(jsonInvokeResponse(pythonError, { FunctionError: "Handled" }));

      await expect(run()).rejects.toBeInstanceOf(FunctionError);
    });

    it("splits a stack trace given as one string", async () => {
      const payload = {
        errorType: "java.lang.IllegalStateException",
        errorMessage: "bad state",
        stackTrace: "at example.Handler.handleRequest(Handler.java:12)\nat sun.reflect.Native",
      };
      lambdaMock
        .on(InvokeCommand)
        .resolves(jsonInvokeResponse(payload, { FunctionError: "Unhandled" }));

      const output = await run({ fail_on_function_error: false });

      expect(output.function_error?.stack_trace).toEqual([
        "at example.Handler.handleRequest(Handler.java:12)",
        "at sun.reflect.Native",
      ]);
    });

    it("keeps a timeout without a stack trace", async () => {
      const payload = {
        errorType: "Sandbox.Timedout",
        errorMessage: "RequestId: 1 Error: Task timed out after 3.00 seconds",
      };
      lambdaMock
        .on(InvokeCommand)
        .resolves(jsonInvokeResponse(payload, { FunctionError: "Unhandled" }));

      const output = await run({ fail_on_function_error: false });

      expect(output.function_error).toEqual({
        type: "Sandbox.Timedout",
        message: "RequestId: 1 Error: Task timed out after 3.00 seconds",
        stack_trace: [],
      });
    });

    it("uses the header's kind when the payload is not an error object", async () => {
      lambdaMock
        .on(InvokeCommand)
        .resolves(invokeResponse('"plain failure"', { FunctionError: "Handled" }));

      const output = await run({ fail_on_function_error: false });

      expect(output.function_error).toEqual({
        type: "Handled",
        message: "plain failure",
        stack_trace: [],
      });
    });
  });

  describe("AWS failures", () => {
    it("names the function, qualifier and region searched when Lambda finds nothing", async () => {
      lambdaMock.on(InvokeCommand).rejects(
        new ResourceNotFoundException({
          message: `Function not found: ${FUNCTION_ARN}:live`,
          $metadata: { httpStatusCode: 404, requestId: REQUEST_ID },
        }),
      );

      const error = await rejectedConnectorError(run({ qualifier: "live" }));

      expect(error.code).toBe("not_found");
      expect(error.exitCode).toBe(1);
      expect(error.message).toContain(
        `Function ${FUNCTION_NAME} (qualifier live) was not found in region us-east-1`,
      );
      expect(error.hint).toContain("Check function_name and qualifier");
      expect(error.awsErrorCode).toBe("ResourceNotFoundException");
      expect(error.requestId).toBe(REQUEST_ID);
    });

    it("names lambda:InvokeFunction on the qualified ARN when access is denied", async () => {
      lambdaMock.on(InvokeCommand).rejects(
        new LambdaServiceException({
          name: "AccessDeniedException",
          $fault: "client",
          message: "not authorized",
          $metadata: { httpStatusCode: 403, requestId: REQUEST_ID },
        }),
      );

      const error = await rejectedConnectorError(run({ qualifier: "live" }));

      expect(error.code).toBe("access_denied");
      expect(error.hint).toContain(
        `Grant lambda:InvokeFunction on exactly arn:aws:lambda:us-east-1:*:function:${FUNCTION_NAME}:live`,
      );
      expect(error.hint).toContain("a qualified call needs the qualified ARN");
    });
  });
});
