import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it, vi } from "vitest";
import { lastRequestId, localAsset, runAction, useLocalAws } from "./harness.js";

const MB = 1024 * 1024;

/** A real HTTP server on 127.0.0.1 that plays Turbine's file API for uploads. */
async function startUploads(
  token: string,
): Promise<{ uri: string; received: Buffer[]; close(): Promise<void> }> {
  const received: Buffer[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const chunks: Buffer[] = [];
      for await (const chunk of req) {
        chunks.push(chunk as Buffer);
      }
      if (req.method !== "POST" || url.searchParams.get("token") !== token) {
        res.writeHead(403).end();
        return;
      }
      const form = await new Request(url, {
        method: "POST",
        headers: { "content-type": req.headers["content-type"] ?? "" },
        body: Buffer.concat(chunks),
      }).formData();
      const file = form.get("files") as File;
      received.push(Buffer.from(await file.arrayBuffer()));
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: `file-${received.length}` }));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    uri: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("invoke_function_stream against the local AWS endpoint's event streams", () => {
  const aws = useLocalAws();

  const stream = (inputs: Record<string, unknown>, env: Record<string, string> = {}) =>
    runAction("invoke_function_stream", { asset: localAsset(aws().url), inputs }, env);

  it("joins the chunks of a JSON response and decodes it, with the log tail", async () => {
    const run = await stream({
      function_name: "stream-chunks",
      payload: { indicator: "198.51.100.7" },
      include_logs: true,
    });

    expect(run.exitCode).toBe(0);
    expect(run.output).toMatchObject({
      status_code: 200,
      payload: { indicator: "198.51.100.7", verdict: "benign", chunks: 3 },
      payload_encoding: "json",
      complete: true,
      stop_reason: "complete",
      payload_truncated: false,
      function_error: null,
      executed_version: "$LATEST",
      request_id: lastRequestId(aws(), "InvokeWithResponseStream"),
    });
    expect(run.output?.log_result).toContain("streamed json");
  });

  it.each([
    [{ shape: "text", chunks: 2 }, "text", "line 1 of 2\nline 2 of 2\n"],
    [{ shape: "binary" }, "base64", Buffer.from([0xff, 0xfe, 0x00, 0x80, 0xc3]).toString("base64")],
  ])(
    "returns a response that is not JSON as text, or base64 when not UTF-8 (%o)",
    async (payload, encoding, expected) => {
      const run = await stream({ function_name: "stream-chunks", payload });

      expect(run.exitCode).toBe(0);
      expect(run.output).toMatchObject({ payload_encoding: encoding, payload: expected });
    },
  );

  it("waits out a stream whose chunks come slowly", async () => {
    const run = await stream({
      function_name: "stream-slowly",
      payload: { chunks: 3, pause_ms: 150 },
    });

    expect(run.exitCode).toBe(0);
    expect(run.output).toMatchObject({ payload: "slow 1\nslow 2\nslow 3\n", complete: true });
  });

  it("reports a failure mid-stream from the completion event, with what came before it", async () => {
    const returned = await stream({ function_name: "stream-fails", fail_on_function_error: false });
    const failed = await stream({ function_name: "stream-fails" });

    expect(returned.exitCode).toBe(0);
    expect(returned.output).toMatchObject({
      payload: '{"partial":true',
      payload_encoding: "text",
      function_error: { code: "Unhandled", type: "Error", message: "feed went away" },
    });
    expect(failed.exitCode).toBe(1);
    expect(failed.error).toMatchObject({ code: "function_error" });
    expect(failed.error?.message).toContain("feed went away");
  });

  it("stops a stream that never ends at the deadline and keeps what it read", async () => {
    // Act
    const started = Date.now();
    const run = await stream({ function_name: "stream-forever", timeout_seconds: 3 });

    // Assess: the run returned by its deadline (with room for a slow machine) ...
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(run.exitCode).toBe(0);
    expect(run.output).toMatchObject({
      complete: false,
      stop_reason: "deadline",
      payload_truncated: true,
    });
    expect(run.output?.payload).toMatch(/^tick 1\n/);
    expect(run.output?.bytes_received).toBeGreaterThan(0);
    // ... and closed the connection, so the endpoint stopped streaming and logged the call.
    await vi.waitFor(() => expect(aws().requests.at(-1)?.action).toBe("InvokeWithResponseStream"));
  });

  it("stops reading at max_bytes and says it was cut", async () => {
    const run = await stream({
      function_name: "stream-chunks",
      payload: { shape: "bulk", total_bytes: 8 * MB },
      max_bytes: MB,
      output_limit_bytes: 4096,
    });

    expect(run.exitCode).toBe(0);
    expect(run.output).toMatchObject({
      stop_reason: "max_bytes",
      bytes_received: MB,
      payload_truncated: true,
      complete: false,
      result_file: null,
    });
    expect(Buffer.byteLength(JSON.stringify(run.output?.payload))).toBeLessThanOrEqual(4096);
  });

  it("tells text from bytes across events that split its characters, beyond output_limit_bytes", async () => {
    // 3 and 4 byte characters, one byte an event, 4,200 bytes in all, cut within a character.
    const text = "€😀".repeat(600);

    const run = await stream({
      function_name: "stream-chunks",
      payload: { shape: "pieces", text, piece_bytes: 1 },
      max_bytes: 3998,
      output_limit_bytes: 1024,
    });

    expect(run.exitCode).toBe(0);
    expect(run.output).toMatchObject({
      stop_reason: "max_bytes",
      bytes_received: 3998,
      payload_encoding: "text",
      payload_truncated: true,
    });
    const shown = String(run.output?.payload);
    expect(shown.length).toBeGreaterThan(0);
    expect(text.startsWith(shown)).toBe(true);
  });

  it("sends a payload over output_limit_bytes whole as a Turbine file, with its start inline", async () => {
    // Prepare
    const token = "ipc-token/7f3a";
    const uploads = await startUploads(token);
    try {
      // Act
      const run = await stream(
        {
          function_name: "stream-chunks",
          payload: { shape: "bulk", total_bytes: 300_000 },
          output_limit_bytes: 100_000,
        },
        { IPC_API_URI: uploads.uri, IPC_API_TOKEN: token },
      );

      // Assess
      expect(run.exitCode).toBe(0);
      expect(run.output).toMatchObject({
        result_file: { file: "file-1", file_name: "invoke_function_stream-payload.txt" },
        payload_truncated: true,
        stop_reason: "complete",
        bytes_received: 300_000,
      });
      expect(String(run.output?.payload)).toHaveLength(64 * 1024);
      const [file] = uploads.received;
      expect(file?.toString("utf8")).toBe("a".repeat(300_000));
      expect(run.stdout).not.toContain(token);
    } finally {
      await uploads.close();
    }
  });
});

describe("tenant_id against the local AWS endpoint's tenant isolation", () => {
  const aws = useLocalAws();

  const invoke = (inputs: Record<string, unknown>) =>
    runAction("invoke_function", { asset: localAsset(aws().url), inputs });

  it("runs a function with tenant isolation for the tenant given", async () => {
    const run = await invoke({ function_name: "tenant-echo", tenant_id: "customer-4711" });

    expect(run.exitCode).toBe(0);
    expect(run.output?.payload).toMatchObject({ tenant_id: "customer-4711" });
  });

  it.each([
    ["a tenant for a function without tenancy config", { function_name: "echo", tenant_id: "a" }],
    ["no tenant for a function with tenant isolation", { function_name: "tenant-echo" }],
  ])("refuses %s clearly, naming tenant_id", async (_, inputs) => {
    const run = await invoke(inputs);

    expect(run.exitCode).toBe(1);
    expect(run.error).toMatchObject({ aws_error_code: "InvalidParameterValueException" });
    expect(run.error?.message).toMatch(/tenan/i);
    expect(run.error?.hint).toContain("tenant_id");
  });

  it("refuses a tenant_id Lambda would not take, before sending", async () => {
    const from = aws().requests.length;

    const run = await invoke({ function_name: "tenant-echo", tenant_id: "has spaces" });

    expect(run.exitCode).toBe(2);
    expect(run.error).toMatchObject({ code: "invalid_input", field: "tenant_id" });
    expect(aws().requests.length).toBe(from);
  });
});
