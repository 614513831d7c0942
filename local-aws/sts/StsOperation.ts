/** The STS actions the endpoint serves. */
export const STS_OPERATIONS = ["AssumeRole", "GetCallerIdentity"] as const;

/**
 * One STS action the endpoint serves, as the query protocol's `Action` names it.
 *
 * @example
 * ```ts
 * const operation: StsOperation = "AssumeRole";
 * aws.faults.throttleNext(1, { service: "sts", operation });
 * ```
 */
export type StsOperation = (typeof STS_OPERATIONS)[number];
