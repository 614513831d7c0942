import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { listenLocally } from "./listenLocally.js";

/**
 * What the endpoint answers, for Lambda (REST-JSON) and STS (query/XML) alike:
 * - `denied`: 403 AccessDenied(Exception), never retried;
 * - `not_found`: 404 ResourceNotFoundException (STS: 403 AccessDenied), which some
 *   actions turn into a successful "nothing there" output;
 * - `invalid_parameter`: 400 InvalidParameterValueException (STS: ValidationError);
 * - `empty_success`: 200 with an empty body and a request ID: outputs built from nothing;
 * - `echo`: 403 whose message repeats the request's URL, security token and body, as a
 *   hostile endpoint could: the connector must mask the asset's secrets in it.
 */
export type FakeAnswer = "denied" | "not_found" | "invalid_parameter" | "empty_success" | "echo";

/** Every {@link FakeAnswer}, for generators. */
export const FAKE_ANSWERS: readonly FakeAnswer[] = [
  "denied",
  "not_found",
  "invalid_parameter",
  "empty_success",
  "echo",
];

/** A running {@link startFakeAwsEndpoint}. */
export interface FakeAwsEndpoint {
  /** `http://127.0.0.1:port`. */
  url: string;
  port: number;
  /** What the next calls are answered with; a test sets it before each run. */
  answer: FakeAnswer;
  /**
   * Requests answered so far: Lambda and STS calls (runs that reached the executor's AWS
   * path), and downloads from the platform's file API (IPC_API_URI pointed here).
   */
  readonly requests: { lambda: number; sts: number; files: number };
  /** Requests that arrived in proxy form (absolute URI or CONNECT). */
  readonly proxied: number;
  close(): Promise<void>;
}

const REQUEST_ID = "00000000-0000-4000-8000-00000000f4c3";

/**
 * Starts the endpoint. It also serves as an HTTP proxy to itself (absolute-URI requests
 * are answered the same way) and refuses every CONNECT tunnel with a 403.
 *
 * @example
 * ```ts
 * const aws = await startFakeAwsEndpoint();
 * aws.answer = "denied";
 * await runConnector("get_function", JSON.stringify({ ...asset, endpoint_url: aws.url, function_name: "f" }));
 * ```
 */
export async function startFakeAwsEndpoint(): Promise<FakeAwsEndpoint> {
  const requests = { lambda: 0, sts: 0, files: 0 };
  let proxied = 0;
  const state = { answer: "denied" as FakeAnswer };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      if (request.url?.startsWith("http") === true) {
        proxied += 1;
      }
      const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
      const sts = request.method === "POST" && path === "/";
      requests[sts ? "sts" : path.startsWith("/files") ? "files" : "lambda"] += 1;
      const body = Buffer.concat(chunks).toString("utf8");
      if (sts) {
        answerSts(state.answer, request, body, response);
      } else {
        answerLambda(state.answer, request, body, response);
      }
    });
  });
  server.on("connect", (_request: IncomingMessage, socket: Socket) => {
    proxied += 1;
    socket.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
  });
  const listening = await listenLocally(server);
  const { port } = listening;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get answer() {
      return state.answer;
    },
    set answer(answer: FakeAnswer) {
      state.answer = answer;
    },
    requests,
    get proxied() {
      return proxied;
    },
    close: async () => {
      await listening.close();
    },
  };
}

/** What a hostile endpoint could repeat back: the token header and the request body. */
function echoed(request: IncomingMessage, body: string): string {
  const token = request.headers["x-amz-security-token"] ?? "";
  return `you sent ${request.method} ${request.url} token=${String(token)} body=${body.slice(0, 2000)}`;
}

function answerLambda(
  answer: FakeAnswer,
  request: IncomingMessage,
  body: string,
  response: ServerResponse,
): void {
  const [status, type, message] = ((): [number, string, string] => {
    switch (answer) {
      case "denied":
        return [403, "AccessDeniedException", "User is not authorized to perform this action"];
      case "not_found":
        return [404, "ResourceNotFoundException", "The resource you requested does not exist."];
      case "invalid_parameter":
        return [400, "InvalidParameterValueException", "One or more parameters are not valid."];
      case "echo":
        return [403, "AccessDeniedException", echoed(request, body)];
      case "empty_success":
        return [200, "", ""];
    }
  })();
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-amzn-requestid": REQUEST_ID,
  };
  if (type !== "") {
    headers["x-amzn-errortype"] = type;
  }
  response.writeHead(status, headers);
  response.end(status === 200 ? "{}" : JSON.stringify({ Type: "User", Message: message }));
}

function answerSts(
  answer: FakeAnswer,
  request: IncomingMessage,
  body: string,
  response: ServerResponse,
): void {
  const xml = (text: string) =>
    text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
  response.setHeader("content-type", "text/xml");
  response.setHeader("x-amzn-requestid", REQUEST_ID);
  if (answer === "empty_success") {
    // An answer without credentials: the connector must refuse it, not crash on it.
    response.writeHead(200);
    response.end(
      `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult></AssumeRoleResult><ResponseMetadata><RequestId>${REQUEST_ID}</RequestId></ResponseMetadata></AssumeRoleResponse>`,
    );
    return;
  }
  const [status, code, message] =
    answer === "invalid_parameter"
      ? [400, "ValidationError", "1 validation error detected"]
      : answer === "echo"
        ? [403, "AccessDenied", echoed(request, body)]
        : [403, "AccessDenied", "User is not authorized to perform: sts:AssumeRole"];
  response.writeHead(status);
  response.end(
    `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${xml(message)}</Message></Error><RequestId>${REQUEST_ID}</RequestId></ErrorResponse>`,
  );
}

/** A proxy that refuses everything and counts what tried to leave 127.0.0.1. */
export interface EscapeGuard {
  /** `http://127.0.0.1:port`, for HTTP_PROXY and HTTPS_PROXY. */
  url: string;
  /** Requests and tunnels that reached it: calls bound for anywhere but 127.0.0.1. */
  readonly escapes: string[];
  close(): Promise<void>;
}

/**
 * Starts a proxy for the environment's HTTP_PROXY/HTTPS_PROXY (with NO_PROXY naming
 * 127.0.0.1): a call that would leave the machine (an asset without a local endpoint,
 * the SDK's own metadata lookups) lands here instead, is refused, and is counted.
 */
export async function startEscapeGuard(): Promise<EscapeGuard> {
  const escapes: string[] = [];
  const server = createServer((request, response) => {
    escapes.push(`${request.method} ${request.url}`);
    response.writeHead(403);
    response.end();
  });
  server.on("connect", (request: IncomingMessage, socket: Socket) => {
    escapes.push(`CONNECT ${request.url}`);
    socket.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
  });
  const listening = await listenLocally(server);
  const { port } = listening;
  return {
    url: `http://127.0.0.1:${port}`,
    escapes,
    close: async () => {
      await listening.close();
    },
  };
}
