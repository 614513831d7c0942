import { InvokeCommand, LambdaClient, ResourceNotFoundException } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { failureResult, type RunResult, runConnector } from "../../src/runConnector.js";
import { OUTPUT_PREFIX, parseErrorLine } from "../../src/turbine/contract.js";
import {
  EXTERNAL_ID,
  FUNCTION_NAME,
  jsonInvokeResponse,
  keysAsset,
  PROXY_PASSWORD,
  proxyAsset,
  REQUEST_ID,
  roleAsset,
  SECRET_ACCESS_KEY,
  SESSION_TOKEN,
  temporaryKeysAsset,
} from "../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

function explicit(asset: Record<string, unknown>, inputs: Record<string, unknown>): string {
  return JSON.stringify({ asset, inputs });
}

/** Runs invoke_function on FUNCTION_NAME with the access-keys asset and `inputs` besides. */
function invokeWithKeys(inputs: Record<string, unknown> = {}): Promise<RunResult> {
  return runConnector(
    "invoke_function",
    explicit(keysAsset, { function_name: FUNCTION_NAME, ...inputs }),
  );
}

/** The error object a failed run printed; fails unless stderr ends in exactly one ::set-error line. */
function errorOf(result: RunResult): Record<string, unknown> {
  const lines = result.stderr.split("\n");
  expect(lines.at(-1)).toBe("");
  expect(lines.filter((line) => line.startsWith("::set-error "))).toHaveLength(1);
  const error = parseErrorLine(lines.at(-2) ?? "");
  expect(error).toBeDefined();
  return error as unknown as Record<string, unknown>;
}

/** A clean environment: no proxy variables, no ASSET_KEYS, unless a test sets them. */
const env = (extra: Record<string, string> = {}) => ({ ...extra });

/** An invoke whose function raised ValueError "bad indicator" and did not handle it. */
function unhandledFunctionError() {
  return jsonInvokeResponse(
    { errorType: "ValueError", errorMessage: "bad indicator" },
    { FunctionError: "Unhandled" },
  );
}

describe("runConnector", () => {
  beforeEach(() => {
    lambdaMock.reset();
    lambdaMock.on(InvokeCommand).resolves(jsonInvokeResponse({ verdict: "benign" }));
  });

  describe("success", () => {
    it("prints exactly one ::set-output line and nothing on stderr", async () => {
      const result = await invokeWithKeys({ payload: { n: 1 } });

      expect(result.exitCode).toBe(0);
      expect(result.stderr).toBe("");
      expect(result.stdout.startsWith(OUTPUT_PREFIX)).toBe(true);
      expect(result.stdout.split("\n")).toEqual([expect.any(String), ""]);
      expect(JSON.parse(result.stdout.slice(OUTPUT_PREFIX.length))).toMatchObject({
        status_code: 200,
        function_name: FUNCTION_NAME,
        payload: { verdict: "benign" },
        request_id: REQUEST_ID,
        function_error: null,
      });
    });

    it("accepts the flat form, ignoring blank optional fields", async () => {
      const document = JSON.stringify({
        ...keysAsset,
        role_arn: "",
        http_proxy: null,
        function_name: FUNCTION_NAME,
        qualifier: "",
        payload: { n: 1 },
      });

      const result = await runConnector("invoke_function", document);

      expect(result.exitCode).toBe(0);
      expect(lambdaMock).toReceiveCommandExactlyOnceWith(InvokeCommand, {
        FunctionName: FUNCTION_NAME,
      });
      expect(lambdaMock.commandCalls(InvokeCommand)[0]?.args[0].input).not.toHaveProperty(
        "Qualifier",
      );
    });
  });

  describe("ASSET_KEYS", () => {
    it("splits the flat document by the keys it names", async () => {
      const document = JSON.stringify({ ...keysAsset, function_name: FUNCTION_NAME });

      const result = await runConnector("invoke_function", document, {
        env: env({ ASSET_KEYS: "access_key,secret_key,region_name" }),
      });

      expect(result.exitCode).toBe(0);
      expect(lambdaMock).toReceiveCommandExactlyOnceWith(InvokeCommand, {
        FunctionName: FUNCTION_NAME,
      });
    });

    it("notes a named key the asset does not declare on stderr, and still runs", async () => {
      const document = JSON.stringify({ ...keysAsset, tenant: "t1", function_name: FUNCTION_NAME });

      const result = await runConnector("invoke_function", document, {
        env: env({ ASSET_KEYS: "access_key,secret_key,region_name,tenant" }),
      });

      expect(result.exitCode).toBe(0);
      expect(result.stderr).toMatch(/^note: ignored "tenant": named in ASSET_KEYS/);
      expect(result.stdout.startsWith(OUTPUT_PREFIX)).toBe(true);
    });

    it("takes an asset field it does not name as an input, and says so", async () => {
      const document = JSON.stringify({ ...keysAsset, function_name: FUNCTION_NAME });

      const result = await runConnector("invoke_function", document, {
        env: env({ ASSET_KEYS: "access_key,secret_key" }),
      });

      expect(result.exitCode).toBe(2);
      expect(errorOf(result)).toMatchObject({ code: "invalid_asset", field: "region_name" });
      expect(lambdaMock).not.toReceiveAnyCommand();
    });

    it("keeps notes before the ::set-error line when the run fails", async () => {
      const document = JSON.stringify({ region_name: "us-east-1", tenant: "t1" });

      const result = await runConnector("invoke_function", document, {
        env: env({ ASSET_KEYS: "region_name,tenant" }),
      });

      const lines = result.stderr.trimEnd().split("\n");
      expect(lines[0]).toMatch(/^note: ignored "tenant"/);
      expect(lines.at(-1)).toMatch(/^::set-error /);
      expect(errorOf(result)).toMatchObject({ code: "invalid_input", field: "function_name" });
    });
  });

  describe("invalid documents", () => {
    it("exits 2 for an invalid asset, naming the field, and sends nothing", async () => {
      const result = await runConnector(
        "invoke_function",
        explicit({ ...keysAsset, region_name: "US-EAST-1" }, { function_name: FUNCTION_NAME }),
      );

      expect(result.exitCode).toBe(2);
      expect(result.stdout).toBe("");
      expect(errorOf(result)).toMatchObject({ code: "invalid_asset", field: "region_name" });
      expect(lambdaMock).not.toReceiveAnyCommand();
    });

    it("exits 2 for invalid inputs, naming the field", async () => {
      const result = await invokeWithKeys({ timeout_seconds: 9000 });

      expect(result.exitCode).toBe(2);
      expect(errorOf(result)).toMatchObject({ code: "invalid_input", field: "timeout_seconds" });
    });

    it.each([
      [
        "invoke_function",
        { function_name: "arn:aws:lambda:eu-west-1:123456789012:function:triage" },
      ],
      [
        "get_policy",
        { function_name: "arn:aws:lambda:eu-west-1:123456789012:function:triage:live" },
      ],
    ])(
      "exits 2 before sending when %s names a function of another region",
      async (action, inputs) => {
        const result = await runConnector(
          action,
          explicit({ ...keysAsset, region_name: "us-east-1" }, inputs),
        );

        expect(result.exitCode).toBe(2);
        expect(errorOf(result)).toMatchObject({ code: "invalid_input", field: "function_name" });
        expect(errorOf(result).message).toBe(
          "Invalid action inputs: function_name: is in region eu-west-1, but the asset's region_name is us-east-1; Lambda reaches only the functions of the region it is called in: use an asset whose region_name is eu-west-1",
        );
        expect(lambdaMock).not.toReceiveAnyCommand();
      },
    );

    it("sends a full ARN of the asset's own region", async () => {
      lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, $metadata: { requestId: "r-1" } });

      const result = await runConnector(
        "invoke_function",
        explicit(
          { ...keysAsset, region_name: "us-east-1" },
          { function_name: "arn:aws:lambda:us-east-1:123456789012:function:triage" },
        ),
      );

      expect(result.exitCode).toBe(0);
      expect(lambdaMock).toReceiveCommandTimes(InvokeCommand, 1);
    });

    it.each([
      ["an unknown action", "invoke_lambda", /^Unknown action "invoke_lambda"; /],
      ["no action", undefined, /^No action named on the command line; /],
      ["an empty action", "", /^No action named on the command line; /],
      [
        "a misspelt action",
        "invoke_functon",
        /^Unknown action "invoke_functon" \(did you mean "invoke_function"\?\); /,
      ],
    ])("exits 2 for %s, listing the actions", async (_label, action, opening) => {
      const result = await runConnector(action, explicit(keysAsset, { function_name: "f" }));

      expect(result.exitCode).toBe(2);
      expect(result.stdout).toBe("");
      const error = errorOf(result);
      expect(error.code).toBe("usage");
      expect(error.message).toMatch(opening);
      expect(error.message).toMatch(
        /this connector offers: acquire_function_evidence, add_permission, .*invoke_function, .*update_function_url_config\.$/,
      );
    });

    it.each(["--help", "-h"])(
      "prints the usage and every action for %s, and exits 0",
      async (flag) => {
        const result = await runConnector(flag, "");

        expect(result.exitCode).toBe(0);
        expect(result.stderr).toBe("");
        expect(result.stdout).toMatch(/^usage: node dist\/main\.js <action>/);
        for (const action of ["invoke_function", "test_connection", "update_function_url_config"]) {
          expect(result.stdout).toContain(`\n  ${action}\n`);
        }
      },
    );

    it.each([
      ["nothing", ""],
      ["blank", " \n"],
    ])("takes %s on stdin as {}, and names the first missing field", async (_label, stdin) => {
      const result = await runConnector("invoke_function", stdin, { env: env() });

      expect(result.exitCode).toBe(2);
      expect(result.stdout).toBe("");
      expect(errorOf(result)).toMatchObject({ code: "invalid_asset", field: "region_name" });
      expect(errorOf(result).message).toContain("region_name: is required");
    });

    it.each([
      ["text", "function_name=f"],
      ["truncated JSON", '{"asset": {"region_name": "us-east-1"'],
    ])("exits 2 when stdin is %s", async (_label, stdin) => {
      const result = await runConnector("invoke_function", stdin);

      expect(result.exitCode).toBe(2);
      expect(result.stdout).toBe("");
      expect(errorOf(result)).toMatchObject({
        code: "usage",
        message: "Standard input is not valid JSON.",
      });
    });

    it("exits 2 when the document is not an object", async () => {
      const result = await runConnector("invoke_function", "[1, 2]");

      expect(result.exitCode).toBe(2);
      expect(errorOf(result).message).toBe(
        "Invalid input document: the document on standard input must be a JSON object.",
      );
    });
  });

  describe("failures", () => {
    it.each([
      [
        "AWS refuses, with the AWS code and request ID",
        () =>
          lambdaMock.on(InvokeCommand).rejects(
            new ResourceNotFoundException({
              message: "Function not found",
              $metadata: { httpStatusCode: 404, requestId: REQUEST_ID },
            }),
          ),
        {
          code: "not_found",
          aws_error_code: "ResourceNotFoundException",
          request_id: REQUEST_ID,
          http_status: 404,
        },
      ],
      [
        "the function fails and fail_on_function_error is set (its default)",
        () => lambdaMock.on(InvokeCommand).resolves(unhandledFunctionError()),
        {
          code: "function_error",
          message: `Function ${FUNCTION_NAME} failed with ValueError: bad indicator`,
        },
      ],
    ])("exits 1 when %s", async (_case, arrange, expected) => {
      arrange();

      const result = await invokeWithKeys();

      expect(result.exitCode).toBe(1);
      expect(result.stdout).toBe("");
      expect(errorOf(result)).toMatchObject(expected);
    });

    it("exits 0 with the error in the output when fail_on_function_error is false", async () => {
      lambdaMock.on(InvokeCommand).resolves(unhandledFunctionError());

      const result = await invokeWithKeys({ fail_on_function_error: false });

      expect(result.exitCode).toBe(0);
      expect(result.stderr).toBe("");
      expect(JSON.parse(result.stdout.slice(OUTPUT_PREFIX.length)).function_error).toMatchObject({
        type: "ValueError",
      });
    });
  });

  describe("secrets", () => {
    it.each([
      ["secret_key", keysAsset, SECRET_ACCESS_KEY],
      ["session_token", temporaryKeysAsset, SESSION_TOKEN],
      ["external_id", roleAsset, EXTERNAL_ID],
      ["the proxy password", proxyAsset, PROXY_PASSWORD],
    ])("masks %s in an unexpected error message", async (_label, asset, secret) => {
      lambdaMock.on(InvokeCommand).rejects(new Error(`signing failed for ${secret} (debug dump)`));

      const result = await runConnector(
        "invoke_function",
        explicit(asset, { function_name: FUNCTION_NAME }),
      );

      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain("signing failed for *** (debug dump)");
      expect(result.stderr).not.toContain(secret);
    });

    it("masks secrets of the flat form too", async () => {
      lambdaMock.on(InvokeCommand).rejects(new Error(`leaked ${SECRET_ACCESS_KEY}`));

      const result = await runConnector(
        "invoke_function",
        JSON.stringify({ ...keysAsset, function_name: FUNCTION_NAME }),
      );

      expect(result.stderr).toContain("leaked ***");
      expect(result.stderr).not.toContain(SECRET_ACCESS_KEY);
    });

    it("masks a proxy password with characters JSON escapes, raw and decoded", async () => {
      const asset = {
        ...keysAsset,
        http_proxy: "http://turbine:pa%22ss%5Cword@proxy.example.com:3128",
      };
      lambdaMock.on(InvokeCommand).rejects(new Error('proxy said pa"ss\\word and pa%22ss%5Cword'));

      const result = await runConnector(
        "invoke_function",
        explicit(asset, { function_name: FUNCTION_NAME }),
      );

      const message = String(errorOf(result).message);
      expect(message).toContain("proxy said *** and ***");
      expect(message).not.toContain("ss\\word");
      expect(result.stderr).not.toContain("pa%22ss");
    });

    it("masks a secret the message quotes JSON-escaped or percent-encoded", async () => {
      const asset = { ...keysAsset, secret_key: 'wJalr"XUtn/FEMI+K7MDENG' };
      lambdaMock
        .on(InvokeCommand)
        .rejects(
          new Error(
            'dump {"secret":"wJalr\\"XUtn/FEMI+K7MDENG"} and wJalr%22XUtn%2FFEMI%2BK7MDENG',
          ),
        );

      const result = await runConnector(
        "invoke_function",
        explicit(asset, { function_name: FUNCTION_NAME }),
      );

      expect(errorOf(result).message).toContain('dump {"secret":"***"} and ***');
      expect(result.stderr).not.toContain("XUtn");
    });
  });
});

describe("failureResult", () => {
  it("reports a foreign error as internal_error, with the document's secrets masked", () => {
    const document = { asset: { ...roleAsset }, inputs: { function_name: FUNCTION_NAME } };

    const result = failureResult(
      new RangeError(`bad state ${SECRET_ACCESS_KEY} / ${EXTERNAL_ID}`),
      document,
    );

    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("");
    expect(errorOf(result)).toMatchObject({
      code: "internal_error",
      message: "Unexpected failure: RangeError: bad state *** / ***",
    });
  });

  it.each([
    [
      "explicit",
      (variables: object) => ({ asset: { ...roleAsset }, inputs: { environment_set: variables } }),
    ],
    ["flat", (variables: object) => ({ ...roleAsset, environment: variables })],
  ])("masks the environment variable values the inputs give (%s form)", (_form, documentOf) => {
    const token = "ghp_0123456789abcdefTOKEN";

    const result = failureResult(
      new Error(`AWS echoed ${token} and rotated-passphrase`),
      documentOf({ API_TOKEN: token, PASS: "rotated-passphrase" }),
    );

    expect(errorOf(result).message).toBe("Unexpected failure: Error: AWS echoed *** and ***");
  });

  it("masks values only, so a secret that equals a key name keeps the line's shape", () => {
    const document = { asset: { ...roleAsset, external_id: "message" } };

    const result = failureResult(new Error("the message was lost"), document);

    expect(errorOf(result)).toMatchObject({
      code: "internal_error",
      message: "Unexpected failure: Error: the *** was lost",
    });
  });

  it("masks the secrets of a document that failed validation", () => {
    const document = { asset: { ...keysAsset, region_name: "nowhere" } };

    const result = failureResult(new Error(`state ${SECRET_ACCESS_KEY}`), document, env());

    expect(errorOf(result).message).toBe("Unexpected failure: Error: state ***");
  });

  it("masks the password of any URL a foreign message quotes, and the environment's proxy password", () => {
    const result = failureResult(
      new Error(
        "Unsupported protocol for proxy URL: ftp://bob:quoted-secret@proxy:21 (env-proxy-secret)",
      ),
      undefined,
      env({ HTTPS_PROXY: "http://alice:env-proxy-secret@proxy.corp:3128" }),
    );

    expect(result.stderr).not.toContain("quoted-secret");
    expect(result.stderr).not.toContain("env-proxy-secret");
    expect(result.stderr).toContain("ftp://bob:***@proxy:21");
  });

  it("masks a proxy password that is not valid percent-encoding, as written", () => {
    const document = {
      asset: { region_name: "us-east-1", http_proxy: "http://alice:%zzpass@127.0.0.1:1" },
    };

    const result = failureResult(new Error("proxy login %zzpass refused"), document, env());

    expect(result.exitCode).toBe(1);
    expect(errorOf(result)).toMatchObject({
      code: "internal_error",
      message: "Unexpected failure: Error: proxy login *** refused",
    });
  });

  it("reports a thrown non-error too", () => {
    const result = failureResult("just a string");

    expect(errorOf(result)).toMatchObject({
      code: "internal_error",
      message: "Unexpected failure: just a string",
    });
  });
});
