import {
  type FunctionConfiguration,
  GetFunctionCodeSigningConfigCommand,
  type GetFunctionCodeSigningConfigCommandOutput,
  type GetFunctionCommandOutput,
  GetFunctionRecursionConfigCommand,
  type GetFunctionRecursionConfigCommandOutput,
  ListFunctionEventInvokeConfigsCommand,
  type ListFunctionEventInvokeConfigsCommandOutput,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import type { AwsCall } from "../../aws/call.js";
import type { Executor } from "../../aws/executor.js";
import { ConnectorError } from "../../errors.js";
import { field, functionNameOutput } from "../../outputFields.js";
import {
  assessFunctionExposureAction,
  assessFunctionExposureOutput,
  gatherWaysIn,
  MAX_QUALIFIERS,
  type Tolerate,
} from "../assess_function_exposure/assess_function_exposure.js";
import { judgeExposure, type Severity } from "../assess_function_exposure/exposure.js";
import { defineCustomAction } from "../defineAction.js";
import { onFunction, unqualifiedFunctionNameInput } from "../fields.js";
import { type FunctionInputs, getFunction } from "../reads.js";
import {
  type Check,
  changeSignalFindings,
  dataPathFindings,
  environmentFindings,
  runtimeFindings,
  type SecurityFinding,
  supplyChainFindings,
  waysInFindings,
} from "./checks.js";
import {
  judgeRolePolicies,
  ROLE_READS,
  type RolePolicyCache,
  readRolePolicies,
} from "./executionRole.js";
import { RUNTIME_TABLE_AS_OF } from "./runtimes.js";

const CHECKS = [
  "ways_in",
  "environment",
  "execution_role",
  "runtime",
  "supply_chain",
  "data_paths",
  "change_signals",
] as const satisfies readonly Check[];

const findingSchema = z.object({
  severity: z.enum(["high", "medium", "info"]).meta({
    description:
      "high: exploitable now (anyone can invoke, a credential in plain sight, admin rights); medium: worth acting on; info: worth knowing.",
  }),
  check: z.enum(CHECKS).meta({ description: "Which check found it." }),
  kind: field.text(
    "What it is, e.g. resource_policy, function_url, secret_in_environment, role_policy, deprecated_runtime, could_not_check.",
  ),
  qualifier: field.nullableText(
    "The alias or version it applies to; null for the function itself.",
  ),
  what: field.text("What was found."),
  why: field.text("Why it matters."),
  evidence: z.record(z.string(), z.json()).meta({
    description:
      "What the finding rests on (names, ARNs, dates, detectors); never a secret's value or any part of it.",
  }),
  containment: z
    .object({
      action: field.text("The connector action that closes or contains it."),
      inputs: z.record(z.string(), z.json()).meta({ description: "Its inputs." }),
    })
    .nullable()
    .meta({ description: "How to contain it with this connector; null when no action does." }),
  remedy: field.nullableText("What to do beyond the connector, or null."),
});

/** The output of assess_function_security. */
export const assessFunctionSecurityOutput = z.object({
  function_name: functionNameOutput,
  function_arn: field.nullableText("Its ARN, as GetFunction gave it."),
  verdict: z.enum(["high", "medium", "incomplete", "low", "clean"]).meta({
    description:
      "high or medium: the worst finding; incomplete: no high or medium finding, but some check could not be made (never read as clean); low: only info findings; clean: every check made, nothing found.",
  }),
  complete: field.flag(
    "true when every check was made; false when any read was denied or not served.",
  ),
  incomplete_checks: z
    .array(
      z.object({
        check: z.enum(CHECKS).meta({ description: "The check left incomplete." }),
        what: field.text("The read that failed."),
        error_code: field.text("The connector's error code, e.g. access_denied."),
        message: field.text("The error, as the connector names it."),
      }),
    )
    .meta({ description: "Every read that failed, so its check is incomplete." }),
  counts: z
    .object({
      high: field.integer("High findings."),
      medium: field.integer("Medium findings."),
      info: field.integer("Info findings (could-not-check ones included)."),
    })
    .meta({ description: "How many findings of each severity." }),
  findings: z.array(findingSchema).meta({ description: "Every finding, most severe first." }),
  exposure: assessFunctionExposureOutput.meta({
    description: "The exposure verdict, exactly as assess_function_exposure gives it.",
  }),
  runtime_table_as_of: field.text(
    "The date of the runtime deprecation table (AWS's schedule) the runtime check used.",
  ),
  assessed_at: z.string().meta({
    format: "date-time",
    description: "When the assessment ran, ISO 8601 in UTC, e.g. 2026-03-01T12:00:00.000Z.",
  }),
});

/** The security reads besides the exposure's, declared for the executor and docs/iam. */
const SECURITY_READS: Readonly<
  Record<"codeSigning" | "invokeConfigs" | "recursion", AwsCall<FunctionInputs>>
> = {
  codeSigning: { operation: "GetFunctionCodeSigningConfig", ...onFunction, retry: "idempotent" },
  invokeConfigs: {
    operation: "ListFunctionEventInvokeConfigs",
    ...onFunction,
    retry: "idempotent",
  },
  recursion: { operation: "GetFunctionRecursionConfig", ...onFunction, retry: "idempotent" },
};

/**
 * assess_function_security: one verdict over every check a responder makes on a suspect
 * function, each finding with its evidence and the action that contains it.
 */
export const assessFunctionSecurityAction = defineCustomAction({
  name: "assess_function_security",
  title: "Assess Function Security",
  description:
    "One security verdict on a function: ways in (the exposure judge), secrets in environment variables (names and detectors, never values), the execution role's blast radius (IAM), runtime deprecation, supply chain (layers of other accounts, code signing), data paths out (destinations, dead-letter targets, recursion) and recent changes. A read that is denied or not served is a could-not-check finding, and the verdict is then incomplete, never clean.",
  inputs: z.strictObject({
    function_name: unqualifiedFunctionNameInput("the assessment covers every alias and version"),
    changed_within_hours: z
      .number({ error: "must be a whole number of hours" })
      .int("must be a whole number of hours")
      .min(1, "must be between 1 and 8760 hours (a year)")
      .max(8760, "must be between 1 and 8760 hours (a year)")
      .default(72)
      .meta({
        title: "Changed Within Hours",
        description:
          "Report a change of the function, or a version published, within this many hours (default 72).",
      }),
  }),
  output: assessFunctionSecurityOutput,
  iamActions: [
    ...assessFunctionExposureAction.iamActions,
    "lambda:GetFunctionCodeSigningConfig",
    "lambda:ListFunctionEventInvokeConfigs",
    "lambda:GetFunctionRecursionConfig",
    ...Object.values(ROLE_READS).map((read) => `iam:${read.operation}`),
  ],
  why: "It combines the exposure reads with IAM, code-signing, destination and recursion reads into one verdict, and a failed read is a finding, not a failure.",
  run: assessFunctionSecurity,
});

/** A read that failed, recorded for its check. */
interface Unread {
  check: Check;
  what: string;
  error: ConnectorError;
}

const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { high: 0, medium: 1, info: 2 };

/** Failed reads thrown instead of recorded as could-not-check. */
interface AssessOptions {
  /**
   * sweep_functions rethrows throttling and failures on the way, so that its pool backs
   * off and sends the assessment again. None by default.
   */
  rethrow?: (error: ConnectorError) => boolean;
  /** Role policies shared by the functions of one run (sweep_functions); read afresh when absent. */
  rolePolicies?: RolePolicyCache;
}

type Output = z.input<typeof assessFunctionSecurityOutput>;

/**
 * Reads everything the checks need, each failure recorded as "could not check", and
 * judges it.
 *
 * @example
 * ```ts
 * const { verdict, findings } = await assessFunctionSecurity({ function_name: "echo", changed_within_hours: 72 }, executor);
 * ```
 */
export async function assessFunctionSecurity(
  inputs: { function_name: string; changed_within_hours: number },
  executor: Executor,
  options: AssessOptions = {},
): Promise<Output> {
  const now = executor.now();
  const name = inputs.function_name;
  const unread: Unread[] = [];
  const reads = await readForChecks(name, executor, unread, options);
  const { configuration, arn, exposure } = reads;
  noteUnfinishedWalk(exposure.complete, unread);
  const context = {
    functionName: name,
    arn,
    now,
    configuration,
    sourceKmsKeyArn: reads.sourceKmsKeyArn,
  };
  const findings: SecurityFinding[] = [
    ...waysInFindings(exposure),
    ...environmentFindings(context),
    ...roleFindings(name, configuration.Role ?? null, reads.policies),
    ...runtimeFindings(context),
    ...supplyChainFindings(
      context,
      reads.signing === undefined ? undefined : (reads.signing.CodeSigningConfigArn ?? ""),
    ),
    ...dataPathFindings(context, reads.destinations?.items, reads.recursion?.RecursiveLoop),
    ...changeSignalFindings(context, reads.versions, inputs.changed_within_hours),
    ...unread.map(couldNotCheck),
  ].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  const counts = { high: 0, medium: 0, info: 0 };
  for (const finding of findings) {
    counts[finding.severity] += 1;
  }
  const complete = unread.length === 0 && exposure.complete;
  return {
    function_name: name,
    function_arn: arn === "" ? null : arn,
    verdict: verdictOf(counts, complete),
    complete,
    incomplete_checks: unread.map(({ check, what, error }) => ({
      check,
      what,
      error_code: error.code,
      message: error.message,
    })),
    counts,
    findings,
    exposure,
    runtime_table_as_of: RUNTIME_TABLE_AS_OF,
    assessed_at: new Date(now).toISOString(),
  };
}

/** A reader per check that records a failed read as unread there instead of throwing it. */
function tolerantReads(unread: Unread[], options: AssessOptions): (check: Check) => Tolerate {
  return (check) => async (what, read) => {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof ConnectorError) || options.rethrow?.(error) === true) {
        throw error;
      }
      unread.push({ check, what, error });
      return undefined;
    }
  };
}

/** Every read the checks judge: the function, its ways in, signing, destinations, recursion, role. */
async function readForChecks(
  name: string,
  executor: Executor,
  unread: Unread[],
  options: AssessOptions,
) {
  const tolerant = tolerantReads(unread, options);
  const target = { function_name: name };
  const fn = await executor.send<GetFunctionCommandOutput, FunctionInputs>(
    getFunction,
    getFunction.command(target),
    target,
  );
  const configuration: FunctionConfiguration = fn.Configuration ?? {};
  const arn = configuration.FunctionArn ?? "";
  const gathered = await gatherWaysIn(
    {
      function_name: name,
      arn,
      reserved_concurrent_executions: fn.Concurrency?.ReservedConcurrentExecutions ?? null,
    },
    executor,
    tolerant("ways_in"),
  );
  const signing = await tolerant("supply_chain")("code-signing config", () =>
    executor.send<GetFunctionCodeSigningConfigCommandOutput, FunctionInputs>(
      SECURITY_READS.codeSigning,
      new GetFunctionCodeSigningConfigCommand({ FunctionName: name }),
      target,
    ),
  );
  const { destinations, recursion } = await readDataPaths(name, executor, tolerant, unread);
  const role = configuration.Role ?? "";
  const policies = /^arn:[^:]+:iam::\d{12}:role\//.test(role)
    ? await (options.rolePolicies === undefined
        ? readRolePolicies(role, executor, tolerant("execution_role"))
        : options.rolePolicies.read(role, executor, tolerant("execution_role")))
    : undefined;
  return {
    configuration,
    arn,
    sourceKmsKeyArn: fn.Code?.SourceKMSKeyArn,
    exposure: judgeExposure(gathered),
    versions: gathered.versions,
    signing,
    destinations,
    recursion,
    policies,
  };
}

/** The function's data paths out: its destinations (event invoke configs) and recursion setting. */
async function readDataPaths(
  name: string,
  executor: Executor,
  tolerant: (check: Check) => Tolerate,
  unread: Unread[],
) {
  const target = { function_name: name };
  const dataRead = tolerant("data_paths");
  const destinations = await dataRead("event invoke configs (destinations)", () =>
    readInvokeConfigs(name, executor),
  );
  if (destinations?.truncated === true) {
    unread.push({
      check: "data_paths",
      what: "event invoke configs past the first 10000",
      error: new ConnectorError("endpoint_error", "The walk of event invoke configs stopped.", {
        hint: "Run the assessment again.",
      }),
    });
  }
  const recursion = await dataRead("recursion config", () =>
    executor.send<GetFunctionRecursionConfigCommandOutput, FunctionInputs>(
      SECURITY_READS.recursion,
      new GetFunctionRecursionConfigCommand({ FunctionName: name }),
      target,
    ),
  );
  return { destinations, recursion };
}

/** A walk of aliases and versions stopped before its end leaves the ways in unread: never clean. */
function noteUnfinishedWalk(complete: boolean, unread: Unread[]): void {
  if (!complete && !unread.some((u) => u.check === "ways_in")) {
    unread.push({
      check: "ways_in",
      what: `aliases and versions past the first ${MAX_QUALIFIERS}`,
      error: new ConnectorError(
        "endpoint_error",
        "The walk of aliases and versions stopped before the end.",
        { hint: "Run the assessment again; assess_function_exposure shows which were checked." },
      ),
    });
  }
}

/** The function's event invoke configs (its destinations), walked up to 10,000. */
function readInvokeConfigs(name: string, executor: Executor) {
  return executor.paginate(
    SECURITY_READS.invokeConfigs,
    {
      command: (page) =>
        new ListFunctionEventInvokeConfigsCommand({
          FunctionName: name,
          MaxItems: Math.min(page.maxItems, 50),
          ...(page.marker === undefined ? {} : { Marker: page.marker }),
        }),
      items: (response: ListFunctionEventInvokeConfigsCommandOutput) =>
        response.FunctionEventInvokeConfigs ?? [],
      nextMarker: (response) => response.NextMarker,
      maxItems: 10_000,
    },
    { function_name: name },
  );
}

/** The execution role's risky grants, each contained by throttling the function. */
function roleFindings(
  name: string,
  role: string | null,
  policies: Awaited<ReturnType<typeof readRolePolicies>> | undefined,
): SecurityFinding[] {
  if (policies === undefined) {
    return [];
  }
  return judgeRolePolicies(policies).map((risk) => ({
    severity: risk.severity,
    check: "execution_role" as const,
    kind: "role_policy",
    qualifier: null,
    what: risk.what,
    why: risk.why,
    evidence: { role, policy: risk.policy },
    containment: {
      action: "put_function_concurrency",
      inputs: { function_name: name, reserved_concurrent_executions: 0 },
    },
    remedy:
      "Throttling stops the function's code from using the role; quarantine_execution_role (recovery actions) denies the role itself and revokes its sessions. Then narrow the policy to what the function needs.",
  }));
}

/** A read that failed, as an info finding: what it would show is unknown. */
function couldNotCheck({ check, what, error }: Unread): SecurityFinding {
  return {
    severity: "info",
    check,
    kind: "could_not_check",
    qualifier: null,
    what: `Could not check the ${what}: ${error.code}.`,
    why: "What this read would show is unknown, so the verdict is incomplete, not clean.",
    evidence: {
      error_code: error.code,
      aws_error_code: error.awsErrorCode ?? null,
      message: error.message,
    },
    containment: null,
    remedy:
      error.code === "access_denied"
        ? error.hint
        : "The endpoint did not answer this read: check it by hand (AWS console or CLI) before calling the function clean.",
  };
}

/** The one verdict: never clean (nor low) while a check is incomplete. */
function verdictOf(
  counts: Readonly<Record<Severity, number>>,
  complete: boolean,
): Output["verdict"] {
  if (counts.high > 0) {
    return "high";
  }
  if (counts.medium > 0) {
    return "medium";
  }
  if (!complete) {
    return "incomplete";
  }
  return counts.info > 0 ? "low" : "clean";
}
