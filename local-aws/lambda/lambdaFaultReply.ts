import type { Fault } from "../Faults.js";
import type { Reply } from "../http/Reply.js";
import { rawReply } from "../http/rawReply.js";
import { lambdaError } from "./lambdaError.js";

/**
 * What Lambda answers instead of serving the call, for a fault that strikes before the
 * operation does anything; undefined for faults that strike after (a reset after the run,
 * a delay).
 *
 * @example
 * ```ts
 * lambdaFaultReply({ kind: "fail", status: 502, code: "ENILimitReachedException" });
 * ```
 */
export function lambdaFaultReply(fault: Fault): Reply | undefined {
  switch (fault.kind) {
    case "throttle":
      return lambdaError(429, "TooManyRequestsException", "Rate Exceeded.", {
        fields: { Reason: fault.reason },
        headers: { "Retry-After": String(fault.retryAfterSeconds) },
      });
    case "fail":
      return lambdaError(
        fault.status,
        fault.code ?? "ServiceException",
        fault.message ?? "An internal error occurred; please try again.",
      );
    case "raw":
      return rawReply(fault);
    case "reset":
      return fault.when === "before" ? { kind: "reset" } : undefined;
    case "delay":
      return undefined;
  }
}
