/**
 * The fault matrix: every fault a run can meet between the connector and Lambda, over
 * real HTTP, each case counting the function's runs at the endpoint. Faults come from the
 * local endpoint's fault injection, or from small servers here that play what it cannot:
 * a proxy or gateway that answers for itself, a response that stalls after its headers
 * or trickles. Without `allow_duplicate_runs` no case may run the function twice; the
 * file counts the cases that did (0) and, with FAULT_MATRIX_REPORT set to a file name,
 * appends its rows there as a Markdown table for docs/reliability.md.
 */
import { spawn } from "node:child_process";
import { appendFileSync } from "node:fs";
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type ServerResponse,
} from "node:http";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { demoAsset } from "../../local-aws/defaultWorld.js";
import type { LocalAws } from "../../local-aws/LocalAws.js";
import { ENTRY_PATH } from "../../scripts/lib/runEntryProcess.js";
import { runLoad } from "../../scripts/load/runLoad.js";
import { invokeFunctionAction } from "../../src/actions/invoke_function/invoke_function.js";
import { assetSchema } from "../../src/asset/schema.js";
import { Executor } from "../../src/aws/executor.js";
import { parseErrorLine } from "../../src/turbine/contract.js";
import { listenLocally } from "../support/listenLocally.js";
import {
  type ActionRun,
  closedPort,
  expectAwsFailure,
  lastRequestId,
  localAsset,
  runAction,
  useLocalAws,
  useProxy,
} from "./harness.js";

/** One row of the matrix: what the fault was, how the run ended, how often the function ran. */
interface MatrixRow {
  fault: string;
  optIn: boolean;
  /** Invokes the case asked for: more runs than this, without the opt-in, is a double run. */
  invokes: number;
  outcome: string;
  sent: number;
  runs: number;
  ms: number;
}

const matrix: MatrixRow[] = [];

afterAll(() => {
  const doubles = matrix.filter((row) => !row.optIn && row.runs > row.invokes);
  expect(doubles).toEqual([]);
  const report = process.env.FAULT_MATRIX_REPORT;
  if (report !== undefined && report !== "") {
    appendFileSync(
      report,
      matrix
        .map(
          (row) =>
            `| ${row.fault}${row.optIn ? " (allow_duplicate_runs)" : ""} | ${row.outcome} | ${row.sent} | ${row.runs} | ${row.ms} |\n`,
        )
        .join(""),
    );
  }
});

/** What a run of one faulted call produced, counted at the endpoint. */
interface Counted {
  run: ActionRun;
  /** Invoke requests the endpoint received (first attempt and retries). */
  sent: number;
  /** Times the function's handler started. */
  runs: number;
  /** Wall time of the run, in milliseconds. */
  ms: number;
}

/**
 * Runs `act` and counts, at `aws`, the Invoke requests it sent and the runs of `echo` it
 * caused; notes the case as a row of the matrix.
 */
async function counted(
  aws: LocalAws,
  fault: string,
  act: () => Promise<ActionRun>,
  options: { optIn?: boolean } = {},
): Promise<Counted> {
  const runsBefore = aws.runCount("echo");
  const sentBefore = invokesAt(aws);
  const started = performance.now();
  const run = await act();
  const ms = Math.round(performance.now() - started);
  const result = {
    run,
    sent: invokesAt(aws) - sentBefore,
    runs: aws.runCount("echo") - runsBefore,
    ms,
  };
  matrix.push({
    fault,
    optIn: options.optIn === true,
    invokes: 1,
    outcome:
      run.exitCode === 0
        ? "exit 0"
        : `exit ${run.exitCode}, \`${run.error?.code}\`${run.error?.http_status === undefined ? "" : ` ${run.error.http_status}`}`,
    sent: result.sent,
    runs: result.runs,
    ms,
  });
  return result;
}

function invokesAt(aws: LocalAws): number {
  return aws.requests.filter((request) => request.action === "Invoke").length;
}

/** What a meddling server does to Invoke calls; everything else it forwards untouched. */
type Meddling =
  /** Forwards the answer untouched. */
  | "forward"
  /** Forwards the call, sends the answer's headers, then never sends its body. */
  | "stall-after-headers"
  /** Forwards the call, then sends the answer's body one byte every 200 ms. */
  | "trickle"
  /** Forwards the call (the function runs), then answers 429 itself: no AWS request ID. */
  | "forward-then-429"
  /** Answers 502 itself without forwarding, as a proxy whose upstream is down. */
  | "answer-502";

/** A server between the connector and the endpoint, as a proxy or as the endpoint_url. */
interface Meddler {
  /** Its URL: for `http_proxy`, or for `endpoint_url` (it then relays to the endpoint). */
  url: string;
  mode: Meddling;
  /** Invoke calls it received, whatever it then did with them. */
  readonly invokes: number;
  close(): Promise<void>;
}

/** Hop-by-hop headers a relay does not pass on. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding"]);

function passable(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(
    Object.entries(headers).filter(
      ([name]) => !HOP_BY_HOP.has(name) && name !== "proxy-authorization",
    ),
  );
}

/**
 * Starts a server on 127.0.0.1 that carries calls to `upstream()`: as a plain HTTP proxy
 * (absolute request URLs) or as a relay in place of the endpoint (path-only URLs; the
 * Host header, which the signature covers, passes unchanged). Invoke calls meet `mode`.
 */
async function startMeddler(upstream: () => string): Promise<Meddler> {
  const timers = new Set<NodeJS.Timeout>();
  const meddler = { mode: "forward" as Meddling, invokes: 0 };

  const forward = (req: IncomingMessage, onAnswer: (answer: IncomingMessage) => void) => {
    const target = new URL(req.url ?? "/", upstream());
    const out = request(target, { method: req.method, headers: passable(req.headers) }, (answer) =>
      onAnswer(answer),
    );
    out.on("error", () => req.socket.destroy());
    req.pipe(out);
  };

  const meddle = (req: IncomingMessage, res: ServerResponse, mode: Meddling) => {
    if (mode === "answer-502") {
      req.resume();
      res.writeHead(502, { "content-type": "text/html" });
      res.end("<html><body><h1>502 Bad Gateway</h1></body></html>");
      return;
    }
    forward(req, (answer) => {
      const status = answer.statusCode ?? 502;
      switch (mode) {
        case "forward":
          res.writeHead(status, passable(answer.headers));
          answer.pipe(res);
          return;
        case "forward-then-429":
          answer.resume();
          answer.on("end", () => {
            res.writeHead(429, { "content-type": "text/html", "retry-after": "0" });
            res.end("<html><body><h1>429 Too Many Requests</h1></body></html>");
          });
          return;
        case "stall-after-headers":
          answer.resume();
          res.writeHead(status, passable(answer.headers));
          res.flushHeaders();
          return;
        case "trickle": {
          const chunks: Buffer[] = [];
          answer.on("data", (chunk: Buffer) => chunks.push(chunk));
          answer.on("end", () => {
            const body = Buffer.concat(chunks);
            res.writeHead(status, passable(answer.headers));
            let sent = 0;
            const timer = setInterval(() => {
              if (sent >= body.length || res.destroyed) {
                clearInterval(timer);
                res.end();
                return;
              }
              res.write(body.subarray(sent, sent + 1));
              sent += 1;
            }, 200);
            timers.add(timer);
          });
          return;
        }
      }
    });
  };

  const server = createServer((req, res) => {
    const isInvoke = /\/invocations$/.test(new URL(req.url ?? "/", upstream()).pathname);
    if (isInvoke) {
      meddler.invokes += 1;
    }
    meddle(req, res, isInvoke ? meddler.mode : "forward");
  });
  const listening = await listenLocally(server);
  const { port } = listening;
  return {
    url: `http://127.0.0.1:${port}`,
    get mode() {
      return meddler.mode;
    },
    set mode(mode: Meddling) {
      meddler.mode = mode;
    },
    get invokes() {
      return meddler.invokes;
    },
    close: async () => {
      for (const timer of timers) {
        clearInterval(timer);
      }
      await listening.close();
    },
  };
}

/** A {@link Meddler} for the tests of the enclosing describe, relaying to `upstream()`. */
function useMeddler(upstream: () => string): () => Meddler {
  let meddler: Meddler | undefined;
  beforeEach(async () => {
    meddler ??= await startMeddler(upstream);
    meddler.mode = "forward";
  });
  afterAll(async () => {
    await meddler?.close();
  });
  return () => {
    if (meddler === undefined) {
      throw new Error("the meddler runs only while the tests that use it run");
    }
    return meddler;
  };
}

describe("the fault matrix: every fault, and how often the function ran", () => {
  const aws = useLocalAws();
  const meddler = useMeddler(() => aws().url);

  beforeEach(() => {
    aws().faults.clear();
    // The SDK's backoff is a random share of its base delay: none, so retries do not wait.
    vi.spyOn(Math, "random").mockReturnValue(0);
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  const invoke = (inputs: Record<string, unknown>, asset: Record<string, unknown> = {}) =>
    runAction("invoke_function", {
      asset: localAsset(aws().url, asset),
      inputs: { function_name: "echo", payload: { matrix: true }, ...inputs },
    });

  describe("throttling, which proves the function did not run", () => {
    it("retries a throttle with Retry-After after the wait AWS asked for, and runs once", async () => {
      // Prepare
      aws().faults.throttleNext(1, { retryAfterSeconds: 1 });

      // Act
      const { run, sent, runs, ms } = await counted(aws(), "throttle, Retry-After: 1", () =>
        invoke({}),
      );

      // Assess
      expect(run.exitCode).toBe(0);
      expect(run.output?.payload).toMatchObject({ event: { matrix: true } });
      expect({ sent, runs }).toEqual({ sent: 2, runs: 1 });
      expect(ms).toBeGreaterThanOrEqual(900);
    });

    it("retries a throttle without Retry-After, and runs once", async () => {
      // Prepare: Lambda's 429 exactly, but without the header.
      aws().faults.rawNext(1, {
        status: 429,
        contentType: "application/json",
        headers: { "x-amzn-ErrorType": "TooManyRequestsException" },
        body: JSON.stringify({
          Type: "User",
          Reason: "CallerRateLimitExceeded",
          message: "Rate Exceeded.",
        }),
        requestId: true,
      });

      // Act
      const { run, sent, runs } = await counted(aws(), "throttle, no Retry-After", () =>
        invoke({}),
      );

      // Assess
      expect(run.exitCode).toBe(0);
      expect({ sent, runs }).toEqual({ sent: 2, runs: 1 });
    });

    it("gives up after three throttles with code throttled, and never ran", async () => {
      aws().faults.throttleNext(3, { retryAfterSeconds: 0 });

      const { run, sent, runs } = await counted(aws(), "throttle ×3", () => invoke({}));

      expectAwsFailure(run, aws(), "Invoke", {
        code: "throttled",
        aws_error_code: "TooManyRequestsException",
        http_status: 429,
      });
      expect({ sent, runs }).toEqual({ sent: 3, runs: 0 });
    });
  });

  describe("server errors, after which the function may have run", () => {
    it("does not re-send an invoke AWS failed with 500", async () => {
      aws().faults.failNext(1, 500);

      const { run, sent, runs } = await counted(aws(), "500 ServiceException", () => invoke({}));

      expectAwsFailure(run, aws(), "Invoke", {
        code: "aws_error",
        aws_error_code: "ServiceException",
        http_status: 500,
      });
      expect({ sent, runs }).toEqual({ sent: 1, runs: 0 });
    });

    it.each([500, 503])(
      "re-sends it after a %i when allow_duplicate_runs opts in",
      async (status) => {
        aws().faults.failNext(1, status);

        const { run, sent, runs } = await counted(
          aws(),
          `${status} from AWS`,
          () => invoke({ allow_duplicate_runs: true }),
          { optIn: true },
        );

        expect(run.exitCode).toBe(0);
        expect({ sent, runs }).toEqual({ sent: 2, runs: 1 });
      },
    );
  });

  describe("the 502 family that reports a broken function configuration", () => {
    const configurationErrors = [
      "ENILimitReachedException",
      "EC2ThrottledException",
      "SubnetIPAddressLimitReachedException",
      "KMSAccessDeniedException",
      "InvalidRuntimeException",
      "EFSMountFailureException",
    ];

    it.each(
      configurationErrors.flatMap((code) => [
        { code, optIn: false },
        { code, optIn: true },
      ]),
    )(
      "never retries $code (allow_duplicate_runs: $optIn), naming the configuration",
      async ({ code, optIn }) => {
        aws().faults.failNext(1, 502, code);

        const { run, sent, runs } = await counted(
          aws(),
          `502 ${code}`,
          () => invoke({ allow_duplicate_runs: optIn }),
          { optIn },
        );

        expect(run.exitCode).toBe(1);
        expect(run.error).toMatchObject({
          code: "function_misconfigured",
          aws_error_code: code,
          http_status: 502,
          request_id: lastRequestId(aws(), "Invoke"),
        });
        expect({ sent, runs }).toEqual({ sent: 1, runs: 0 });
      },
    );
  });

  describe("connections reset before or after the function ran", () => {
    it("does not re-send an invoke reset before it ran: to the client it may have run", async () => {
      aws().faults.resetNext(1, "before");

      const { run, sent, runs } = await counted(aws(), "reset before the run", () => invoke({}));

      expect(run.exitCode).toBe(1);
      expect(run.error?.code).toBe("network_error");
      expect(run.error).not.toHaveProperty("http_status");
      expect(run.error?.message).toContain("may have run");
      expect({ sent, runs }).toEqual({ sent: 1, runs: 0 });
    });

    it("re-sends an invoke reset before it ran when allow_duplicate_runs opts in", async () => {
      aws().faults.resetNext(1, "before");

      const { run, sent, runs } = await counted(
        aws(),
        "reset before the run",
        () => invoke({ allow_duplicate_runs: true }),
        { optIn: true },
      );

      expect(run.exitCode).toBe(0);
      expect({ sent, runs }).toEqual({ sent: 2, runs: 1 });
    });

    it("does not re-send an invoke reset after it ran, and says it may have run", async () => {
      aws().faults.resetNext(1, "after");

      const { run, sent, runs } = await counted(aws(), "reset after the run", () => invoke({}));

      expect(run.exitCode).toBe(1);
      expect(run.error?.code).toBe("network_error");
      expect(run.error?.message).toContain("may have run");
      expect(run.error?.hint).toContain("allow_duplicate_runs");
      expect({ sent, runs }).toEqual({ sent: 1, runs: 1 });
    });

    it("re-sends it when allow_duplicate_runs opts in: the function runs twice, as asked", async () => {
      aws().faults.resetNext(1, "after");

      const { run, sent, runs } = await counted(
        aws(),
        "reset after the run",
        () => invoke({ allow_duplicate_runs: true }),
        { optIn: true },
      );

      expect(run.exitCode).toBe(0);
      expect({ sent, runs }).toEqual({ sent: 2, runs: 2 });
    });
  });

  describe("answers that stall or trickle, bounded by timeout_seconds", () => {
    it.each([
      { mode: "stall-after-headers", optIn: false },
      { mode: "trickle", optIn: false },
      { mode: "stall-after-headers", optIn: true },
      { mode: "trickle", optIn: true },
    ] as const)(
      "ends a $mode answer at timeout_seconds (allow_duplicate_runs: $optIn), not re-sent",
      async ({ mode, optIn }) => {
        // Prepare: the relay stands in for the endpoint; the function really runs behind it.
        meddler().mode = mode;

        // Act
        const { run, sent, runs, ms } = await counted(
          aws(),
          `${mode === "trickle" ? "body trickles, 1 byte / 200 ms" : "stalls after the headers"}, timeout_seconds 1`,
          () =>
            invoke(
              { timeout_seconds: 1, allow_duplicate_runs: optIn },
              { endpoint_url: meddler().url },
            ),
          { optIn },
        );

        // Assess: one deadline over the whole call, retries included.
        expect(run.exitCode).toBe(1);
        expect(run.error?.code).toBe("request_timeout");
        expect(run.error?.hint).toContain("may still be running");
        expect({ sent, runs }).toEqual({ sent: 1, runs: 1 });
        expect(ms).toBeGreaterThanOrEqual(900);
        expect(ms).toBeLessThan(3_000);
      },
    );

    it("lets the entry process exit promptly after a stalled answer", async () => {
      // Prepare
      meddler().mode = "stall-after-headers";
      const document = JSON.stringify({
        asset: localAsset(aws().url, { endpoint_url: meddler().url }),
        inputs: { function_name: "echo", timeout_seconds: 1 },
      });
      const runsBefore = aws().runCount("echo");
      const sentBefore = invokesAt(aws());

      // Act
      const started = performance.now();
      const { exitCode, stderr } = await runEntry("invoke_function", document);
      const ms = performance.now() - started;

      // Assess: node's start, one AssumeRole, then one second of waiting.
      expect(exitCode).toBe(1);
      expect(parseErrorLine(stderr.trimEnd().split("\n").at(-1) ?? "")?.code).toBe(
        "request_timeout",
      );
      expect(ms).toBeLessThan(8_000);
      expect(aws().runCount("echo") - runsBefore).toBe(1);
      matrix.push({
        fault: "stalls after the headers, timeout_seconds 1, entry process `node dist/main.js`",
        optIn: false,
        invokes: 1,
        outcome: "exit 1, `request_timeout`; the process exited",
        sent: invokesAt(aws()) - sentBefore,
        runs: aws().runCount("echo") - runsBefore,
        ms: Math.round(ms),
      });
    });
  });

  describe("proxies that are down, refuse, or answer for themselves", () => {
    const guarded = useProxy({ user: "turbine", password: "matrix-proxy-pa55" });

    it("names a proxy that is down; nothing was sent", async () => {
      const port = await closedPort();

      const { run, sent, runs } = await counted(aws(), "proxy down (closed port)", () =>
        invoke({}, { http_proxy: `http://127.0.0.1:${port}` }),
      );

      expect(run.exitCode).toBe(1);
      expect(run.error?.code).toBe("proxy_error");
      expect(run.error?.message).toContain("ECONNREFUSED");
      expect({ sent, runs }).toEqual({ sent: 0, runs: 0 });
    });

    it("reports a proxy's 407 as proxy_error; nothing was sent", async () => {
      const wrong = guarded().url.replace("matrix-proxy-pa55", "wrong-pa55");

      const { run, sent, runs } = await counted(aws(), "proxy answers 407", () =>
        invoke({}, { http_proxy: wrong }),
      );

      expect(run.exitCode).toBe(1);
      expect(run.error).toMatchObject({ code: "proxy_error", http_status: 407 });
      expect(run.stderr).not.toContain("wrong-pa55");
      expect({ sent, runs }).toEqual({ sent: 0, runs: 0 });
    });

    it.each([false, true])(
      "does not take a proxy's own 429 after it forwarded the call for AWS's throttle (allow_duplicate_runs: %s)",
      async (optIn) => {
        // Prepare: the proxy carries the invoke, the function runs, then the proxy says 429.
        meddler().mode = "forward-then-429";
        const carried = meddler().invokes;

        // Act
        const { run, sent, runs } = await counted(
          aws(),
          "proxy forwards, then answers 429 itself (no request ID)",
          () => invoke({ allow_duplicate_runs: optIn }, { http_proxy: meddler().url }),
          { optIn },
        );

        // Assess: without a request ID nothing proves the function did not run.
        expect(run.exitCode).toBe(1);
        expect(run.error).toMatchObject({ code: "proxy_error", http_status: 429 });
        expect(run.error).not.toHaveProperty("request_id");
        const attempts = optIn ? 3 : 1;
        expect({ carried: meddler().invokes - carried, sent, runs }).toEqual({
          carried: attempts,
          sent: attempts,
          runs: attempts,
        });
      },
    );

    it("does not take a gateway's own 429 at endpoint_url for AWS's throttle", async () => {
      meddler().mode = "forward-then-429";

      const { run, sent, runs } = await counted(
        aws(),
        "gateway at endpoint_url forwards, then answers 429 itself",
        () => invoke({}, { endpoint_url: meddler().url }),
      );

      expect(run.exitCode).toBe(1);
      expect(run.error).toMatchObject({ code: "throttled", http_status: 429 });
      expect(run.error?.message).toContain("did not come from AWS");
      expect({ sent, runs }).toEqual({ sent: 1, runs: 1 });
    });

    it("reports a proxy's own 502 as proxy_error, without re-sending", async () => {
      meddler().mode = "answer-502";
      const carried = meddler().invokes;

      const { run, sent, runs } = await counted(aws(), "proxy answers 502 itself", () =>
        invoke({}, { http_proxy: meddler().url }),
      );

      expect(run.exitCode).toBe(1);
      expect(run.error).toMatchObject({ code: "proxy_error", http_status: 502 });
      expect(run.error?.message).toContain(meddler().url.replace("http://", ""));
      expect({ carried: meddler().invokes - carried, sent, runs }).toEqual({
        carried: 1,
        sent: 0,
        runs: 0,
      });
    });
  });

  describe("STS on the way to the role", () => {
    it("reports STS throttling as throttled, with the advice for parallel runs", async () => {
      aws().faults.throttleNext(3, { service: "sts", operation: "AssumeRole" });

      const { run, sent, runs } = await counted(aws(), "STS throttles AssumeRole ×3", () =>
        invoke({}),
      );

      expectAwsFailure(run, aws(), "AssumeRole", {
        code: "throttled",
        aws_error_code: "Throttling",
        http_status: 400,
      });
      expect(run.error?.hint).toContain("parallel runs");
      expect({ sent, runs }).toEqual({ sent: 0, runs: 0 });
    });

    it("retries STS throttling that clears, then invokes once", async () => {
      aws().faults.throttleNext(2, { service: "sts", operation: "AssumeRole" });

      const { run, sent, runs } = await counted(aws(), "STS throttles AssumeRole ×2", () =>
        invoke({}),
      );

      expect(run.exitCode).toBe(0);
      expect({ sent, runs }).toEqual({ sent: 1, runs: 1 });
    });

    it("reports AccessDenied on AssumeRole as assume_role_failed", async () => {
      const { run, sent, runs } = await counted(aws(), "STS AccessDenied (wrong external_id)", () =>
        invoke({}, { external_id: "not-the-external-id" }),
      );

      expectAwsFailure(run, aws(), "AssumeRole", {
        code: "assume_role_failed",
        aws_error_code: "AccessDenied",
        http_status: 403,
      });
      expect(run.error?.hint).toContain("trust policy");
      expect({ sent, runs }).toEqual({ sent: 0, runs: 0 });
    });
  });

  it("fails fast when endpoint_url does not resolve; nothing was sent", async () => {
    const { run, runs, ms } = await counted(aws(), "DNS failure (lambda.invalid)", () =>
      invoke({}, { endpoint_url: "https://lambda.invalid" }),
    );

    expect(run.exitCode).toBe(1);
    expect(run.error?.code).toBe("network_error");
    expect(run.error?.message).toContain("https://lambda.invalid");
    expect(run.error?.message).toContain("ENOTFOUND");
    expect(runs).toBe(0);
    expect(ms).toBeLessThan(5_000);
  });
});

describe("credentials that expire mid-run", () => {
  /** The endpoint's clock, in epoch milliseconds; each test may replace it. */
  let clock: () => number = Date.now;
  const aws = useLocalAws({ credentialLifetimeSeconds: 60, now: () => clock() });

  afterEach(() => {
    clock = Date.now;
  });

  it("says the role's credentials expired during the run, and does not re-send", async () => {
    // Prepare: by the endpoint's clock, the session expires between AssumeRole and Invoke.
    const sessions = aws().assumeRoleCount();
    clock = () => Date.now() + (aws().assumeRoleCount() > sessions ? 120_000 : 0);

    // Act
    const { run, sent, runs } = await counted(aws(), "role session expires mid-run", () =>
      runAction("invoke_function", {
        asset: localAsset(aws().url),
        inputs: { function_name: "echo" },
      }),
    );

    // Assess
    expectAwsFailure(run, aws(), "Invoke", {
      code: "credentials_expired",
      aws_error_code: "ExpiredTokenException",
      http_status: 403,
    });
    expect(run.error?.hint).toContain("expired during the run");
    expect({ sent, runs }).toEqual({ sent: 1, runs: 0 });
  });

  it("assumes the role again once its session lapsed between calls; each invoke runs once", async () => {
    // Prepare: one clock for the executor and the endpoint, moved by the test.
    let time = Date.now();
    clock = () => time;
    const executor = new Executor(assetSchema.parse(demoAsset(aws().url)), { now: clock });
    const assumed = aws().assumeRoleCount();
    const runsBefore = aws().runCount("echo");
    const sentBefore = invokesAt(aws());
    const invokeFive = () =>
      Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          invokeFunctionAction.run(
            invokeFunctionAction.inputs.parse({ function_name: "echo", payload: { i } }),
            executor,
          ),
        ),
      );

    // Act: past the 60 s lifetime, the first session is expired at the endpoint.
    let outputs: Awaited<ReturnType<typeof invokeFive>>;
    const started = performance.now();
    try {
      const first = await invokeFive();
      time += 70_000;
      const second = await invokeFive();
      outputs = [...first, ...second];
    } finally {
      executor.destroy();
    }

    // Assess
    const runs = aws().runCount("echo") - runsBefore;
    expect(outputs.map((output) => output.status_code)).toEqual(Array(10).fill(200));
    expect(aws().assumeRoleCount() - assumed).toBe(2);
    expect(runs).toBe(10);
    matrix.push({
      fault: "role session lapses between calls of one executor (10 invokes)",
      optIn: false,
      invokes: 10,
      outcome: "10 × exit 0, 2 AssumeRole",
      sent: invokesAt(aws()) - sentBefore,
      runs,
      ms: Math.round(performance.now() - started),
    });
  });
});

describe("load through one asset, as a correctness check (no timing asserted)", () => {
  const aws = useLocalAws();

  it("loses no invoke and runs none twice: 300 invokes, 32 at once, 1% throttled", async () => {
    const figures = await runLoad(aws(), assetSchema.parse(demoAsset(aws().url)), {
      invokes: 300,
      concurrency: 32,
      throttleRate: 0.01,
      seed: 1,
    });

    expect(figures).toMatchObject({ lost: 0, failed: {}, mixedUp: 0, runs: 300, ranTwice: 0 });
    expect(figures.throttled).toBe(figures.throttlesInjected);
    expect(figures.throttled).toBeGreaterThan(0);
    expect(figures.invokeRequests).toBe(300 + figures.throttled);
    expect(figures.assumeRoleAtEndpoint).toBe(1);
  }, 120_000);
});

/** Runs the built entry, `node dist/main.js <action>`, without this machine's proxy or AWS settings. */
function runEntry(action: string, document: string): Promise<{ exitCode: number; stderr: string }> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^(https?_proxy|no_proxy|all_proxy|aws_.*|asset_keys)$/i.test(key),
    ),
  );
  const child = spawn(process.execPath, [ENTRY_PATH, action], {
    env,
    stdio: ["pipe", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  child.stdin.end(document);
  return new Promise((done) => child.on("close", (code) => done({ exitCode: code ?? -1, stderr })));
}
