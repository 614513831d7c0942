import type { Identity } from "../auth/Identity.js";
import type { ReceivedRequest } from "../auth/verifySignature.js";
import type { Reply, Step } from "../http/Reply.js";
import type { RecordedRequest } from "../RecordedRequest.js";
import type { PackageDownloads } from "../s3/PackageDownloads.js";
import type { World } from "../World.js";
import type { LambdaOperation } from "./LambdaOperation.js";
import type { PageMarkers } from "./PageMarkers.js";

/** What the request log may say about a call besides who made it. */
export type CallNote = Partial<
  Pick<RecordedRequest, "functionName" | "qualifier" | "executedVersion" | "invocationType">
>;

/**
 * One authenticated Lambda call, as an operation handler sees it: who signed it, for
 * which region, the request's labels, query and body, and the state it may read and
 * change.
 */
export interface LambdaCall {
  operation: LambdaOperation;
  identity: Identity;
  /** The region the request was signed for: the region the call is served in. */
  region: string;
  /** The path's labels, URL-decoded. */
  labels: Record<string, string>;
  query: URLSearchParams;
  request: ReceivedRequest;
  requestId: string;
  world: World;
  /** The endpoint's clock, in epoch milliseconds, when the call arrived. */
  now: number;
  /** How long a created function stays Pending and a mapping Enabling or Disabling. */
  stateTransitionMs: number;
  markers: PageMarkers;
  /** Adds to what the request log says about this call. */
  note(fields: CallNote): void;
  /** Where package downloads are issued, when the endpoint serves them. */
  downloads?: PackageDownloads | undefined;
}

/** The work of a call that passed validation, authorization and Lambda's own checks. */
export type Serve = () => Reply | Promise<Reply>;

/**
 * One operation: checks the call (answering a 4xx on its own) and returns the work that
 * answers it, which runs only when no injected fault answers instead. Whatever changes
 * state belongs in that work, so that a failed call changes nothing.
 *
 * @example
 * ```ts
 * const listTags: OperationHandler = (call) => {
 *   const fn = …;
 *   return { ok: true, value: () => jsonReply({ Tags: fn.tags ?? {} }) };
 * };
 * ```
 */
export type OperationHandler = (call: LambdaCall) => Step<Serve>;

/** Handlers by the operation they serve. */
export type OperationTable = Partial<Record<LambdaOperation, OperationHandler>>;

/** A handler's early answer: the call is refused with `reply`. */
export function refuse(reply: Reply): Step<never> {
  return { ok: false, reply };
}

/** A handler's go-ahead: `work` answers the call unless a fault answers first. */
export function serve(work: Serve): Step<Serve> {
  return { ok: true, value: work };
}

/** The 204 with no body that Lambda's delete and tag calls answer with. */
export function noContent(): Reply {
  return { kind: "respond", status: 204, headers: {}, body: "" };
}
