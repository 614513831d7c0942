import { afterEach, describe, expect, it, vi } from "vitest";
import {
  actionsServed,
  closedPort,
  DEMO,
  expectAwsFailure,
  lastRequestId,
  localAsset,
  runAction,
  useLocalAws,
} from "./harness.js";

describe("invoke_function against the local AWS endpoint, run as Turbine runs it", () => {
  const aws = useLocalAws();

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  const invoke = (inputs: Record<string, unknown>, asset: Record<string, unknown> = {}) =>
    runAction("invoke_function", { asset: localAsset(aws().url, asset), inputs });

  it("runs a function through the assumed role and returns its decoded payload", async () => {
    // Prepare
    const before = aws().runCount("enrich-indicator");

    // Act
    const run = await invoke({
      function_name: "enrich-indicator",
      payload: { indicator: "198.51.100.7" },
    });

    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.stdout.split("\n").filter(Boolean)).toHaveLength(1);
    expect(run.output).toMatchObject({
      status_code: 200,
      function_name: "enrich-indicator",
      executed_version: "$LATEST",
      function_error: null,
      request_id: lastRequestId(aws(), "Invoke"),
    });
    expect(run.output?.payload).toMatchObject({ indicator: "198.51.100.7" });
    expect(aws().runCount("enrich-indicator")).toBe(before + 1);
    expect(actionsServed(aws(), -2)).toEqual(["AssumeRole", "Invoke"]);
  });

  it("accepts Turbine's flat document form", async () => {
    const run = await runAction("invoke_function", {
      ...localAsset(aws().url),
      function_name: "echo",
      payload: { hello: "flat" },
    });

    expect(run.exitCode).toBe(0);
    expect(run.output?.payload).toMatchObject({ event: { hello: "flat" } });
  });

  it("splits the flat document by ASSET_KEYS, and notes a named key the asset lacks", async () => {
    // Prepare: without ASSET_KEYS, "tenant" would be an unknown input and refused.
    const asset = localAsset(aws().url);
    const env = { ASSET_KEYS: [...Object.keys(asset), "tenant"].join(",") };

    // Act
    const run = await runAction(
      "invoke_function",
      { ...asset, tenant: "acme", function_name: "echo" },
      env,
    );
    const unsplit = await runAction("invoke_function", {
      ...asset,
      tenant: "acme",
      function_name: "echo",
    });

    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain('note: ignored "tenant": named in ASSET_KEYS');
    expect(unsplit.exitCode).toBe(2);
    expect(unsplit.error).toMatchObject({ code: "invalid_input", field: "tenant" });
  });

  it("queues an Event invocation and answers 202 without a payload", async () => {
    const before = aws().runCount("echo");

    const run = await invoke({
      function_name: "echo",
      invocation_type: "Event",
      payload: { a: 1 },
    });

    expect(run.exitCode).toBe(0);
    expect(run.output).toMatchObject({ status_code: 202, payload: null, payload_decoded: false });
    await expect.poll(() => aws().runCount("echo"), { timeout: 5_000 }).toBe(before + 1);
  });

  it("checks a DryRun without running the function", async () => {
    const before = aws().runCount("echo");

    const run = await invoke({ function_name: "echo", invocation_type: "DryRun" });

    expect(run.exitCode).toBe(0);
    expect(run.output).toMatchObject({ status_code: 204, payload: null, payload_decoded: false });
    expect(aws().runCount("echo")).toBe(before);
  });

  it("decodes the log tail, at most 4 KB of it", async () => {
    const run = await invoke({ function_name: "chatty", include_logs: true });

    expect(run.exitCode).toBe(0);
    const log = String(run.output?.log_result);
    expect(Buffer.byteLength(log)).toBeLessThanOrEqual(4096);
    expect(log).toContain("REPORT RequestId");
  });

  it("hands the client context to the function", async () => {
    const run = await invoke({
      function_name: "echo",
      client_context: { custom: { case: "SW-1234" } },
    });

    expect(run.exitCode).toBe(0);
    expect(JSON.stringify(run.output?.payload)).toContain("SW-1234");
  });

  it("fails with the function's own error type and message by default", async () => {
    const run = await invoke({ function_name: "throws", payload: { indicator: "x" } });

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.error).toMatchObject({
      code: "function_error",
      request_id: lastRequestId(aws(), "Invoke"),
    });
    expect(run.error?.message).toContain("IndicatorLookupError");
  });

  it("returns the function error as output when fail_on_function_error is false", async () => {
    const run = await invoke({ function_name: "throws", fail_on_function_error: false });

    expect(run.exitCode).toBe(0);
    expect(run.output?.function_error).toMatchObject({ type: "IndicatorLookupError" });
  });

  it("resolves an alias and a version qualifier", async () => {
    const alias = await invoke({ function_name: "echo:live" });
    const version = await invoke({ function_name: "echo", qualifier: "1" });

    expect(alias.output).toMatchObject({ executed_version: "2", qualifier: "live" });
    expect(version.output).toMatchObject({ executed_version: "1", qualifier: "1" });
  });

  it("refuses a payload over the Event limit before sending anything", async () => {
    const sent = aws().requests.length;

    const run = await invoke({
      function_name: "echo",
      invocation_type: "Event",
      payload: { blob: "x".repeat(1024 * 1024) },
    });

    expect(run.exitCode).toBe(2);
    expect(run.error).toMatchObject({ code: "payload_too_large", field: "payload" });
    expect(run.error).not.toHaveProperty("http_status");
    expect(aws().requests.length).toBe(sent);
  });

  it("says which secret is wrong without printing it", async () => {
    const wrong = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGKEY00";

    const run = await invoke({ function_name: "echo" }, { secret_key: wrong });

    expectAwsFailure(run, aws(), "AssumeRole", {
      code: "authentication_failed",
      aws_error_code: "SignatureDoesNotMatch",
      http_status: 403,
    });
    expect(run.error?.hint).toContain("secret_key");
    expect(run.stderr).not.toContain(wrong);
    expect(run.stderr).not.toContain(DEMO.externalId);
  });

  it("names an access key that AWS does not know", async () => {
    const run = await invoke({ function_name: "echo" }, { access_key: "AKIAUNKNOWNKEY000000" });

    expect(run.exitCode).toBe(1);
    expect(run.error).toMatchObject({
      code: "authentication_failed",
      aws_error_code: "InvalidClientTokenId",
      http_status: 403,
    });
    expect(run.error?.message).toContain("AKIAUNKNOWNKEY000000");
  });

  it("names the caller and the role when the trust policy refuses AssumeRole", async () => {
    const run = await invoke({ function_name: "echo" }, { external_id: "not-the-agreed-id" });

    expectAwsFailure(run, aws(), "AssumeRole", {
      code: "assume_role_failed",
      aws_error_code: "AccessDenied",
      http_status: 403,
    });
    expect(run.error?.message).toContain(DEMO.roleArn);
    expect(run.error?.message).toContain("user/turbine-connector");
    expect(run.stderr).not.toContain("not-the-agreed-id");
  });

  it("names the function ARN the role may not invoke", async () => {
    const run = await invoke({ function_name: "admin-only" });

    expectAwsFailure(run, aws(), "Invoke", {
      code: "access_denied",
      aws_error_code: "AccessDeniedException",
      http_status: 403,
    });
    expect(run.error?.message).toContain(
      `arn:aws:lambda:us-east-1:${DEMO.account}:function:admin-only`,
    );
    expect(run.error?.hint).toContain("lambda:InvokeFunction");
  });

  it("says which region was searched when the function lives in another", async () => {
    const run = await invoke({ function_name: "regional-only" });

    expectAwsFailure(run, aws(), "Invoke", {
      code: "not_found",
      aws_error_code: "ResourceNotFoundException",
      http_status: 404,
    });
    expect(run.error?.message).toContain("not found in region us-east-1");
    expect(run.error?.hint).toContain("region_name");
  });

  it("finds that function with an asset for its region", async () => {
    const run = await invoke({ function_name: "regional-only" }, { region_name: "us-west-2" });

    expect(run.exitCode).toBe(0);
    expect(run.output?.status_code).toBe(200);
  });

  it("keeps the asset's endpoints when AWS_ENDPOINT_URL* and AWS_USE_FIPS_ENDPOINT say otherwise", async () => {
    // Prepare: the SDK reads these from the process's own environment.
    const elsewhere = `http://127.0.0.1:${await closedPort()}`;
    const redirecting = {
      AWS_ENDPOINT_URL: elsewhere,
      AWS_ENDPOINT_URL_LAMBDA: elsewhere,
      AWS_ENDPOINT_URL_STS: elsewhere,
      AWS_USE_FIPS_ENDPOINT: "true",
    };
    for (const [name, value] of Object.entries(redirecting)) {
      vi.stubEnv(name, value);
    }
    const served = aws().requests.length;

    // Act
    const run = await runAction(
      "invoke_function",
      { asset: localAsset(aws().url), inputs: { function_name: "echo" } },
      redirecting,
    );

    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.output?.status_code).toBe(200);
    expect(actionsServed(aws(), served)).toEqual(["AssumeRole", "Invoke"]);
  });
});
