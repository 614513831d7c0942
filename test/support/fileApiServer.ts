import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One file the fake platform stored from `POST /files`. */
export interface StoredUpload {
  id: string;
  fileName: string;
  bytes: Buffer;
  /** Hex SHA-256 of the file's bytes. */
  sha256: string;
  /** Whether the body came chunked, without a Content-Length: sent as a stream. */
  streamed: boolean;
}

/** A real HTTP server on 127.0.0.1 that plays Turbine's file API for uploads. */
export interface FileApiServer {
  uri: string;
  token: string;
  uploads: StoredUpload[];
  /** Uploads that began but whose body broke off. */
  broken: number;
  /** The environment a run needs to reach it. */
  env(): { IPC_API_URI: string; IPC_API_TOKEN: string };
  /** Calls `listener` once, when the next upload's first body bytes arrive. */
  onFirstBytes(listener: () => void): void;
  close(): Promise<void>;
}

/**
 * The multipart form of an upload to `POST /files`, read whole.
 *
 * @example
 * ```ts
 * const file = (await uploadedForm(req, url)).get("files");
 * ```
 */
export async function uploadedForm(
  req: IncomingMessage,
  url: URL,
  onFirstBytes: () => void = () => {},
): Promise<FormData> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    if (chunks.length === 0) {
      onFirstBytes();
    }
    chunks.push(chunk as Buffer);
  }
  return new Request(url, {
    method: "POST",
    headers: { "content-type": req.headers["content-type"] ?? "" },
    body: Buffer.concat(chunks),
  }).formData();
}

/**
 * Starts a fake of the platform's file API (`POST /files?token=…`, multipart field
 * `files`, answering `{"id": …}`), keeping what it stores for the test to check.
 *
 * @example
 * ```ts
 * const files = await startFileApi();
 * await runAction("acquire_function_evidence", document, files.env());
 * expect(files.uploads[0]?.sha256).toBe(expected);
 * ```
 */
export async function startFileApi(token = "ipc-token/evidence+1"): Promise<FileApiServer> {
  const state = { uploads: [] as StoredUpload[], broken: 0, firstBytes: [] as (() => void)[] };
  const server = createServer((req, res) => {
    void serve(req, res).catch(() => {
      state.broken += 1;
      res.destroy();
    });
  });
  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.searchParams.get("token") !== token) {
      res.writeHead(401).end();
      return;
    }
    if (req.method !== "POST" || url.pathname !== "/files") {
      res.writeHead(404).end();
      return;
    }
    const form = await uploadedForm(req, url, () => {
      for (const listener of state.firstBytes.splice(0)) {
        listener();
      }
    });
    if (!req.complete) {
      state.broken += 1;
      return;
    }
    const file = form.get("files");
    if (file === null || typeof file === "string") {
      res.writeHead(400).end();
      return;
    }
    const bytes = Buffer.from(await file.arrayBuffer());
    const id = `file-${state.uploads.length + 1}`;
    state.uploads.push({
      id,
      fileName: file.name,
      bytes,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      streamed: req.headers["content-length"] === undefined,
    });
    res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ id }));
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const uri = `http://127.0.0.1:${port}`;
  return {
    uri,
    token,
    get uploads() {
      return state.uploads;
    },
    get broken() {
      return state.broken;
    },
    env: () => ({ IPC_API_URI: uri, IPC_API_TOKEN: token }),
    onFirstBytes: (listener) => {
      state.firstBytes.push(listener);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
