import type { Executor } from "../../aws/executor.js";
import {
  assessFunctionExposure,
  assessFunctionExposureAction,
} from "../assess_function_exposure/assess_function_exposure.js";

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
  containment: { action: string; inputs: Record<string, string | boolean | number> };
}

/** One check the sweep can run on every function: its IAM needs and its judge. */
export interface SweepCheck {
  /** What the README and the manifest say it does. */
  description: string;
  /** The IAM actions its reads need, per function. */
  iamActions: readonly string[];
  /** Judges one function, named by its ARN, through the executor of its account and region. */
  run(functionArn: string, executor: Executor): Promise<CheckFinding[]>;
}

/**
 * The checks `checks` may name, one row each. The posture issue's security judge is one
 * more row here once it exists; a name is offered only when its row really runs its judge.
 */
export const SWEEP_CHECKS = {
  exposure: {
    description:
      "assess_function_exposure on each function: resource policies open to anyone or other accounts, function URLs without auth, triggers, on the function and each alias and version.",
    iamActions: assessFunctionExposureAction.iamActions,
    run: async (functionArn, executor) =>
      (await assessFunctionExposure({ function_name: functionArn }, executor)).findings,
  },
} as const satisfies Record<string, SweepCheck>;

/** The name of one check. */
export type CheckName = keyof typeof SWEEP_CHECKS;

/** Every check's name, in the table's order. */
export const CHECK_NAMES = Object.keys(SWEEP_CHECKS) as [CheckName, ...CheckName[]];
