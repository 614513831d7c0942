/**
 * The process contract, with the built entry run as Turbine runs it: `node dist/main.js
 * <action>`, one JSON document on standard input, the environment Turbine sets. Every
 * other integration test runs the connector in-process; only here is the process itself
 * the subject.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTRY_PATH, runEntryProcess } from "../../scripts/lib/runEntryProcess.js";
import {
  ERROR_PREFIX,
  EXIT_CODES,
  OUTPUT_PREFIX,
  parseErrorLine,
} from "../../src/turbine/contract.js";
import { localAsset, tlsFixture, useLocalAws } from "./harness.js";

const LOCALHOST = tlsFixture("localhost");

/** The keys a `::set-error` object may have: flat, snake_case, Turbine's error properties. */
const ERROR_LINE_KEYS = [
  "code",
  "message",
  "hint",
  "field",
  "aws_error_code",
  "request_id",
  "http_status",
];

/** The parent's environment without anything that would route or sign differently, plus `extra`. */
function entryEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(https?_proxy|no_proxy|all_proxy|aws_.*|asset_keys)$/i.test(key)) {
      env[key] = value;
    }
  }
  return { ...env, ...extra };
}

/** Runs the entry and notes when its output arrived and when it exited. */
function runTimed(action: string, document: string) {
  const child = spawn(process.execPath, [ENTRY_PATH, action], {
    env: entryEnvironment(),
    stdio: ["pipe", "pipe", "ignore"],
  });
  let stdout = "";
  let outputAt: number | undefined;
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    outputAt ??= performance.now();
    stdout += chunk;
  });
  child.stdin.end(document);
  return new Promise<{ exitCode: number | null; stdout: string; exitAfterOutputMs: number }>(
    (done) =>
      child.on("close", (exitCode) =>
        done({ exitCode, stdout, exitAfterOutputMs: performance.now() - (outputAt ?? 0) }),
      ),
  );
}

/** Built-ins a plain-http invoke does without: TLS (~4.5 ms of a start), zlib, fs/promises, web streams. */
const NOT_LOADED = [
  "NativeModule https",
  "NativeModule tls",
  "NativeModule zlib",
  "NativeModule fs/promises",
  "NativeModule internal/webstreams/readablestream",
];

/**
 * The settings the SDK still looks up in AWS_* variables before ~/.aws/config, which the
 * connector leaves to the machine (see explicitClientSettings), each at the value the
 * SDK takes when neither sets it: a run given them reads no file for any other setting.
 */
const LEFT_TO_THE_MACHINE = {
  AWS_DISABLE_CLOCK_SKEW_CORRECTION: "false",
  AWS_RETRY_MODE: "standard",
  AWS_REGION: "us-east-1",
};

describe("the built-ins an invoke over plain HTTP loads", () => {
  const aws = useLocalAws();
  const dir = mkdtempSync(join(tmpdir(), "connector-loads-"));
  const preload = join(dir, "recordLoads.cjs");
  const loads = join(dir, "loads.txt");
  writeFileSync(
    preload,
    `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(loads)}, process.moduleLoadList.join("\\n")));\n`,
  );

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("loads neither TLS, zlib, fs/promises nor web streams, with the asset's role assumed", async () => {
    // Prepare: no AWS_CA_BUNDLE (reading it loads Node's roots through node:tls) and no proxy.
    const inputs = { function_name: "echo", payload: { n: 3 } };
    const env = entryEnvironment({
      ...LEFT_TO_THE_MACHINE,
      NODE_OPTIONS: `--require ${JSON.stringify(preload)}`,
    });

    // Act
    const run = await runEntryProcess(
      "invoke_function",
      JSON.stringify({ asset: localAsset(aws().url), inputs }),
      env,
    );

    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.output).toMatchObject({ status_code: 200, payload: { event: { n: 3 } } });
    const loaded = readFileSync(loads, "utf8").split("\n");
    expect(loaded).toContain("NativeModule http");
    expect(NOT_LOADED.filter((module) => loaded.includes(module))).toEqual([]);
  });
});

describe("the entry process, as Turbine runs it", () => {
  const aws = useLocalAws();
  const https = useLocalAws({ tls: { cert: LOCALHOST.cert, key: LOCALHOST.key } });

  beforeAll(() => {
    if (!existsSync(ENTRY_PATH)) {
      throw new Error(`${ENTRY_PATH} is missing: run \`npm run build\` first`);
    }
  });

  it("prints one ::set-output line and nothing else on stdout, and exits right after it", async () => {
    // Prepare: HTTPS, so that kept-alive connections are open when the output is ready.
    const inputs = { function_name: "echo", payload: { n: 1 } };
    const asset = { ...localAsset(https().url), verify_ssl: false };

    // Act
    const run = await runTimed("invoke_function", JSON.stringify({ asset, inputs }));

    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.stdout.startsWith(OUTPUT_PREFIX)).toBe(true);
    expect(run.stdout.endsWith("\n")).toBe(true);
    expect(run.stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(JSON.parse(run.stdout.slice(OUTPUT_PREFIX.length))).toMatchObject({
      status_code: 200,
      payload: { event: { n: 1 } },
    });
    expect(run.exitAfterOutputMs).toBeLessThan(2_000);
  });

  it("signs with the machine's credential chain when the asset has no keys (environment keys here)", async () => {
    // Prepare: invoke_function's bundle keeps the chain in a file of its own, loaded on use.
    const { access_key, secret_key, ...asset } = localAsset(aws().url) as Record<string, string>;
    const env = entryEnvironment({
      AWS_ACCESS_KEY_ID: access_key as string,
      AWS_SECRET_ACCESS_KEY: secret_key as string,
    });
    const inputs = { function_name: "echo", payload: { n: 2 } };

    // Act
    const run = await runEntryProcess("invoke_function", JSON.stringify({ asset, inputs }), env);

    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.output).toMatchObject({ status_code: 200, payload: { event: { n: 2 } } });
  });

  it("reads ASSET_KEYS from its environment; on failure prints only the ::set-error line last on stderr, exits 1", async () => {
    // Prepare: Turbine's flat document, split by ASSET_KEYS from the environment. It names
    // "tenant", which the asset lacks: ignored, with a note on stderr before the error
    // line. Were ASSET_KEYS not read, "tenant" would be an unknown input: exit 2.
    const asset = localAsset(aws().url);
    const flat = { ...asset, tenant: "acme", function_name: "throws" };
    const env = entryEnvironment({ ASSET_KEYS: [...Object.keys(asset), "tenant"].join(",") });

    // Act
    const run = await runEntryProcess("invoke_function", JSON.stringify(flat), env);

    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines).toContain(
      'note: ignored "tenant": named in ASSET_KEYS but not a field of this connector\'s asset.',
    );
    expect(lines.filter((line) => line.startsWith(ERROR_PREFIX))).toHaveLength(1);
    expect(lines.at(-1)?.startsWith(ERROR_PREFIX)).toBe(true);
    // Nothing but the connector's own lines: Node's multi-line warnings become one line each.
    expect(lines.filter((line) => !/^(note|warning): |^::set-error /.test(line))).toEqual([]);
    expect(run.error).toMatchObject({ code: "function_error", request_id: expect.any(String) });
    expect(ERROR_LINE_KEYS).toEqual(expect.arrayContaining(Object.keys(run.error ?? {})));
  });

  it("refuses standard input that is not UTF-8 instead of replacing its bytes, exit 2", async () => {
    const child = spawn(process.execPath, [ENTRY_PATH, "invoke_function"], {
      env: entryEnvironment(),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const flat = JSON.stringify({ ...localAsset(aws().url), function_name: "echo" });
    child.stdin.end(
      Buffer.concat([Buffer.from(flat.slice(0, -1)), Buffer.from([0xff, 0xfe]), Buffer.from("}")]),
    );

    const exitCode = await new Promise((done) => child.on("close", done));

    expect(exitCode).toBe(2);
    expect(parseErrorLine(stderr.trimEnd().split("\n").at(-1) ?? "")).toMatchObject({
      code: "usage",
      message: "Standard input is not valid UTF-8.",
    });
  });

  it("exits 2 on empty standard input, naming the first missing field", async () => {
    const run = await runEntryProcess("invoke_function", "", entryEnvironment());

    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.error).toMatchObject({ code: "invalid_asset", field: "region_name" });
    expect(run.error?.message).toContain("region_name");
  });

  it("exits 1 with one ::set-error line, and no stack trace, when its stdout is closed before the result line", async () => {
    // Prepare: the read end of stdout closed before the document is sent, so before the
    // run can write anything.
    const child = spawn(process.execPath, [ENTRY_PATH, "invoke_function"], {
      env: entryEnvironment(),
      stdio: ["pipe", "pipe", "pipe"],
    });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const inputs = { function_name: "echo", payload: { n: 4 } };

    // Act
    child.stdin.end(JSON.stringify({ asset: localAsset(aws().url), inputs }));
    const exitCode = await new Promise((done) => child.on("close", done));

    // Assess
    expect(exitCode).toBe(EXIT_CODES.failure);
    const lines = stderr.trimEnd().split("\n");
    expect(lines.filter((line) => !/^(note|warning): /.test(line))).toHaveLength(1);
    expect(parseErrorLine(lines.at(-1) ?? "")).toEqual({
      code: "internal_error",
      message:
        "The result could not be written to standard output (EPIPE): its reader closed it. The action itself ran to its end.",
      hint: expect.stringContaining("check the function's state before running it again"),
    });
  });

  it("trusts NODE_EXTRA_CA_CERTS, which Node reads by itself at start", async () => {
    const run = await runEntryProcess(
      "invoke_function",
      JSON.stringify({ asset: localAsset(https().url), inputs: { function_name: "echo" } }),
      entryEnvironment({ NODE_EXTRA_CA_CERTS: LOCALHOST.certFile }),
    );

    expect(run.exitCode).toBe(0);
    expect(run.output?.status_code).toBe(200);
  });
});
