import { createHash } from "node:crypto";
import { createServer, Agent as HttpAgent, type Server } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  openPackageDownload,
  PackageRefusedError,
  sourceOf,
} from "../../../src/aws/presignedDownload.js";
import { rejectedConnectorError } from "../../fixtures.js";

const PACKAGE = Buffer.from("PK\u0003\u0004 a small deployment package, 4 KiB of it ".repeat(64));
const LIMIT = 1024 * 1024;
const QUERY = "?X-Amz-Signature=0123456789abcdef&X-Amz-Credential=ASIAEXAMPLE";

/** Answers by path: each a way a download can go wrong. */
function answer(path: string, res: import("node:http").ServerResponse): void {
  switch (path) {
    case "/ok":
      res.writeHead(200, { "content-length": PACKAGE.length }).end(PACKAGE);
      return;
    case "/announces-too-much":
      res.writeHead(200, { "content-length": LIMIT + 1 });
      res.flushHeaders();
      return;
    case "/streams-too-much":
      res.writeHead(200);
      for (let sent = 0; sent <= LIMIT; sent += PACKAGE.length) {
        res.write(PACKAGE);
      }
      res.end();
      return;
    case "/short":
      res.writeHead(200, { "content-length": PACKAGE.length });
      res.write(PACKAGE.subarray(0, 100), () => res.destroy());
      return;
    case "/no-length":
      res.writeHead(200);
      res.end(PACKAGE);
      return;
    case "/stalls":
      res.writeHead(200, { "content-length": PACKAGE.length });
      res.write(PACKAGE.subarray(0, 100));
      return;
    case "/fails":
      res.writeHead(500).end("InternalError");
      return;
    case "/expired":
      res.writeHead(403).end("<Error><Code>AccessDenied</Code></Error>");
      return;
    default:
      res.writeHead(404).end();
  }
}

describe("openPackageDownload", () => {
  let server: Server;
  let base: string;
  const agents = { http: new HttpAgent(), https: new HttpsAgent() };

  beforeAll(async () => {
    server = createServer((req, res) => answer(new URL(req.url ?? "/", "http://x").pathname, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const open = (path: string, expectedBytes?: number, signal = AbortSignal.timeout(10_000)) =>
    openPackageDownload(`${base}${path}${QUERY}`, {
      agents,
      signal,
      maxBytes: LIMIT,
      expectedBytes,
      what: "the package of echo",
    });

  const drain = async (download: Awaited<ReturnType<typeof open>>) => {
    await pipeline(download.body, new Writable({ write: (_chunk, _encoding, done) => done() }));
    return download.digest();
  };

  it("hashes and counts the bytes as they stream", async () => {
    const download = await open("/ok", PACKAGE.length);

    const digest = await drain(download);

    expect(digest).toEqual({
      sha256Hex: createHash("sha256").update(PACKAGE).digest("hex"),
      sha256Base64: createHash("sha256").update(PACKAGE).digest("base64"),
      bytes: PACKAGE.length,
    });
    expect(download.source).toBe(`${base}/ok`);
  });

  it("refuses a size AWS announces over the limit before sending anything", async () => {
    const error = await rejectedConnectorError(open("/nothing-listens-here", LIMIT + 1));

    expect(error).toBeInstanceOf(PackageRefusedError);
    expect(error.code).toBe("payload_too_large");
  });

  it("refuses a Content-Length over the limit before reading the body", async () => {
    const error = await rejectedConnectorError(open("/announces-too-much"));

    expect(error.code).toBe("payload_too_large");
    expect(error.message).toContain(`${LIMIT + 1} bytes`);
    expect(error.message).not.toContain("X-Amz");
  });

  it("refuses a Content-Length that is not AWS's size", async () => {
    const error = await rejectedConnectorError(open("/ok", PACKAGE.length - 1));

    expect(error.message).toContain(`announces ${PACKAGE.length} bytes but AWS gave`);
  });

  it("stops a body without a length as soon as it passes the limit", async () => {
    const download = await open("/streams-too-much");

    const error = await rejectedConnectorError(drain(download));

    expect(error.code).toBe("payload_too_large");
  });

  it("fails a body cut short of its announced length", async () => {
    const download = await open("/short", PACKAGE.length);

    const error = await rejectedConnectorError(drain(download));

    expect(error.code).toBe("endpoint_error");
    expect(error.message).toContain(`of the ${PACKAGE.length} announced`);
  });

  it("names an expired URL as refused, without its query", async () => {
    const error = await rejectedConnectorError(open("/expired"));

    expect(error).toMatchObject({ code: "access_denied", httpStatus: 403 });
    expect(error.message).toContain(`${base}/expired answered HTTP 403`);
    expect(error.message).not.toContain("Signature");
  });

  it("names the deadline when the signal has already fired", async () => {
    const error = await rejectedConnectorError(open("/ok", undefined, AbortSignal.abort()));

    expect(error.code).toBe("request_timeout");
  });

  it.each(["ftp://bucket.example/a.zip", "not a url"])(
    "refuses a location that is not an http(s) URL (%s) before any request",
    async (url) => {
      const error = await rejectedConnectorError(
        openPackageDownload(url, {
          agents,
          signal: AbortSignal.timeout(10_000),
          maxBytes: LIMIT,
          what: "the package of echo",
        }),
      );

      expect(error).toBeInstanceOf(PackageRefusedError);
      expect(error.code).toBe("endpoint_error");
      expect(error.message).toBe("the package of echo: its location is not an http(s) URL.");
      expect(error.hint).toContain("presigned https URL");
    },
  );

  it("names a status other than 403 as the endpoint's answer, with the status", async () => {
    const error = await rejectedConnectorError(open("/fails"));

    expect(error).toMatchObject({ code: "endpoint_error", httpStatus: 500 });
    expect(error.message).toContain(`${base}/fails answered HTTP 500 instead of the package`);
    expect(error.hint).toContain("endpoint_url");
  });

  it("fails a body without a length that ends short of AWS's size", async () => {
    const download = await open("/no-length", PACKAGE.length + 10);

    const error = await rejectedConnectorError(drain(download));

    expect(error.code).toBe("endpoint_error");
    expect(error.message).toContain(
      `sent ${PACKAGE.length} bytes of the ${PACKAGE.length + 10} announced`,
    );
  });

  it("stops a body without a length that runs past AWS's size, under the limit", async () => {
    const download = await open("/no-length", PACKAGE.length - 10);

    const error = await rejectedConnectorError(drain(download));

    expect(error.code).toBe("endpoint_error");
    expect(error.message).toContain(`sent more than the ${PACKAGE.length - 10} bytes announced`);
  });

  it("has no digest before the body has ended", async () => {
    const download = await open("/ok", PACKAGE.length);

    expect(() => download.digest()).toThrow("the download has not ended");
    await drain(download);
  });

  it("names the deadline when it passes while the body streams", async () => {
    const deadline = new AbortController();
    const download = await open("/stalls", PACKAGE.length, deadline.signal);

    const drained = rejectedConnectorError(drain(download));
    deadline.abort();
    const error = await drained;

    expect(error.code).toBe("request_timeout");
    expect(error.message).toContain("did not finish within its deadline");
    expect(error.hint).toContain("download_timeout_seconds");
  });

  it("names a location nothing listens on as a network error, with the socket's code", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const error = await rejectedConnectorError(
      openPackageDownload(`http://127.0.0.1:${port}/a.zip${QUERY}`, {
        agents,
        signal: AbortSignal.timeout(10_000),
        maxBytes: LIMIT,
        what: "the package of echo",
      }),
    );

    expect(error.code).toBe("network_error");
    expect(error.message).toBe(
      `the package of echo: http://127.0.0.1:${port}/a.zip could not be downloaded (ECONNREFUSED).`,
    );
  });

  it("prints a URL without its query string", () => {
    expect(sourceOf(`https://bucket.s3.amazonaws.com/a/b.zip${QUERY}`)).toBe(
      "https://bucket.s3.amazonaws.com/a/b.zip",
    );
    expect(sourceOf("not a url")).toBe("(unparseable URL)");
  });
});
