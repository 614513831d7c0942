import type { RetryPolicy } from "./retryPolicy.js";

/** The AWS services the connector calls (EC2 only for sweep_functions' DescribeRegions). */
export type Service = "lambda" | "sts" | "iam" | "ec2";

/** Where calls go: for building the ARNs that calls are checked on. */
export interface Location {
  region: string;
  partition: string;
}

/**
 * One AWS call as an action declares it: everything the executor needs to send it
 * with the right retries and deadline, and to explain its failure. The parts that
 * depend on the run's inputs are functions of them; fixed calls give plain values.
 *
 * @example
 * ```ts
 * const getPolicy: AwsCall<{ function_name: string }> = {
 *   operation: "GetPolicy", // service lambda, IAM action lambda:GetPolicy
 *   resource: (inputs, where) => functionArnFor(inputs.function_name, where),
 *   target: (inputs) => `function ${inputs.function_name}`,
 *   retry: "idempotent",
 * };
 * ```
 */
export interface AwsCall<Inputs = undefined> {
  /** `lambda` when not given. */
  service?: Service | undefined;
  /** The AWS API operation, e.g. `GetAccountSettings`. */
  operation: string;
  /**
   * The IAM action it needs, named when access is denied; `<service>:<operation>` when
   * not given, which holds for every call but Invoke (`lambda:InvokeFunction`).
   */
  iamAction?: string | undefined;
  /** The resource that IAM action is checked on (an ARN, account possibly `*`); `*` when not given. */
  resource?: string | ((inputs: Inputs, where: Location) => string) | undefined;
  /** What the call is about, named when it is not found, e.g. `function echo`. */
  target?: string | ((inputs: Inputs) => string) | undefined;
  /** How the call may be retried; see {@link RetryPolicy}. */
  retry: RetryPolicy;
  /** Deadline for the call, in milliseconds; control-plane calls default to 30 s. */
  timeoutMs?: number | undefined;
  /**
   * Attempts the SDK makes, within the retry policy; 3 (the SDK's standard) when not
   * given. A batch that backs off for the whole pool sends each attempt itself: 1.
   */
  maxAttempts?: number | undefined;
  /**
   * Largest answer body read; a little over Lambda's 6 MB synchronous response when not
   * given. A streamed response (up to 200 MB) that its reader stops early raises it.
   */
  maxResponseBytes?: number | undefined;
  /**
   * The answer is an event stream its caller reads (`Executor.stream`): decoded by the
   * connector's own reader (./responseStreamSerde.js), over connections that read into
   * one buffer each, so that the bytes streamed are held once.
   */
  eventStream?: boolean | undefined;
  /** The action inputs that identify what the call is about, named when AWS rejects a parameter. */
  inputs?: readonly string[] | undefined;
  /**
   * The version or alias the call is qualified with (qualified permissions differ);
   * the input `qualifier` when not given.
   */
  qualifier?: string | undefined;
  /** Per-operation hints by AWS error code, replacing the generic ones. */
  hints?: Readonly<Record<string, string>> | undefined;
  /**
   * Sign with the asset's own keys instead of the assumed role: for checks of the keys
   * themselves (test_connection). Calls run as the role by default.
   */
  signAs?: "asset" | undefined;
}

/**
 * What a call is about in one run: its defaults applied and its input-dependent parts
 * worked out. How it is sent (retry, deadline, signer) is the executor's alone.
 */
export interface ResolvedCall {
  service: Service;
  operation: string;
  iamAction: string;
  resource: string;
  target: string | undefined;
  inputs: readonly string[];
  qualifier: string | undefined;
  hints: Readonly<Record<string, string>>;
}

/** The IAM action `call` needs, its default applied. */
export function iamActionOf(
  call: Pick<AwsCall<never>, "service" | "operation" | "iamAction">,
): string {
  return call.iamAction ?? `${call.service ?? "lambda"}:${call.operation}`;
}

/**
 * `call` as it applies to one run: its defaults filled in and its resource and
 * target worked out from the run's inputs.
 *
 * @example
 * ```ts
 * resolveCall({ operation: "GetPolicy", retry: "idempotent" }, undefined, location).iamAction; // "lambda:GetPolicy"
 * ```
 */
export function resolveCall<Inputs>(
  call: AwsCall<Inputs>,
  inputs: Inputs,
  where: Location,
): ResolvedCall {
  const service = call.service ?? "lambda";
  const { resource, target } = call;
  return {
    service,
    operation: call.operation,
    iamAction: iamActionOf(call),
    resource: (typeof resource === "function" ? resource(inputs, where) : resource) ?? "*",
    target: typeof target === "function" ? target(inputs) : target,
    inputs: call.inputs ?? [],
    qualifier: call.qualifier ?? qualifierInputOf(inputs),
    hints: call.hints ?? {},
  };
}

function qualifierInputOf(inputs: unknown): string | undefined {
  const qualifier = (inputs as { qualifier?: unknown } | undefined)?.qualifier;
  return typeof qualifier === "string" ? qualifier : undefined;
}
