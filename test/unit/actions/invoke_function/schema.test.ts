import { describe, expect, it } from "vitest";
import {
  INVOCATION_TYPES,
  invokeFunctionInputs,
} from "../../../../src/actions/invoke_function/schema.js";
import { InvalidInputError } from "../../../../src/errors.js";
import { parseDocument } from "../../../../src/validation.js";
import { FUNCTION_ARN, FUNCTION_NAME, thrownConnectorError } from "../../../fixtures.js";

function parseInputs(raw: Record<string, unknown>) {
  return parseDocument(invokeFunctionInputs, raw, "inputs");
}

function inputsError(raw: Record<string, unknown>) {
  return thrownConnectorError(() => parseInputs(raw));
}

describe("invoke_function inputs", () => {
  it("fills in the defaults", () => {
    const inputs = parseInputs({ function_name: FUNCTION_NAME });

    expect(inputs).toEqual({
      function_name: FUNCTION_NAME,
      invocation_type: "RequestResponse",
      include_logs: false,
      fail_on_function_error: true,
      allow_duplicate_runs: false,
    });
  });

  it("accepts any JSON value as payload", () => {
    for (const payload of [{ a: 1 }, [1, 2], 42, '"text"', true, null]) {
      expect(parseInputs({ function_name: FUNCTION_NAME, payload }).payload).toEqual(payload);
    }
  });

  it("says function_name is required", () => {
    const error = inputsError({ payload: {} });

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.code).toBe("invalid_input");
    expect(error.exitCode).toBe(2);
    expect(error.field).toBe("function_name");
    expect(error.message).toBe("Invalid action inputs: function_name: is required");
    expect(error.hint).toContain("Correct the action input");
  });

  it("explains the accepted forms when function_name is malformed", () => {
    const error = inputsError({ function_name: "arn:aws:s3:::bucket" });

    expect(error.field).toBe("function_name");
    expect(error.message).toContain("function_name: must be a function name (my-function)");
    expect(error.message).toContain("partial ARN");
  });

  describe("qualifier", () => {
    it("refuses a qualifier that conflicts with the one in function_name", () => {
      const error = inputsError({ function_name: `${FUNCTION_NAME}:live`, qualifier: "3" });

      expect(error.field).toBe("qualifier");
      expect(error.message).toContain(
        'qualifier: conflicts with the qualifier "live" already in function_name',
      );
    });

    it("refuses a conflict in a full ARN too", () => {
      const error = inputsError({ function_name: `${FUNCTION_ARN}:$LATEST`, qualifier: "live" });

      expect(error.field).toBe("qualifier");
      expect(error.message).toContain('"$LATEST"');
    });

    it("accepts the same qualifier in both places", () => {
      const inputs = parseInputs({ function_name: `${FUNCTION_NAME}:live`, qualifier: "live" });

      expect(inputs.qualifier).toBe("live");
    });

    it("refuses a malformed qualifier", () => {
      const error = inputsError({ function_name: FUNCTION_NAME, qualifier: "live:1" });

      expect(error.field).toBe("qualifier");
      expect(error.message).toContain("must be $LATEST, $LATEST.PUBLISHED");
    });
  });

  describe("invocation_type", () => {
    it("lists the allowed values", () => {
      const error = inputsError({ function_name: FUNCTION_NAME, invocation_type: "Async" });

      expect(error.field).toBe("invocation_type");
      expect(error.message).toContain(
        "invocation_type: must be one of RequestResponse, Event, DryRun",
      );
      expect(INVOCATION_TYPES).toEqual(["RequestResponse", "Event", "DryRun"]);
    });

    it.each(["Event", "DryRun"] as const)("refuses include_logs with %s", (invocationType) => {
      const error = inputsError({
        function_name: FUNCTION_NAME,
        invocation_type: invocationType,
        include_logs: true,
      });

      expect(error.field).toBe("include_logs");
      expect(error.message).toContain(
        `include_logs: is only available with invocation_type RequestResponse, not ${invocationType}`,
      );
    });

    it.each(["Event", "DryRun"] as const)("refuses client_context with %s", (invocationType) => {
      const error = inputsError({
        function_name: FUNCTION_NAME,
        invocation_type: invocationType,
        client_context: { custom: { case: "SW-1" } },
      });

      expect(error.field).toBe("client_context");
      expect(error.message).toContain("client_context: is only available with invocation_type");
    });

    it("accepts include_logs false with Event", () => {
      const inputs = parseInputs({
        function_name: FUNCTION_NAME,
        invocation_type: "Event",
        include_logs: false,
      });

      expect(inputs.invocation_type).toBe("Event");
    });

    it("accepts include_logs and client_context with RequestResponse", () => {
      const inputs = parseInputs({
        function_name: FUNCTION_NAME,
        include_logs: true,
        client_context: { custom: { case: "SW-1" } },
      });

      expect(inputs.include_logs).toBe(true);
      expect(inputs.client_context).toEqual({ custom: { case: "SW-1" } });
    });
  });

  describe("client_context", () => {
    it.each([
      ["an array", [1]],
      ["a string", '{"custom":{}}'],
    ])("refuses %s", (_label, value) => {
      const error = inputsError({ function_name: FUNCTION_NAME, client_context: value });

      expect(error.field).toBe("client_context");
      expect(error.message).toContain("client_context: must be a JSON object");
    });
  });

  describe("timeout_seconds", () => {
    it.each([1, 60, 900])("accepts %d", (seconds) => {
      expect(
        parseInputs({ function_name: FUNCTION_NAME, timeout_seconds: seconds }).timeout_seconds,
      ).toBe(seconds);
    });

    it.each([
      [0, "must be between 1 and 900 seconds"],
      [901, "must be between 1 and 900 seconds"],
      [-5, "must be between 1 and 900 seconds"],
      [1.5, "must be a whole number of seconds"],
      ["30", "must be a whole number of seconds"],
    ])("refuses %j", (seconds, message) => {
      const error = inputsError({ function_name: FUNCTION_NAME, timeout_seconds: seconds });

      expect(error.field).toBe("timeout_seconds");
      expect(error.message).toContain(`timeout_seconds: ${message}`);
    });
  });

  it.each(["include_logs", "fail_on_function_error", "allow_duplicate_runs"])(
    "says %s must be true or false",
    (field) => {
      const error = inputsError({ function_name: FUNCTION_NAME, [field]: "yes" });

      expect(error.field).toBe(field);
      expect(error.message).toContain(`${field}: must be true or false`);
    },
  );

  it("names an unknown input", () => {
    const error = inputsError({ function_name: FUNCTION_NAME, InvocationType: "Event" });

    expect(error.field).toBe("InvocationType");
    expect(error.message).toContain('unknown field "InvocationType"');
    expect(error.message).toContain("action's inputs");
  });
});

describe("invoke_function's payload input", () => {
  it("passes the payload on as it is, without copying it", () => {
    const payload = { indicators: Array.from({ length: 1000 }, (_, i) => ({ id: i })) };

    const inputs = invokeFunctionInputs.parse({ function_name: "f", payload });

    expect(inputs.payload).toBe(payload);
  });

  it.each([
    ["nested deeper than 1,000 levels", JSON.parse(`${"[".repeat(1002)}${"]".repeat(1002)}`)],
    ["holding a non-finite number", { n: Number.POSITIVE_INFINITY }],
    ["holding a function", { f: () => 1 }],
    ["holding a date", { when: new Date(0) }],
  ])("refuses a payload %s, naming payload", (_label, payload) => {
    const result = invokeFunctionInputs.safeParse({ function_name: "f", payload });

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["payload"]);
    expect(result.error?.issues[0]?.message).toContain("nested at most 1000 levels");
  });

  it("accepts a payload exactly 1,000 levels deep", () => {
    const payload = JSON.parse(`${"[".repeat(1000)}${"]".repeat(1000)}`);

    expect(invokeFunctionInputs.safeParse({ function_name: "f", payload }).success).toBe(true);
  });
});
