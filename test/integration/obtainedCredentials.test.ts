/**
 * The credentials a run obtains (the assumed role's session) are masked as the asset's
 * own are: a Lambda endpoint that echoes the canonical request (its
 * `x-amz-security-token`) and the role's secret back, in every encoding, reaches the
 * `::set-error` line and test_connection's step details with none of it left. Over
 * real HTTP: STS and Lambda on a small server on 127.0.0.1 that issues known keys.
 */
import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCESS_KEY_ID, ROLE_ARN } from "../fixtures.js";
import {
  lambdaError,
  ROLE_ENDPOINT_REQUEST_ID,
  ROLE_SESSION,
  type RoleEndpoint,
  roleAssetOn,
  startRoleEndpoint,
} from "../support/roleEndpoint.js";
import { runAction } from "./harness.js";

/** Every form in which a secret could be printed: raw, JSON-escaped, percent-encoded, base64. */
function formsOf(secret: string): string[] {
  return [
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    Buffer.from(secret).toString("base64"),
  ];
}

/** What the hostile endpoint says back: the canonical request as SigV4 builds it, and more. */
function echo(token: string): string {
  const b64 = (text: string) => Buffer.from(text).toString("base64");
  return [
    "The request signature we calculated does not match the signature you provided.",
    `The Canonical String for this request should have been 'POST\n/2015-03-31/functions/echo/invocations\n\nhost:lambda\nx-amz-security-token:${token}\n'`,
    `query token=${encodeURIComponent(token)}`,
    `basic ${b64(`${ROLE_SESSION.accessKeyId}:${ROLE_SESSION.secretAccessKey}`)}`,
    `token64 ${b64(token)} secret ${ROLE_SESSION.secretAccessKey} secret64 ${b64(ROLE_SESSION.secretAccessKey)}`,
  ].join("\n");
}

type Answer = (token: string, response: ServerResponse) => void;

const ANSWERS: Record<string, Answer> = {
  signature: (token, response) =>
    lambdaError(response, 403, "InvalidSignatureException", echo(token)),
  denied: (token, response) => lambdaError(response, 403, "AccessDeniedException", echo(token)),
  throttle: (token, response) =>
    lambdaError(response, 429, "TooManyRequestsException", "Rate exceeded", {
      Reason: echo(token),
    }),
  functionError: (token, response) => {
    response.writeHead(200, {
      "content-type": "application/json",
      "x-amzn-requestid": ROLE_ENDPOINT_REQUEST_ID,
      "x-amz-function-error": "Unhandled",
      "x-amz-executed-version": "$LATEST",
    });
    response.end(JSON.stringify({ errorType: "Error", errorMessage: echo(token) }));
  },
};

describe("the assumed role's credentials in what a hostile endpoint echoes", () => {
  let endpoint: RoleEndpoint;
  const state: { answer: Answer } = { answer: ANSWERS.signature as Answer };
  const tokensSeen: string[] = [];

  beforeAll(async () => {
    endpoint = await startRoleEndpoint("answer", (_request, token, response) => {
      tokensSeen.push(token);
      state.answer(token, response);
    });
  });

  afterAll(async () => {
    await endpoint.close();
  });

  const asset = () => roleAssetOn(endpoint.url);

  function expectNoRoleSecret(text: string): void {
    for (const secret of [ROLE_SESSION.sessionToken, ROLE_SESSION.secretAccessKey]) {
      for (const form of formsOf(secret)) {
        expect(text).not.toContain(form);
      }
    }
  }

  it.each([
    ["signature", "invoke_function", "authentication_failed"],
    ["signature", "get_function", "authentication_failed"],
    ["denied", "get_function", "access_denied"],
    ["throttle", "invoke_function", "throttled"],
    ["functionError", "invoke_function", "function_error"],
  ] as const)(
    "a %s answer to %s: the ::set-error line masks them in every form",
    async (answer, action, code) => {
      // Prepare
      state.answer = ANSWERS[answer] as Answer;
      tokensSeen.length = 0;

      // Act
      const run = await runAction(action, { asset: asset(), inputs: { function_name: "echo" } });

      // Assess: the role's token really travelled and was echoed, and nothing of it is printed.
      expect(tokensSeen).toContain(ROLE_SESSION.sessionToken);
      expect(run.exitCode).toBe(1);
      expect(run.error?.code).toBe(code);
      expect(run.error?.message).toContain("***");
      expectNoRoleSecret(run.stderr + run.stdout);
    },
  );

  it("a refused signature of the role's keys blames them, not the asset's secret_key", async () => {
    state.answer = ANSWERS.signature as Answer;

    const run = await runAction("invoke_function", {
      asset: asset(),
      inputs: { function_name: "echo" },
    });

    expect(run.error?.message).toContain(`the temporary keys of role ${ROLE_ARN}`);
    expect(run.error?.message).not.toContain(`access key ${ACCESS_KEY_ID}`);
    expect(run.error?.hint).toContain("secret_key is not at fault");
  });

  it("test_connection's step details on standard output mask them too", async () => {
    // Prepare
    state.answer = ANSWERS.signature as Answer;

    // Act
    const run = await runAction("test_connection", {
      asset: asset(),
      inputs: { function_name: "echo" },
    });

    // Assess
    expect(run.exitCode).toBe(0);
    const steps = run.output?.steps as { name: string; status: string; detail: string }[];
    const exists = steps.find((step) => step.name === "function_exists");
    expect(exists?.status).toBe("failed");
    expect(exists?.detail).toContain("***");
    expectNoRoleSecret(run.stdout + run.stderr);
  });
});
