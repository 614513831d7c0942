import type { Executor } from "../../aws/executor.js";
import {
  assessFunctionExposure,
  assessFunctionExposureAction,
  MAX_QUALIFIERS,
} from "../assess_function_exposure/assess_function_exposure.js";
import {
  assessFunctionSecurity,
  assessFunctionSecurityAction,
} from "../assess_function_security/assess_function_security.js";
import { RolePolicyCache } from "../assess_function_security/executionRole.js";
import { isThrottled, isTransient } from "./pool.js";

/** Severities a check may report, most severe first: the order findings are ranked in. */
export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;

/** One severity. */
export type Severity = (typeof SEVERITIES)[number];

/** One finding of a check on one function, before the sweep adds where it was found. */
export interface CheckFinding {
  severity: Severity;
  /** What kind of thing it is about, as the check names it (`resource_policy`, `function_url`, …). */
  kind: string;
  qualifier: string | null;
  what: string;
  why: string;
  /** The connector action that closes it; null when none does (then `remedy` says what to do). */
  containment: { action: string; inputs: Record<string, Json> } | null;
  /** What to do beyond the connector, when the check says. */
  remedy: string | null;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A read a check could not make on one function: the check is incomplete there, never clean. */
export interface IncompleteRead {
  /** The read that failed, e.g. "execution_role: attached policies of role app-role". */
  what: string;
  /** The connector's error code (access_denied, endpoint_error, …). */
  code: string;
  message: string;
}

/** What one check made of one function: its findings, and every read it could not make. */
export interface CheckResult {
  findings: CheckFinding[];
  incomplete: IncompleteRead[];
}

/** One check the sweep can run on every function: its IAM needs and its judge. */
export interface SweepCheck {
  /** What the README and the manifest say it does. */
  description: string;
  /** The IAM actions its reads need, per function. */
  iamActions: readonly string[];
  /**
   * Judges one function, named by its ARN, through the executor of its account and
   * region. Throttling and failures on the way are thrown, for the sweep's pool to back
   * off and send the function's check again; a read denied or not served is incomplete.
   */
  run(functionArn: string, executor: Executor, shared: SweepShared): Promise<CheckResult>;
}

/** What the checks of one sweep share: reads that are the same for many functions. */
export interface SweepShared {
  /** Execution roles' policies, read once per role (IAM is global: one account's role is the same in every region). */
  rolePolicies: RolePolicyCache;
}

/** A fresh share for one sweep. */
export function sweepShared(): SweepShared {
  return { rolePolicies: new RolePolicyCache() };
}

/** How far back the security check reports a change of the function (its changed_within_hours default). */
const CHANGED_WITHIN_HOURS = 72;

/**
 * The checks `checks` may name, one row each; a name is offered only when its row really
 * runs its judge.
 */
export const SWEEP_CHECKS = {
  exposure: {
    description:
      "assess_function_exposure on each function: resource policies open to anyone or other accounts, function URLs without auth, triggers, on the function and each alias and version.",
    iamActions: assessFunctionExposureAction.iamActions,
    run: async (functionArn, executor) => {
      const judged = await assessFunctionExposure({ function_name: functionArn }, executor);
      return {
        findings: judged.findings.map((finding) => ({ ...finding, remedy: null })),
        incomplete: judged.complete
          ? []
          : [
              {
                what: `aliases and versions past the first ${MAX_QUALIFIERS}`,
                code: "endpoint_error",
                message:
                  "The walk of aliases and versions stopped before the end: their policies and URLs were not checked.",
              },
            ],
      };
    },
  },
  security: {
    description:
      "assess_function_security on each function: the exposure's ways in, secrets in environment variables (names, never values), the execution role's policies (IAM), runtime deprecation, layers of other accounts and code signing, destinations and recursion, changes of the last 72 hours; a read denied or not served leaves the function incomplete, never clean.",
    iamActions: assessFunctionSecurityAction.iamActions,
    run: async (functionArn, executor, shared) => {
      const judged = await assessFunctionSecurity(
        { function_name: functionArn, changed_within_hours: CHANGED_WITHIN_HOURS },
        executor,
        // The pool backs off and sends the whole check again: a throttled read is not a gap.
        {
          rethrow: (error) => isThrottled(error) || isTransient(error),
          rolePolicies: shared.rolePolicies,
        },
      );
      const incomplete: IncompleteRead[] = judged.incomplete_checks.map((read) => ({
        what: `${read.check}: ${read.what}`,
        code: read.error_code,
        message: read.message,
      }));
      if (!judged.complete && incomplete.length === 0) {
        incomplete.push({
          what: "ways_in: the exposure's reads",
          code: "endpoint_error",
          message: "The exposure judge did not complete its walk.",
        });
      }
      return {
        // A read that could not be made is listed as incomplete, not as a finding.
        findings: judged.findings
          .filter((finding) => finding.kind !== "could_not_check")
          .map((finding) => ({
            severity: finding.severity,
            kind: finding.kind,
            qualifier: finding.qualifier,
            what: finding.what,
            why: finding.why,
            containment: finding.containment as CheckFinding["containment"],
            remedy: finding.remedy,
          })),
        incomplete,
      };
    },
  },
} as const satisfies Record<string, SweepCheck>;

/** The name of one check. */
export type CheckName = keyof typeof SWEEP_CHECKS;

/** Every check's name, in the table's order. */
export const CHECK_NAMES = Object.keys(SWEEP_CHECKS) as [CheckName, ...CheckName[]];
