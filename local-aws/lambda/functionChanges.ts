import { randomUUID } from "node:crypto";
import type { Step } from "../http/Reply.js";
import type { FunctionDefinition } from "../World.js";
import { functionPackage } from "./functionPackage.js";
import { type LambdaCall, refuse } from "./LambdaCall.js";
import { lambdaError } from "./lambdaError.js";
import { lambdaTimestamp } from "./lambdaTimestamp.js";
import { type LocatedFunction, locateFunction } from "./locateFunction.js";

/**
 * Lambda's 412 for a `RevisionId` that is no longer current (of the function or of an
 * alias); undefined when none was given or it is current.
 */
export function staleRevisionId(
  current: string,
  given: string | undefined,
): Step<never> | undefined {
  if (given === undefined || given === current) {
    return undefined;
  }
  return refuse(
    lambdaError(
      412,
      "PreconditionFailedException",
      "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
    ),
  );
}

/** Lambda's 409 while the function's last update is still in progress, by the endpoint's clock. */
export function updateInProgress(
  call: LambdaCall,
  fn: FunctionDefinition,
  functionArn: string,
): Step<never> | undefined {
  if (fn.lastUpdate === undefined || call.now >= fn.lastUpdate.until) {
    return undefined;
  }
  return refuse(
    lambdaError(
      409,
      "ResourceConflictException",
      `The operation cannot be performed at this time. An update is in progress for resource: ${functionArn}`,
    ),
  );
}

/**
 * Records an update of the function's code or configuration: a new RevisionId and
 * LastModified, and `InProgress` for the endpoint's state transition time, ending
 * `Successful`, or `Failed` with the reason a test planted in `failNextUpdate`.
 */
export function recordUpdate(call: LambdaCall, fn: FunctionDefinition): void {
  const failure = fn.failNextUpdate;
  delete fn.failNextUpdate;
  fn.revisionId = randomUUID();
  fn.lastModified = lambdaTimestamp(call.now);
  fn.lastUpdate = {
    until: call.now + call.stateTransitionMs,
    ...(failure === undefined
      ? { status: "Successful" }
      : { status: "Failed", reasonCode: failure.reasonCode, reason: failure.reason }),
  };
}

/** What a published version freezes: `$LATEST`'s code and configuration, as one string. */
export function fingerprintOf(fn: FunctionDefinition): string {
  return JSON.stringify([
    functionPackage(fn).sha256,
    fn.runtime,
    fn.handler,
    fn.role,
    fn.description,
    fn.timeoutSeconds,
    fn.memorySizeMb,
    fn.environment,
    fn.layers,
    fn.deadLetterTargetArn,
    fn.architectures,
  ]);
}

/**
 * Publishes `$LATEST` as a new version, or returns the latest published version when it
 * already froze exactly this code and configuration (as PublishVersion does).
 */
export function publishLatest(fn: FunctionDefinition): string {
  const fingerprint = fingerprintOf(fn);
  const latest = (fn.versions ?? []).at(-1);
  if (latest !== undefined && fn.versionFingerprints?.[latest] === fingerprint) {
    return latest;
  }
  const highest = Math.max(fn.highestVersion ?? 0, ...(fn.versions ?? []).map(Number));
  const version = String(highest + 1);
  fn.highestVersion = highest + 1;
  fn.versions = [...(fn.versions ?? []), version];
  fn.versionFingerprints = { ...fn.versionFingerprints, [version]: fingerprint };
  return version;
}

/**
 * The whole function a change of `$LATEST` names (it takes no qualifier), refused with
 * Lambda's 409 while its last update is still in progress.
 */
export function locateForUpdate(call: LambdaCall, iamAction: string): Step<LocatedFunction> {
  const located = locateFunction(call, {
    functionName: call.labels.FunctionName ?? "",
    qualifier: undefined,
    iamAction,
    unqualifiedOnly: true,
  });
  if (!located.ok) {
    return located;
  }
  const { resolved, target } = located.value;
  return updateInProgress(call, resolved.fn, target.functionArn) ?? located;
}
