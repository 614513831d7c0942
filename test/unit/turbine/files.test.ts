import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { ConnectorError } from "../../../src/errors.js";
import { downloadFile, fileReferenceSchema, uploadFile } from "../../../src/turbine/files.js";
import { printedText, rejectedConnectorError } from "../../fixtures.js";
import { uploadedForm } from "../../support/fileApiServer.js";

// Characters that change under URL encoding, so a token or id sent unencoded is noticed.
const TOKEN = "ipc/T0ken+run=7f3a";
const WRONG_TOKEN = "ipc/expired+run=0000";
const STORED_ID = "case 7/report?v=2";
const STORED_BYTES = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7) % 256);
const INPUT = "archive";
const OUTPUT = "log_file";
const LIMIT = 1024;
const STALL_TIMEOUT_MS = 200;

/** What the fake platform received on `POST /files`. */
interface ReceivedUpload {
  fields: string[];
  fileName: string;
  bytes: Uint8Array;
}

/** A real HTTP server on 127.0.0.1 that plays Turbine's file API. */
interface FileApiServer {
  uri: string;
  uploads: ReceivedUpload[];
  /** The status a request with the wrong token gets. */
  refuseWith: 401 | 403;
  /** The answer to an accepted upload. */
  uploadAnswer: { status: number; body: string };
  close(): Promise<void>;
}

async function startFileApi(): Promise<FileApiServer> {
  const api = {
    uploads: [] as ReceivedUpload[],
    refuseWith: 401 as 401 | 403,
    uploadAnswer: { status: 201, body: JSON.stringify({ id: "uploaded-1" }) },
  };
  const server = createServer((req, res) => {
    void serve(req, res).catch((error: unknown) => res.destroy(error as Error));
  });
  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.searchParams.get("token") !== TOKEN) {
      res.writeHead(api.refuseWith).end();
      return;
    }
    if (req.method === "POST" && url.pathname === "/files") {
      const form = await uploadedForm(req, url);
      const file = form.get("files");
      if (file === null || typeof file === "string") {
        res.writeHead(400).end();
        return;
      }
      api.uploads.push({
        fields: [...form.keys()],
        fileName: file.name,
        bytes: new Uint8Array(await file.arrayBuffer()),
      });
      res.writeHead(api.uploadAnswer.status, { "content-type": "application/json" });
      res.end(api.uploadAnswer.body);
      return;
    }
    const id = decodeURIComponent(url.pathname.slice("/files/".length));
    switch (req.method === "GET" && url.pathname.startsWith("/files/") ? id : "") {
      case STORED_ID:
        res.writeHead(200, { "content-length": STORED_BYTES.byteLength }).end(STORED_BYTES);
        return;
      case "stalls":
        res.writeHead(200, { "content-length": 100 });
        res.write(STORED_BYTES.subarray(0, 10));
        return;
      case "declares-too-much":
        res.writeHead(200, { "content-length": LIMIT + 1 });
        res.flushHeaders();
        return;
      case "streams-too-much":
        res.writeHead(200);
        for (let sent = 0; sent <= LIMIT; sent += 256) {
          res.write(STORED_BYTES.subarray(0, 256));
        }
        res.end();
        return;
      case "breaks":
        res.writeHead(200, { "content-length": 100 });
        res.write(STORED_BYTES.subarray(0, 10), () => res.destroy());
        return;
      case "fails":
        res.writeHead(500).end("database down");
        return;
      default:
        res.writeHead(404).end();
    }
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(api, {
    uri: `http://127.0.0.1:${port}/`,
    close: async () => {
      // Stalled answers keep their sockets open; close() alone would wait for them.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/** A URI nothing listens on: a port that was just open and is now closed. */
async function closedPortUri(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** The error names its field and shows the token in no form, not even in its cause. */
function expectFieldWithoutToken(error: ConnectorError, field: string, token: string): void {
  expect(error.field).toBe(field);
  expect(error.message).toContain(field);
  const shown = `${printedText(error)}\n${error.cause instanceof Error ? error.cause.message : ""}`;
  expect(shown).not.toContain(token);
  expect(shown).not.toContain(encodeURIComponent(token));
}

describe("fileReferenceSchema", () => {
  it("accepts a file id and a file name", () => {
    const reference = { file: "6630f1c2a9", file_name: "report.zip" };

    const parsed = fileReferenceSchema.parse(reference);

    expect(parsed).toEqual(reference);
  });

  it("rejects an empty id, a missing name and unknown keys, without quoting the values", () => {
    const result = fileReferenceSchema.safeParse({ file: "", data: "c2VjcmV0LWJ5dGVz" });

    expect(result.success).toBe(false);
    const issues = result.error?.issues.map((issue) => [issue.path.join("."), issue.message]);
    expect(issues).toEqual(
      expect.arrayContaining([
        ["file", "must not be empty"],
        ["file_name", "is required"],
      ]),
    );
    expect(result.error?.issues.some((issue) => issue.code === "unrecognized_keys")).toBe(true);
    expect(JSON.stringify(result.error?.issues)).not.toContain("c2VjcmV0LWJ5dGVz");
  });

  it("says which key is missing and which has the wrong type, without quoting the value", () => {
    const wrongType = fileReferenceSchema.safeParse({ file: 7031, file_name: ["a.zip"] });
    const missing = fileReferenceSchema.safeParse({});

    const messages = (result: typeof missing) =>
      result.error?.issues.map((issue) => [issue.path.join("."), issue.message]);
    expect(messages(wrongType)).toEqual([
      ["file", "must be a string"],
      ["file_name", "must be a string"],
    ]);
    expect(messages(missing)).toEqual([
      ["file", "is required"],
      ["file_name", "is required"],
    ]);
    expect(JSON.stringify(wrongType.error?.issues)).not.toContain("7031");
  });

  it("shows in the JSON Schema with its title and both keys required", () => {
    const schema = z.toJSONSchema(fileReferenceSchema);

    expect(schema).toMatchObject({
      title: "File",
      type: "object",
      required: ["file", "file_name"],
      additionalProperties: false,
    });
  });
});

/** A file API on 127.0.0.1 for each test of the describe that calls this, and the environment naming it. */
function useFileApi(): { api: FileApiServer; env: Record<string, string> } {
  const served = {} as { api: FileApiServer; env: Record<string, string> };
  beforeEach(async () => {
    served.api = await startFileApi();
    served.env = { IPC_API_URI: served.api.uri, IPC_API_TOKEN: TOKEN };
  });
  afterEach(async () => {
    await served.api.close();
  });
  return served;
}

describe("downloadFile", () => {
  const served = useFileApi();

  it("returns the file's bytes, fetched by its URL-encoded id", async () => {
    const reference = { file: STORED_ID, file_name: "report.bin" };

    const bytes = await downloadFile(reference, { field: INPUT, env: served.env });

    expect(bytes).toEqual(STORED_BYTES);
  });

  it("reports an unknown file id (404) as an invalid input", async () => {
    const reference = { file: "no-such-file", file_name: "gone.zip" };

    const error = await rejectedConnectorError(
      downloadFile(reference, { field: INPUT, env: served.env }),
    );

    expect(error).toMatchObject({ code: "invalid_input", exitCode: 2, httpStatus: 404 });
    expect(error.message).toContain('file id "no-such-file" was not found');
    expect(error.message).toContain(`${served.api.uri}files/no-such-file`);
    expectFieldWithoutToken(error, INPUT, TOKEN);
  });

  it.each([401, 403] as const)("reports a token the platform refuses (%i)", async (status) => {
    served.api.refuseWith = status;
    const wrongEnv = { ...served.env, IPC_API_TOKEN: WRONG_TOKEN };

    const error = await rejectedConnectorError(
      downloadFile({ file: STORED_ID, file_name: "r.bin" }, { field: INPUT, env: wrongEnv }),
    );

    expect(error).toMatchObject({ code: "invalid_input", httpStatus: status });
    expect(error.message).toContain("refused the token");
    expect(error.hint).toContain("IPC_API_TOKEN");
    expectFieldWithoutToken(error, INPUT, WRONG_TOKEN);
  });

  it("names any other status it gets", async () => {
    const reference = { file: "fails", file_name: "r.bin" };

    const error = await rejectedConnectorError(
      downloadFile(reference, { field: INPUT, env: served.env }),
    );

    expect(error).toMatchObject({ code: "network_error", exitCode: 1, httpStatus: 500 });
    expect(error.message).toContain("HTTP 500");
    expect(error.message).not.toContain("database down");
    expectFieldWithoutToken(error, INPUT, TOKEN);
  });

  it.each(["IPC_API_URI", "IPC_API_TOKEN"])("names %s when it is not set", async (name) => {
    const { [name]: _missing, ...partialEnv } = served.env;

    const error = await rejectedConnectorError(
      downloadFile({ file: STORED_ID, file_name: "r.bin" }, { field: INPUT, env: partialEnv }),
    );

    expect(error).toMatchObject({ code: "usage", exitCode: 2 });
    expect(error.message).toContain(`${name} is not set`);
    expect(error.hint).toBe("Run the action inside Turbine, or set IPC_API_URI and IPC_API_TOKEN.");
    expectFieldWithoutToken(error, INPUT, TOKEN);
  });

  it("says so when IPC_API_URI is not a URL", async () => {
    const badEnv = { ...served.env, IPC_API_URI: "files.turbine.local" };

    const error = await rejectedConnectorError(
      downloadFile({ file: STORED_ID, file_name: "r.bin" }, { field: INPUT, env: badEnv }),
    );

    expect(error).toMatchObject({ code: "usage", exitCode: 2 });
    expect(error.message).toContain("IPC_API_URI is not an absolute URL");
    expectFieldWithoutToken(error, INPUT, TOKEN);
  });

  it("gives up on a body that stalls after the headers, at timeoutMs", async () => {
    const reference = { file: "stalls", file_name: "slow.bin" };

    const started = performance.now();
    const error = await rejectedConnectorError(
      downloadFile(reference, { field: INPUT, env: served.env, timeoutMs: STALL_TIMEOUT_MS }),
    );
    const elapsed = performance.now() - started;

    expect(error).toMatchObject({ code: "request_timeout", exitCode: 1 });
    expect(error.message).toContain(`within ${STALL_TIMEOUT_MS} ms`);
    expect(elapsed).toBeLessThan(STALL_TIMEOUT_MS * 10);
    expectFieldWithoutToken(error, INPUT, TOKEN);
  });

  it("stops reading a body that streams past maxBytes", async () => {
    const reference = { file: "streams-too-much", file_name: "big.bin" };

    const error = await rejectedConnectorError(
      downloadFile(reference, { field: INPUT, env: served.env, maxBytes: LIMIT }),
    );

    expect(error).toMatchObject({ code: "payload_too_large", exitCode: 2 });
    expect(error.message).toContain(`more than ${LIMIT} bytes`);
    expectFieldWithoutToken(error, INPUT, TOKEN);
  });

  it("refuses a declared length over maxBytes without waiting for the body", async () => {
    const reference = { file: "declares-too-much", file_name: "big.bin" };

    const error = await rejectedConnectorError(
      downloadFile(reference, {
        field: INPUT,
        env: served.env,
        maxBytes: LIMIT,
        timeoutMs: STALL_TIMEOUT_MS,
      }),
    );

    expect(error).toMatchObject({ code: "payload_too_large", exitCode: 2 });
    expect(error.message).toContain(`${LIMIT + 1} bytes`);
    expectFieldWithoutToken(error, INPUT, TOKEN);
  });

  it("reports a connection that breaks in the middle of the body", async () => {
    const reference = { file: "breaks", file_name: "cut.bin" };

    const error = await rejectedConnectorError(
      downloadFile(reference, { field: INPUT, env: served.env }),
    );

    expect(error).toMatchObject({ code: "network_error", exitCode: 1 });
    expect(error.message).toContain("broke while it answered");
    expectFieldWithoutToken(error, INPUT, TOKEN);
  });

  it("reports an API that nothing listens on", async () => {
    const closedEnv = { ...served.env, IPC_API_URI: await closedPortUri() };

    const error = await rejectedConnectorError(
      downloadFile({ file: STORED_ID, file_name: "r.bin" }, { field: INPUT, env: closedEnv }),
    );

    expect(error).toMatchObject({ code: "network_error", exitCode: 1 });
    expect(error.message).toContain("could not be reached");
    expect(error.message).toContain("(ECONNREFUSED)");
    expect(error.hint).toContain("IPC_API_URI");
    expectFieldWithoutToken(error, INPUT, TOKEN);
  });
});

describe("uploadFile", () => {
  const served = useFileApi();

  it("sends the bytes and name under the field files and returns the new reference", async () => {
    const fileName = "résumé 2024.bin";

    const reference = await uploadFile(STORED_BYTES, fileName, { field: OUTPUT, env: served.env });

    expect(reference).toEqual({ file: "uploaded-1", file_name: fileName });
    expect(served.api.uploads).toEqual([{ fields: ["files"], fileName, bytes: STORED_BYTES }]);
  });

  it.each([401, 403] as const)("reports a token the platform refuses (%i)", async (status) => {
    served.api.refuseWith = status;
    const wrongEnv = { ...served.env, IPC_API_TOKEN: WRONG_TOKEN };

    const error = await rejectedConnectorError(
      uploadFile(STORED_BYTES, "out.bin", { field: OUTPUT, env: wrongEnv }),
    );

    expect(error).toMatchObject({ code: "invalid_input", exitCode: 1, httpStatus: status });
    expect(error.message).toContain("refused the token");
    expectFieldWithoutToken(error, OUTPUT, WRONG_TOKEN);
  });

  it("reports an answer without an id by its status, not its body", async () => {
    served.api.uploadAnswer = { status: 200, body: JSON.stringify({ error: "quota exceeded" }) };

    const error = await rejectedConnectorError(
      uploadFile(STORED_BYTES, "out.bin", { field: OUTPUT, env: served.env }),
    );

    expect(error).toMatchObject({ code: "network_error", exitCode: 1, httpStatus: 200 });
    expect(error.message).toContain('no string "id"');
    expect(error.message).not.toContain("quota");
    expectFieldWithoutToken(error, OUTPUT, TOKEN);
  });

  it.each([
    ["a number", "42"],
    ["null", "null"],
    ["an empty id", JSON.stringify({ id: "" })],
  ])("reports an answer that is %s instead of an object with an id", async (_label, body) => {
    served.api.uploadAnswer = { status: 201, body };

    const error = await rejectedConnectorError(
      uploadFile(STORED_BYTES, "out.bin", { field: OUTPUT, env: served.env }),
    );

    expect(error).toMatchObject({ code: "network_error", exitCode: 1, httpStatus: 201 });
    expect(error.message).toContain('no string "id"');
    expectFieldWithoutToken(error, OUTPUT, TOKEN);
  });

  it("names IPC_API_TOKEN when it is not set, without claiming nothing ran", async () => {
    const { IPC_API_TOKEN: _missing, ...partialEnv } = served.env;

    const error = await rejectedConnectorError(
      uploadFile(STORED_BYTES, "out.bin", { field: OUTPUT, env: partialEnv }),
    );

    expect(error).toMatchObject({ code: "usage", exitCode: 1 });
    expect(error.message).toContain("IPC_API_TOKEN is not set");
    expectFieldWithoutToken(error, OUTPUT, TOKEN);
  });

  it("refuses bytes over maxBytes without sending them", async () => {
    const bytes = STORED_BYTES.subarray(0, LIMIT + 1);

    const error = await rejectedConnectorError(
      uploadFile(bytes, "big.bin", { field: OUTPUT, env: served.env, maxBytes: LIMIT }),
    );

    expect(error).toMatchObject({ code: "payload_too_large", exitCode: 1 });
    expect(served.api.uploads).toEqual([]);
    expectFieldWithoutToken(error, OUTPUT, TOKEN);
  });
});

describe("downloadFile through redirects", () => {
  /** Two origins on 127.0.0.1 (two ports): the platform, which redirects, and another host. */
  let platform: ReturnType<typeof createServer>;
  let other: ReturnType<typeof createServer>;
  let platformUri = "";
  let otherUri = "";
  const seenElsewhere: string[] = [];
  const state = { location: (_uri: string) => "" };

  beforeEach(async () => {
    seenElsewhere.length = 0;
    platform = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      if (url.pathname === "/files/moved") {
        res.writeHead(302, { location: state.location(otherUri) }).end();
        return;
      }
      if (url.pathname === "/files/loop" || (req.method === "POST" && url.pathname === "/files")) {
        res.writeHead(307, { location: `/files/loop?token=${encodeURIComponent(TOKEN)}` }).end();
        return;
      }
      if (url.pathname === "/files/nowhere") {
        res.writeHead(301, { location: "http://[not-a-host/x" }).end();
        return;
      }
      if (url.pathname === "/files/here" && url.searchParams.get("token") === TOKEN) {
        res.writeHead(200).end(STORED_BYTES);
        return;
      }
      res.writeHead(404).end();
    });
    other = createServer((req, res) => {
      seenElsewhere.push(req.url ?? "");
      res.writeHead(200).end(STORED_BYTES);
    });
    for (const server of [platform, other]) {
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    }
    platformUri = `http://127.0.0.1:${(platform.address() as AddressInfo).port}`;
    otherUri = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    for (const server of [platform, other]) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  const download = (file = "moved") =>
    downloadFile(
      { file, file_name: "a.zip" },
      { field: INPUT, env: { IPC_API_URI: platformUri, IPC_API_TOKEN: TOKEN } },
    );

  it("follows a redirect to another origin without the token it carried along", async () => {
    // Prepare: the platform copies the query, token included, into the new address.
    state.location = (uri) => `${uri}/blob/7?token=${encodeURIComponent(TOKEN)}&sig=abc`;

    // Act
    const bytes = await download();

    // Assess
    expect(bytes).toEqual(STORED_BYTES);
    expect(seenElsewhere).toEqual(["/blob/7?sig=abc"]);
  });

  it.each([
    ["in another parameter", (uri: string) => `${uri}/blob?t=${encodeURIComponent(TOKEN)}`],
    ["in the path", (uri: string) => `${uri}/${encodeURIComponent(TOKEN)}/blob`],
    ["unencoded", (uri: string) => `${uri}/blob?auth=${TOKEN}`],
  ])("refuses a redirect to another origin with the token %s", async (_label, location) => {
    // Prepare
    state.location = location;

    // Act
    const error = await rejectedConnectorError(download());

    // Assess
    expect(seenElsewhere).toEqual([]);
    expect(error.message).toContain("the token is never sent to another origin");
    expectFieldWithoutToken(error, INPUT, TOKEN);
  });

  it("stops after 5 redirects and says so", async () => {
    const error = await rejectedConnectorError(download("loop"));

    expect(error).toMatchObject({ code: "network_error", httpStatus: 307 });
    expect(error.message).toContain("redirect (HTTP 307) that is not followed after 5 redirects");
    expect(error.hint).toContain("IPC_API_URI");
    expectFieldWithoutToken(error, INPUT, TOKEN);
  });

  it("does not follow a redirect whose address is not a URL", async () => {
    const error = await rejectedConnectorError(download("nowhere"));

    expect(error).toMatchObject({ code: "network_error", httpStatus: 301 });
    expect(error.message).toMatch(/redirect \(HTTP 301\) that is not followed$/);
    expectFieldWithoutToken(error, INPUT, TOKEN);
  });

  it("never follows a redirect of an upload", async () => {
    const error = await rejectedConnectorError(
      uploadFile(STORED_BYTES, "out.bin", {
        field: OUTPUT,
        env: { IPC_API_URI: platformUri, IPC_API_TOKEN: TOKEN },
      }),
    );

    expect(error).toMatchObject({ code: "network_error", httpStatus: 307 });
    expect(error.message).toContain("that is not followed for an upload");
    expectFieldWithoutToken(error, OUTPUT, TOKEN);
  });

  it("follows a redirect within the platform's own origin", async () => {
    state.location = () => `${platformUri}/files/here?token=${encodeURIComponent(TOKEN)}`;

    const bytes = await download();

    expect(bytes).toEqual(STORED_BYTES);
    expect(seenElsewhere).toEqual([]);
  });
});
