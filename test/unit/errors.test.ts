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
      code: "network_error",
      message: "Could not reach AWS Lambda.",
      hint: "Check the network.",
    });
    expect(error.exitCode).toBe(1);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it("prints field, AWS error code, request ID and HTTP status as flat snake_case keys when known", () => {
    const error = new ConnectorError("access_denied", "denied", {
      hint: "Grant it.",
      field: "function_name",
      awsErrorCode: "AccessDeniedException",
      requestId: REQUEST_ID,
      httpStatus: 403,
    });

    expect(error.toErrorLine()).toEqual({
      code: "access_denied",
      message: "denied",
      hint: "Grant it.",
      field: "function_name",
      aws_error_code: "AccessDeniedException",
      request_id: REQUEST_ID,
      http_status: 403,
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
