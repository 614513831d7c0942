import { HttpRequest } from "@smithy/core/protocols";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createAgents, createHttpHandler } from "../../../src/aws/httpHandler.js";
import {
  isConnectTimeout,
  isRequestTimeout,
  isTlsFailure,
  NETWORK_ERRORS,
  networkErrorCode,
  networkPhase,
} from "../../../src/aws/networkErrors.js";
import { networkError, startLocalServer, withoutProxyEnvironment } from "../../fixtures.js";

/** The connection timeout as @smithy/node-http-handler 4.x words it. */
const connectTimeout = Object.assign(
  new Error(
    "@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 10000 ms.",
  ),
  { name: "TimeoutError" },
);
/** The request timeout as @smithy/node-http-handler 4.x words it. */
const requestTimeout = networkError(
  "ETIMEDOUT",
  "@smithy/node-http-handler - [ERROR] a request has exceeded the configured 30000 ms requestTimeout.",
  "TimeoutError",
);
/** The handler renames resets and OS-level timeouts to TimeoutError, keeping their code. */
const renamedReset = networkError("ECONNRESET", "read ECONNRESET", "TimeoutError");
const renamedOsTimeout = networkError(
  "ETIMEDOUT",
  "connect ETIMEDOUT 10.0.0.5:443",
  "TimeoutError",
);
const socketTimeout = Object.assign(
  new Error(
    "@smithy/node-http-handler - the request socket timed out after 60000 ms of inactivity.",
  ),
  { name: "TimeoutError" },
);

describe("networkErrorCode", () => {
  it.each([
    ["the error itself", networkError("ECONNRESET")],
    ["its cause", new Error("socket hang up", { cause: networkError("ECONNRESET") })],
    [
      "its cause's cause",
      new Error("proxy failed", {
        cause: new Error("tunnel failed", { cause: networkError("ECONNRESET") }),
      }),
    ],
    [
      "a cause under an error whose code is not a string (an errno)",
      Object.assign(new Error("wrapped"), { code: -104, cause: networkError("ECONNRESET") }),
    ],
  ])("finds the code on %s", (_where, error) => {
    // Act
    const code = networkErrorCode(error);

    // Assess
    expect(code).toBe("ECONNRESET");
  });

  it("takes the outermost code when several errors in the chain have one", () => {
    const error = Object.assign(new Error("outer"), {
      code: "EPIPE",
      cause: networkError("ECONNRESET"),
    });

    expect(networkErrorCode(error)).toBe("EPIPE");
  });

  it.each([
    ["an error without code", new Error("something else")],
    ["a string", "ECONNRESET"],
    ["undefined", undefined],
    ["null", null],
  ])("is undefined for %s", (_label, error) => {
    expect(networkErrorCode(error)).toBeUndefined();
  });

  it("stops on a cause chain that loops back on itself", () => {
    // Prepare
    const first = new Error("first");
    const second = new Error("second", { cause: first });
    Object.assign(first, { cause: second });

    // Act
    const code = networkErrorCode(first);

    // Assess
    expect(code).toBeUndefined();
  });
});

describe("networkPhase", () => {
  const byPhase = (phase: string) =>
    Object.keys(NETWORK_ERRORS).filter((code) => NETWORK_ERRORS[code]?.phase === phase);

  it("tells a failure before any connection from one after the request may have left", () => {
    expect(byPhase("before-send").sort()).toEqual([
      "EAI_AGAIN",
      "ECONNREFUSED",
      "EHOSTUNREACH",
      "ENETUNREACH",
      "ENOTFOUND",
    ]);
    expect(byPhase("mid-flight").sort()).toEqual([
      "ECONNABORTED",
      "ECONNRESET",
      "EPIPE",
      "ETIMEDOUT",
    ]);
  });

  it.each(Object.entries(NETWORK_ERRORS))(
    "reads %s, also as a cause, from the table",
    (code, info) => {
      const wrapped = new Error("wrapped by the proxy agent", { cause: networkError(code) });

      expect(networkPhase(networkError(code))).toBe(info.phase);
      expect(networkPhase(wrapped)).toBe(info.phase);
    },
  );

  it.each([
    ["an unknown code", networkError("EWHATEVER")],
    ["a TLS failure", networkError("DEPTH_ZERO_SELF_SIGNED_CERT")],
    ["no code", new Error("no code")],
  ])("is undefined for %s", (_label, error) => {
    expect(networkPhase(error)).toBeUndefined();
  });
});

describe("isConnectTimeout and isRequestTimeout", () => {
  it.each([
    ["the connection timeout", connectTimeout, true, false],
    ["the request timeout", requestTimeout, false, true],
    ["a reset renamed TimeoutError", renamedReset, false, false],
    ["an OS-level timeout renamed TimeoutError", renamedOsTimeout, false, false],
    ["a socket inactivity timeout", socketTimeout, false, false],
    [
      "another error with the connection timeout's words",
      new Error(connectTimeout.message),
      false,
      false,
    ],
    [
      "another error with the request timeout's words",
      new Error(requestTimeout.message),
      false,
      false,
    ],
    ["undefined", undefined, false, false],
  ])("%s: connect timeout %s, request timeout %s", (_label, error, connect, request) => {
    expect(isConnectTimeout(error)).toBe(connect);
    expect(isRequestTimeout(error)).toBe(request);
  });

  describe("against a server that never answers", () => {
    afterEach(() => {
      vi.unstubAllEnvs();
    });

    it("recognises the request timeout the real handler raises", async () => {
      // Prepare
      withoutProxyEnvironment();
      const silent = await startLocalServer();
      const handler = createHttpHandler(
        await createAgents({ proxyUrl: undefined, verifySsl: true }),
        100,
      );
      const { port } = new URL(silent.url);

      // Act
      const error = await handler
        .handle(
          new HttpRequest({
            protocol: "http:",
            hostname: "127.0.0.1",
            port: Number(port),
            path: "/",
          }),
        )
        .then(
          () => undefined,
          (failure: unknown) => failure,
        );
      handler.destroy();
      await silent.close();

      // Assess
      expect(isRequestTimeout(error)).toBe(true);
      expect(isConnectTimeout(error)).toBe(false);
    });
  });
});

describe("isTlsFailure", () => {
  it.each([
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "SELF_SIGNED_CERT_IN_CHAIN",
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    "CERT_HAS_EXPIRED",
    "ERR_TLS_CERT_ALTNAME_INVALID",
    "ERR_SSL_WRONG_VERSION_NUMBER",
  ])("%s is a TLS failure", (code) => {
    expect(isTlsFailure(code)).toBe(true);
  });

  it.each([...Object.keys(NETWORK_ERRORS), undefined])("%s is not", (code) => {
    expect(isTlsFailure(code)).toBe(false);
  });
});
