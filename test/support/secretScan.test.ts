/**
 * The secret scan checks itself: the matcher on crafted text, and the suite-wide hooks on
 * crafted leaks. A test that leaks is declared with `it.fails`: it passes only if the
 * scan's afterEach (test/setup.ts) failed it, so a scan that stopped seeing a channel
 * turns this file red without any test of the suite having to leak for real.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ConnectorError } from "../../src/errors.js";
import { failureResult, runConnector } from "../../src/runConnector.js";
import {
  EXTERNAL_ID,
  keysAsset,
  networkError,
  PROXY_PASSWORD,
  SECRET_ACCESS_KEY,
  SESSION_TOKEN,
} from "../fixtures.js";
import { causeChain, SecretMatcher, SuiteSecretScan, secretForms } from "./secretScan.js";
import { suiteSecretScan } from "./secretScanHooks.js";
import { TEST_SECRETS } from "./testSecrets.js";

const run = promisify(execFile);
const HINT = { hint: "Check the crafted leak." };

describe("the secret matcher", () => {
  const secret = 'p@ss"w/rd\\ü%';
  const matcher = new SecretMatcher([{ name: "crafted", value: secret }]);

  it.each([
    ["raw", `text ${secret} text`],
    ["json-escaped", `{"message":${JSON.stringify(`text ${secret}`)}}`],
    ["percent-encoded", `http://user:${encodeURIComponent(secret)}@proxy:3128`],
  ] as const)("finds a secret %s, and names it without its value", (form, text) => {
    expect(matcher.find(text, "crafted")).toEqual([
      { secret: "crafted", form, channel: "crafted" },
    ]);
  });

  it("finds nothing in text that only holds part of a secret, or a masked one", () => {
    expect(matcher.find(`text ${secret.slice(0, -1)} *** text`, "crafted")).toEqual([]);
  });

  it("has no percent-encoded form for a value with a lone surrogate, and does not throw on it", () => {
    expect(secretForms("abc\ud800def").map(([form]) => form)).toEqual(["raw", "json-escaped"]);
  });

  it("finds a secret split across two chunks of a stream", () => {
    const scan = new SuiteSecretScan([{ name: "crafted", value: secret }]);
    const sink = scan.streamSink("stream");

    sink(`start ${secret.slice(0, 4)}`);
    sink(Buffer.from(`${secret.slice(4)} end`));

    expect(scan.takeHits()).toEqual([{ secret: "crafted", form: "raw", channel: "stream" }]);
  });

  it("walks a cause chain through AggregateError's errors, each link once, cycles included", () => {
    const inner = new Error("inner");
    const aggregate = new AggregateError([inner, "text"], "aggregate");
    const outer = new Error("outer", { cause: aggregate });
    (inner as { cause?: unknown }).cause = outer;

    expect(causeChain(outer)).toEqual([outer, aggregate, inner, "text"]);
  });
});

describe("the cause chain rule", () => {
  const scan = new SuiteSecretScan(TEST_SECRETS);

  it("passes over a foreign error the test built to carry a secret, and the connector's error quoting it", () => {
    const crafted = networkError("ECONNREFUSED", `connect ECONNREFUSED (${PROXY_PASSWORD})`);
    const wrapped = asIfBuiltIn(
      new ConnectorError("proxy_error", `through the proxy: ${crafted.message}`, {
        ...HINT,
        cause: crafted,
      }),
    );

    scan.scanError("crafted", wrapped);

    expect(scan.takeHits()).toEqual([]);
  });

  it("still counts another secret beside the one the test fed in", () => {
    const crafted = networkError("ECONNREFUSED", `connect ECONNREFUSED (${PROXY_PASSWORD})`);
    const wrapped = asIfBuiltIn(
      new ConnectorError("proxy_error", `${crafted.message} ${EXTERNAL_ID}`, {
        ...HINT,
        cause: crafted,
      }),
    );

    scan.scanError("crafted", wrapped);

    expect(scan.takeHits()).toEqual([
      { secret: "fixtures EXTERNAL_ID", form: "raw", channel: "crafted" },
    ]);
  });

  it("counts a secret in an error that Node, not the test, built", () => {
    const cause = thrownBy(() => readFileSync(`/nonexistent/${SESSION_TOKEN}`));

    scan.scanError(
      "crafted",
      new ConnectorError("network_error", "cannot read", { ...HINT, cause }),
    );

    expect(scan.takeHits()).toEqual([
      { secret: "fixtures SESSION_TOKEN", form: "raw", channel: "crafted" },
    ]);
  });
});

describe("the scan over the whole suite", () => {
  it("records a leak where it happens, and forgets it once taken", () => {
    console.error(`crafted leak: ${SECRET_ACCESS_KEY}`);

    expect(suiteSecretScan().takeHits()).toEqual([
      { secret: "fixtures SECRET_ACCESS_KEY", form: "raw", channel: "console.error" },
    ]);
  });

  it("sees every run of the connector, and finds nothing in a run that masks", async () => {
    const before = suiteSecretScan().scanned.get("runConnector stderr") ?? 0;

    const result = await runConnector(
      "get_function",
      JSON.stringify({ ...keysAsset, region_name: "nowhere", function_name: "f" }),
      { env: {} },
    );

    expect(result.exitCode).toBe(2);
    expect(suiteSecretScan().scanned.get("runConnector stderr")).toBe(before + 1);
  });

  it.fails("fails a test that prints a secret on the console", () => {
    console.warn(`crafted leak: ${SECRET_ACCESS_KEY}`);
  });

  it.fails("fails a test that writes a secret, percent-encoded, to stderr", () => {
    process.stderr.write(`crafted leak: ${encodeURIComponent(SESSION_TOKEN)}\n`);
  });

  it.fails("fails a test whose child process prints a secret", async () => {
    await run(process.execPath, ["-e", `console.log(${JSON.stringify(PROXY_PASSWORD)})`]);
  });

  it.fails("fails a test that prints a connector error line holding a secret", () => {
    failureResult(new Error(`crafted leak: ${EXTERNAL_ID}`));
  });

  it.fails("fails a test in which the connector's own error names a secret, printed or not", () => {
    asIfBuiltIn(
      new ConnectorError("aws_error", `crafted leak: ${EXTERNAL_ID}`, HINT),
    ).toErrorLine();
  });

  it.fails("fails a test whose error line's cause chain holds a secret that Node put there", () => {
    const cause = thrownBy(() => readFileSync(`/nonexistent/${SECRET_ACCESS_KEY}`));
    new ConnectorError("network_error", "The CA bundle cannot be read.", {
      ...HINT,
      cause,
    }).toErrorLine();
  });
});

/** `error` with a stack that says src/ built it, as the connector's own errors are. */
function asIfBuiltIn<E extends Error>(error: E): E {
  Object.defineProperty(error, "stack", {
    value: `${error.name}: ${error.message}\n    at toConnectorError (/work/main/src/aws/awsErrors.ts:1:1)`,
  });
  return error;
}

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}
