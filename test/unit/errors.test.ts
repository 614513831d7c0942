import { describe, expect, it } from "vitest";
import { ConnectorError, FunctionError, InvalidInputError } from "../../src/errors.js";
import { REQUEST_ID } from "../fixtures.js";

describe("ConnectorError", () => {
  it("prints only the keys it knows", () => {
    const error = new ConnectorError("network_error", "Could not reach AWS Lambda.", {
      hint: "Check the network.",
      cause: new Error("connect ECONNREFUSED"),
    });

    expect(error.toErrorLine()).toEqual({
      error: {
        code: "network_error",
        message: "Could not reach AWS Lambda.",
        hint: "Check the network.",
      },
    });
    expect(error.exitCode).toBe(1);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it("prints field, AWS error code and request ID when known", () => {
    const error = new ConnectorError("access_denied", "denied", {
      hint: "Grant it.",
      field: "function_name",
      awsErrorCode: "AccessDeniedException",
      requestId: REQUEST_ID,
    });

    expect(error.toErrorLine().error).toEqual({
      code: "access_denied",
      message: "denied",
      hint: "Grant it.",
      field: "function_name",
      awsErrorCode: "AccessDeniedException",
      requestId: REQUEST_ID,
    });
  });
});

describe("InvalidInputError", () => {
  it("exits 2 and is a ConnectorError", () => {
    const error = new InvalidInputError("payload_too_large", "too big", { hint: "smaller" });

    expect(error).toBeInstanceOf(ConnectorError);
    expect(error.name).toBe("InvalidInputError");
    expect(error.exitCode).toBe(2);
  });
});

describe("FunctionError", () => {
  it("exits 1 with code function_error and keeps the function's error type", () => {
    const error = new FunctionError("ValueError", "bad indicator", { hint: "check logs" });

    expect(error).toBeInstanceOf(ConnectorError);
    expect(error.code).toBe("function_error");
    expect(error.errorType).toBe("ValueError");
    expect(error.exitCode).toBe(1);
  });
});
