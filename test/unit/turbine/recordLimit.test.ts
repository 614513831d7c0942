import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fitRecord, jsonBytes, type RecordFitOptions } from "../../../src/turbine/recordLimit.js";

const TOKEN = "ipc/secret+token";

/** A real HTTP server on 127.0.0.1 answering uploads with `status` (201: an id). */
async function startFileApi(status: number) {
  const uploads: string[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    uploads.push(Buffer.concat(chunks).toString("utf8"));
    res.writeHead(status, { "content-type": "application/json" });
    res.end(status === 201 ? JSON.stringify({ id: `file-${uploads.length}` }) : "down");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    env: { IPC_API_URI: `http://127.0.0.1:${port}`, IPC_API_TOKEN: TOKEN },
    uploads,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const items = Array.from({ length: 200 }, (_, index) => ({ index, text: "t".repeat(40) }));

function options(env: Record<string, string>, limitBytes = 2048): RecordFitOptions<typeof items> {
  return {
    limitBytes,
    fileName: "results.json",
    field: "result_file",
    env,
    summary: (all) => all.slice(0, 5),
    cut: (all, size) => all.slice(0, size),
    sizeOf: (all) => all.length,
  };
}

describe("fitRecord", () => {
  let api: Awaited<ReturnType<typeof startFileApi>> | undefined;

  beforeEach(() => {
    api = undefined;
  });
  afterEach(async () => {
    await api?.close();
  });

  it("keeps a result that fits inline, whole", async () => {
    const fit = await fitRecord(items.slice(0, 3), options({}));

    expect(fit).toEqual({
      inline: items.slice(0, 3),
      truncated: false,
      result_file: null,
      result_bytes: jsonBytes(items.slice(0, 3)),
      result_file_error: null,
    });
  });

  it("cuts a result too big for the record to the most that fits, without the file API", async () => {
    const fit = await fitRecord(items, options({}));

    expect(fit.truncated).toBe(true);
    expect(fit.result_file).toBeNull();
    expect(jsonBytes(fit.inline)).toBeLessThanOrEqual(2048);
    expect(jsonBytes(items.slice(0, fit.inline.length + 1))).toBeGreaterThan(2048);
    expect(fit.inline).toEqual(items.slice(0, fit.inline.length));
    expect(fit.result_bytes).toBe(jsonBytes(items));
  });

  it("uploads the whole result as a Turbine file and keeps the summary inline", async () => {
    api = await startFileApi(201);

    const fit = await fitRecord(items, options(api.env));

    expect(fit).toMatchObject({
      inline: items.slice(0, 5),
      truncated: true,
      result_file: { file: "file-1", file_name: "results.json" },
      result_file_error: null,
    });
    expect(api.uploads[0]).toContain(JSON.stringify(items));
  });

  it("cuts the result when the upload fails, says why, and never prints the token", async () => {
    api = await startFileApi(500);

    const fit = await fitRecord(items, options(api.env));

    expect(fit.truncated).toBe(true);
    expect(fit.result_file).toBeNull();
    expect(fit.result_file_error?.code).toBe("network_error");
    expect(JSON.stringify(fit)).not.toContain(TOKEN);
    expect(jsonBytes(fit.inline)).toBeLessThanOrEqual(2048);
  });
  it("cuts a summary that does not fit either, next to the uploaded file", async () => {
    api = await startFileApi(201);

    const fit = await fitRecord(items, {
      ...options(api.env),
      summary: (all) => all.slice(0, 100),
    });

    expect(fit.result_file).toEqual({ file: "file-1", file_name: "results.json" });
    expect(fit.truncated).toBe(true);
    expect(jsonBytes(fit.inline)).toBeLessThanOrEqual(2048);
    expect(fit.inline.length).toBeGreaterThan(0);
    expect(fit.inline).toEqual(items.slice(0, fit.inline.length));
  });

  it("does not try the file API when its token is empty", async () => {
    api = await startFileApi(201);

    const fit = await fitRecord(items, options({ ...api.env, IPC_API_TOKEN: "" }));

    expect(api.uploads).toEqual([]);
    expect(fit).toMatchObject({ truncated: true, result_file: null, result_file_error: null });
  });

  it("takes the largest size at once when the caller's bound already fits", async () => {
    const cuts: number[] = [];
    const bounded = {
      ...options({}),
      cut: (all: typeof items, size: number) => {
        cuts.push(size);
        return all.slice(0, size);
      },
      sizeOf: () => 10,
    };

    const fit = await fitRecord(items, bounded);

    expect(fit.inline).toEqual(items.slice(0, 10));
    expect(cuts).toEqual([10]);
  });

  it("reports a failure of the caller's own file bytes as internal, and still cuts", async () => {
    api = await startFileApi(201);
    const own = {
      bytes: jsonBytes(items),
      file: (): Uint8Array => {
        throw new TypeError("buffer detached");
      },
    };

    const fit = await fitRecord(items, { ...options(api.env), own });

    expect(api.uploads).toEqual([]);
    expect(fit.result_file_error).toEqual({ code: "internal_error", message: "the upload failed" });
    expect(fit.result_bytes).toBe(jsonBytes(items));
    expect(jsonBytes(fit.inline)).toBeLessThanOrEqual(2048);
  });
});
