/**
 * Endpoints that are not AWS, or that answer as AWS never would: a 200 that is some web
 * page, an answer of 200 MB, error bodies that are not AWS JSON, a status AWS never uses.
 * Each must end in a clear error that names the endpoint, with memory bounded, and
 * without a sentence of the SDK's internals ("Deserialization error", "$response",
 * "UnknownError") reaching the user.
 */
import { randomUUID } from "node:crypto";
import { appendFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RawAnswer } from "../../local-aws/Faults.js";
import { localAsset, runAction, useLocalAws } from "./harness.js";

/** What the SDK says about its own workings; none of it may reach the error line. */
const SDK_INTERNALS = [
  "Deserialization error",
  "$response",
  "hidden field",
  "UnknownError",
  "SyntaxError",
  "Unexpected token",
];

/** The operations a run may call, each through an action that calls it. */
const OPERATIONS = [
  {
    operation: "Invoke",
    service: "lambda",
    action: "invoke_function",
    inputs: { function_name: "echo" },
  },
  {
    operation: "GetFunction",
    service: "lambda",
    action: "get_function",
    inputs: { function_name: "echo" },
  },
  {
    operation: "GetAccountSettings",
    service: "lambda",
    action: "get_account_settings",
    inputs: {},
  },
  // Every action with a role assumes it first; this one then calls nothing else that matters.
  { operation: "AssumeRole", service: "sts", action: "get_account_settings", inputs: {} },
] as const;

/** Error answers AWS never gives: pages of gateways and proxies, cut-off JSON, odd statuses. */
const NOT_AWS_ERRORS: (RawAnswer & { label: string })[] = [
  {
    label: "500 HTML page",
    status: 500,
    contentType: "text/html",
    body: "<html><body><h1>500 Internal Server Error</h1></body></html>",
  },
  {
    label: "400 cut-off JSON",
    status: 400,
    contentType: "application/json",
    body: '{"Type":"Us',
  },
  { label: "503 empty body", status: 503, body: "" },
  {
    label: "502 XML with a request ID",
    status: 502,
    contentType: "application/xml",
    body: "<Error><Code>BadGateway</Code></Error>",
    requestId: true,
  },
  { label: "599 text", status: 599, contentType: "text/plain", body: "network read timeout" },
  {
    label: "599 text with a request ID",
    status: 599,
    contentType: "text/plain",
    body: "network read timeout",
    requestId: true,
  },
];

describe("answers from endpoints that are not AWS", () => {
  const aws = useLocalAws();

  beforeEach(() => {
    aws().faults.clear();
  });

  describe.each(OPERATIONS)("$operation", ({ operation, service, action, inputs }) => {
    it.each(NOT_AWS_ERRORS)(
      "a $label: a clear error, the status, no SDK internals",
      async ({ label: _label, ...answer }) => {
        // Prepare: enough of them for every attempt the call's retry policy makes.
        aws().faults.rawNext(3, { ...answer, service, operation });
        const runs = aws().runCount("echo");

        // Act
        const run = await runAction(action, { asset: localAsset(aws().url), inputs });

        // Assess
        expect(run.exitCode).toBe(1);
        expect(run.stdout).toBe("");
        expect(run.error?.code).not.toBe("internal_error");
        expect(run.error?.http_status).toBe(answer.status);
        expect(run.error?.message).toContain(operation);
        expect(run.error?.message).toContain(String(answer.status));
        for (const internal of SDK_INTERNALS) {
          expect(run.stderr).not.toContain(internal);
        }
        expect(aws().runCount("echo")).toBe(runs);
      },
    );
  });

  it.each([
    ["invoke_function", "Invoke", { function_name: "echo" }, "lambda:InvokeFunction"],
    ["get_function", "GetFunction", { function_name: "echo" }, "lambda:GetFunction"],
    ["get_account_settings", "GetAccountSettings", {}, "lambda:GetAccountSettings"],
  ] as const)(
    "%s: a 403 XML page from a gateway is a permission refusal naming %s's IAM action, not a parse error",
    async (action, operation, inputs, iamAction) => {
      aws().faults.rawNext(1, {
        status: 403,
        contentType: "application/xml",
        body: "<Error><Code>AccessDenied</Code><Message>Forbidden by VPC endpoint policy</Message></Error>",
        service: "lambda",
        operation,
      });

      const run = await runAction(action, { asset: localAsset(aws().url), inputs });

      expect(run.error).toMatchObject({ code: "access_denied", http_status: 403 });
      expect(run.error?.message).toContain("did not come from AWS");
      expect(run.error?.hint).toContain(`Grant ${iamAction}`);
      expect(run.error?.hint).toContain("VPC endpoint policy");
      expect(`${run.error?.message} ${run.error?.hint}`).not.toMatch(
        /SyntaxError|check the action inputs/i,
      );
    },
  );

  it("a 404 HTML page says the resource is missing or the endpoint is not Lambda", async () => {
    aws().faults.rawNext(1, {
      status: 404,
      contentType: "text/html",
      body: "<html><body>Not Found</body></html>",
      service: "lambda",
      operation: "GetFunction",
    });

    const run = await runAction("get_function", {
      asset: localAsset(aws().url),
      inputs: { function_name: "echo" },
    });

    expect(run.error).toMatchObject({ code: "not_found", http_status: 404 });
    expect(run.error?.hint).toContain("endpoint_url");
  });

  it.each([
    { label: "an HTML page", contentType: "text/html", body: "<html><body>Welcome</body></html>" },
    {
      label: "binary data",
      contentType: "application/octet-stream",
      body: "\u0000\u0001\u0002PNG\r\n\u001a\n",
    },
  ])(
    "refuses a 200 to Invoke with $label and no request ID, naming the endpoint",
    async ({ contentType, body }) => {
      aws().faults.rawNext(1, { status: 200, contentType, body });

      const run = await runAction("invoke_function", {
        asset: localAsset(aws().url),
        inputs: { function_name: "echo" },
      });

      expect(run.exitCode).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.error).toMatchObject({ code: "endpoint_error", http_status: 200 });
      expect(run.error?.message).toContain(aws().url);
      expect(run.error?.hint).toContain("endpoint_url");
    },
  );

  it.each(OPERATIONS.filter((o) => o.service === "lambda"))(
    "never takes an HTML 200 without a request ID for $operation's answer",
    async ({ operation, action, inputs }) => {
      aws().faults.rawNext(3, {
        status: 200,
        contentType: "text/html",
        body: "<html><body>Welcome</body></html>",
        operation,
      });

      const run = await runAction(action, { asset: localAsset(aws().url), inputs });

      expect(run.exitCode).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.error?.http_status).toBe(200);
      expect(run.error?.message).toContain(aws().url);
      for (const internal of SDK_INTERNALS) {
        expect(run.stderr).not.toContain(internal);
      }
    },
  );
});

/** A server that answers every Lambda call with `status` and a body of `totalBytes`. */
interface FloodServer {
  url: string;
  /** Bytes handed to the socket so far, over every answer. */
  readonly bytesSent: number;
  readonly requests: number;
  close(): Promise<void>;
}

async function startFloodServer(status: number, totalBytes: number): Promise<FloodServer> {
  const chunk = Buffer.alloc(1024 * 1024, "a");
  const state = { bytesSent: 0, requests: 0 };
  const server: Server = createServer((req, res) => {
    state.requests += 1;
    req.resume();
    res.writeHead(status, {
      "content-type": "application/json",
      "x-amzn-RequestId": randomUUID(),
      ...(status >= 400 ? { "x-amzn-ErrorType": "ServiceException" } : {}),
    });
    let sent = 0;
    const pump = () => {
      while (sent < totalBytes && !res.destroyed) {
        sent += chunk.length;
        state.bytesSent += chunk.length;
        if (!res.write(chunk)) {
          res.once("drain", pump);
          return;
        }
      }
      res.end();
    };
    pump();
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", () => done()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get bytesSent() {
      return state.bytesSent;
    },
    get requests() {
      return state.requests;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((done) => server.close(() => done()));
    },
  };
}

/** Samples this process's resident memory while `act` runs; the peak growth in bytes. */
async function peakRssGrowth<T>(act: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  try {
    const result = await act();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, growth: peak - baseline };
  } finally {
    clearInterval(sampler);
  }
}

const MB = 1024 * 1024;

/** With FAULT_MATRIX_REPORT set to a file name, appends `row` to it (see faultMatrix.test.ts). */
function report(row: string): void {
  const file = process.env.FAULT_MATRIX_REPORT;
  if (file !== undefined && file !== "") {
    appendFileSync(file, row);
  }
}

describe.each([
  {
    status: 200,
    operation: "Invoke",
    action: "invoke_function",
    inputs: { function_name: "echo" },
  },
  {
    status: 500,
    operation: "Invoke",
    action: "invoke_function",
    inputs: { function_name: "echo" },
  },
  { status: 200, operation: "GetAccountSettings", action: "get_account_settings", inputs: {} },
])(
  "an endpoint_url that answers $operation with HTTP $status and 200 MB",
  ({ status, operation, action, inputs }) => {
    const aws = useLocalAws();
    let flood: FloodServer;

    beforeAll(async () => {
      flood = await startFloodServer(status, 200 * MB);
    });

    afterAll(async () => {
      await flood.close();
    });

    it("is cut off past Lambda's limit with endpoint_error, memory bounded", async () => {
      // Act
      const started = performance.now();
      const { result: run, growth } = await peakRssGrowth(() =>
        runAction(action, { asset: localAsset(aws().url, { endpoint_url: flood.url }), inputs }),
      );
      const ms = performance.now() - started;

      // Assess: reading stops a little past 6 MB; every attempt reads at most that much.
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.error?.code).toBe("endpoint_error");
      expect(run.error?.message).toContain(`HTTP ${status}`);
      expect(run.error?.message).toContain(flood.url);
      expect(run.error?.message).toContain(operation);
      expect(flood.bytesSent).toBeLessThan(flood.requests * 16 * MB);
      expect(growth).toBeLessThan(150 * MB);
      report(
        `| endpoint_url answers ${operation} with HTTP ${status} and 200 MB | exit 1, \`endpoint_error\`; ${(flood.bytesSent / MB).toFixed(0)} MB sent before the cut, peak RSS +${(growth / MB).toFixed(0)} MB | ${flood.requests} | 0 | ${Math.round(ms)} |\n`,
      );
    });
  },
);
