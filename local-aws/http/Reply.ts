import type { RecordedRequest } from "../RecordedRequest.js";

/** What a service decided to do with a request. */
export type Reply =
  | {
      kind: "respond";
      status: number;
      headers: Record<string, string>;
      body: string | Buffer;
      /** Hold the response back this long before sending it. */
      delayMs?: number;
      /** Leave out `x-amzn-RequestId`, as an answer from something other than AWS would. */
      withoutRequestId?: boolean;
    }
  /** Destroy the connection instead of answering. */
  | { kind: "reset" }
  /**
   * A streamed answer (InvokeWithResponseStream): the status and headers at once, then
   * the body as `body` yields it, each write waiting for the socket to drain. `signal`
   * aborts when the client hangs up or the endpoint closes, so the producer can stop.
   */
  | {
      kind: "stream";
      status: number;
      headers: Record<string, string>;
      body: (signal: AbortSignal) => AsyncIterable<Uint8Array>;
    };

/** A service's answer to one request, with what the request log should say about it. */
export interface Handled {
  reply: Reply;
  record: Omit<RecordedRequest, "requestId" | "status">;
}

/** A step of serving a request: it produced a value, or it already knows the error reply. */
export type Step<T> = { ok: true; value: T } | { ok: false; reply: Reply };
