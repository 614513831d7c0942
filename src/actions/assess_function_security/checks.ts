import type { FunctionConfiguration, FunctionEventInvokeConfig } from "@aws-sdk/client-lambda";
import type { judgeExposure, Severity } from "../assess_function_exposure/exposure.js";
import { detectSecrets } from "./environmentSecrets.js";
import { RUNTIME_TABLE_AS_OF, runtimeStanding } from "./runtimes.js";

/** The checks of assess_function_security. */
export type Check =
  | "ways_in"
  | "environment"
  | "execution_role"
  | "runtime"
  | "supply_chain"
  | "data_paths"
  | "change_signals";

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** One finding of assess_function_security. */
export interface SecurityFinding {
  severity: Severity;
  check: Check;
  kind: string;
  qualifier: string | null;
  what: string;
  why: string;
  evidence: Record<string, Json>;
  containment: { action: string; inputs: Record<string, Json> } | null;
  remedy: string | null;
}

/** What the checks read of the function. */
export interface FunctionContext {
  functionName: string;
  /** The function's ARN; "" when AWS gave none. */
  arn: string;
  /** The run's clock, epoch milliseconds. */
  now: number;
  configuration: FunctionConfiguration;
  /** GetFunction's Code.SourceKMSKeyArn, when given. */
  sourceKmsKeyArn?: string | undefined;
}

const RUNTIME_SOURCE =
  "AWS Lambda Developer Guide, Lambda runtimes: deprecation dates (docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html)";

/** The exposure verdict's findings, as security findings. */
export function waysInFindings(exposure: ReturnType<typeof judgeExposure>): SecurityFinding[] {
  return exposure.findings.map((finding) => ({
    severity: finding.severity,
    check: "ways_in",
    kind: finding.kind,
    qualifier: finding.qualifier,
    what: finding.what,
    why: finding.why,
    evidence: { function_arn: exposure.function_arn },
    containment: finding.containment,
    remedy: null,
  }));
}

/** Likely secrets in the environment: the variable's name and detectors, never its value. */
export function environmentFindings({
  configuration,
  functionName,
}: FunctionContext): SecurityFinding[] {
  const kms = configuration.KMSKeyArn ?? null;
  return detectSecrets(configuration.Environment?.Variables ?? {}).map((suspect) => ({
    severity: suspect.credential_form ? "high" : "medium",
    check: "environment",
    kind: "secret_in_environment",
    qualifier: null,
    what: `Environment variable ${suspect.variable} likely holds a secret (${suspect.detectors.join(", ")}).`,
    why: `${suspect.credential_form ? "Its value has the form of a credential." : "Its name or randomness says it is one."} ${kms === null ? "The environment is encrypted only with Lambda's AWS-managed key" : `The environment is encrypted with the customer KMS key ${kms}`}, and whoever may call lambda:GetFunctionConfiguration reads it in plain text.`,
    evidence: {
      variable: suspect.variable,
      detectors: suspect.detectors,
      customer_kms_key: kms,
    },
    containment: null,
    remedy: `Treat it as leaked: rotate it at its issuer, then keep it in Secrets Manager or SSM Parameter Store (SecureString) and read it at run time; remove it from ${functionName}'s environment.`,
  }));
}

/** A deprecated runtime, or one within 90 days of deprecation, with its date. */
export function runtimeFindings(context: FunctionContext): SecurityFinding[] {
  const runtime = context.configuration.Runtime;
  if (runtime === undefined) {
    return [];
  }
  const standing = runtimeStanding(runtime, context.now);
  const evidence = { runtime, table_as_of: RUNTIME_TABLE_AS_OF, source: RUNTIME_SOURCE };
  if (standing.status === "unknown") {
    return [
      {
        severity: "info",
        check: "runtime",
        kind: "unknown_runtime",
        qualifier: null,
        what: `The runtime ${runtime} is not in the deprecation table of ${RUNTIME_TABLE_AS_OF}.`,
        why: "Its support could not be judged: check AWS's runtime deprecation schedule.",
        evidence: { ...evidence, deprecation_date: null },
        containment: null,
        remedy: null,
      },
    ];
  }
  if (standing.status === "supported") {
    return [];
  }
  const deprecated = standing.status === "deprecated";
  return [
    {
      severity: deprecated ? "medium" : "info",
      check: "runtime",
      kind: deprecated ? "deprecated_runtime" : "runtime_deprecating",
      qualifier: null,
      what: deprecated
        ? `The runtime ${runtime} was deprecated on ${standing.deprecation_date} (${standing.days} days ago).`
        : `The runtime ${runtime} is deprecated on ${standing.deprecation_date}, in ${standing.days} days.`,
      why: deprecated
        ? "A deprecated runtime gets no security patches, and Lambda blocks creating and then updating functions on it."
        : "From that date the runtime gets no security patches.",
      evidence: { ...evidence, deprecation_date: standing.deprecation_date },
      containment: null,
      remedy: "Move the function to a supported runtime of the same language.",
    },
  ];
}

/** The account of an ARN, or undefined when it has none (S3 buckets). */
function accountOf(arn: string): string | undefined {
  return /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/.exec(arn)?.[1];
}

/**
 * Layers of other accounts and a missing code-signing config. `signingConfigArn` is ""
 * when the function has none, undefined when it could not be read (reported apart).
 */
export function supplyChainFindings(
  context: FunctionContext,
  signingConfigArn: string | undefined,
): SecurityFinding[] {
  const own = accountOf(context.arn);
  const findings: SecurityFinding[] = [];
  for (const layer of context.configuration.Layers ?? []) {
    const arn = layer.Arn ?? "";
    const account = accountOf(arn);
    if (account !== undefined && account !== own) {
      findings.push({
        severity: "medium",
        check: "supply_chain",
        kind: "foreign_layer",
        qualifier: null,
        what: `The layer ${arn} comes from account ${account}${own === undefined ? "" : `, not the function's own ${own}`}.`,
        why: "Its code runs inside the function with the execution role's rights; whoever controls that account decides what a new version holds.",
        evidence: { layer_arn: arn, layer_account: account, function_account: own ?? null },
        containment: null,
        remedy:
          "Compare the layer's content with a trusted copy (acquire_function_evidence downloads it), and publish it in your own account.",
      });
    }
  }
  if (signingConfigArn === "") {
    findings.push({
      severity: "info",
      check: "supply_chain",
      kind: "no_code_signing",
      qualifier: null,
      what: "The function has no code-signing config.",
      why: "Lambda runs any package whoever may update the function uploads, signed or not.",
      evidence: { source_kms_key_arn: context.sourceKmsKeyArn ?? null },
      containment: null,
      remedy: "Attach a code-signing config that enforces signatures from your signing profiles.",
    });
  }
  return findings;
}

/**
 * Data paths out: async destinations and the dead-letter target in other accounts, and
 * recursion detection turned off. `configs` and `recursiveLoop` are undefined when they
 * could not be read (reported apart).
 */
export function dataPathFindings(
  context: FunctionContext,
  configs: FunctionEventInvokeConfig[] | undefined,
  recursiveLoop: string | undefined,
): SecurityFinding[] {
  const own = accountOf(context.arn);
  const findings: SecurityFinding[] = [];
  const outOf = (target: string, where: string, qualifier: string | null) => {
    const account = accountOf(target);
    if (account === undefined || account === own) {
      return;
    }
    findings.push({
      severity: "medium",
      check: "data_paths",
      kind: "foreign_destination",
      qualifier,
      what: `The ${where} ${target} is in account ${account}.`,
      why: "Every event (and its payload) that takes this path leaves for another account: an exfiltration path.",
      evidence: { target_arn: target, target_account: account, function_account: own ?? null },
      containment: null,
      remedy: "Remove the destination or dead-letter target unless that account is trusted.",
    });
  };
  const dlq = context.configuration.DeadLetterConfig?.TargetArn;
  if (dlq !== undefined && dlq !== "") {
    outOf(dlq, "dead-letter target", null);
  }
  for (const config of configs ?? []) {
    const qualifier = /:function:[^:]+:([^:]+)$/.exec(config.FunctionArn ?? "")?.[1] ?? null;
    for (const [when, destination] of [
      ["on-success destination", config.DestinationConfig?.OnSuccess?.Destination],
      ["on-failure destination", config.DestinationConfig?.OnFailure?.Destination],
    ] as const) {
      if (destination !== undefined && destination !== "") {
        outOf(destination, `asynchronous ${when}`, qualifier);
      }
    }
  }
  if (recursiveLoop === "Allow") {
    findings.push({
      severity: "medium",
      check: "data_paths",
      kind: "recursion_allowed",
      qualifier: null,
      what: "Recursive loop detection is turned off (RecursiveLoop Allow).",
      why: "A loop through SQS, SNS or S3 back to the function runs until stopped, at the account's cost.",
      evidence: { recursive_loop: recursiveLoop },
      containment: null,
      remedy: "Set the recursion config back to Terminate unless the loop is intended.",
    });
  }
  return findings;
}

/** The function changed, or versions were published, within the last `hours`. */
export function changeSignalFindings(
  context: FunctionContext,
  versions: { version: string; last_modified: string | null }[],
  hours: number,
): SecurityFinding[] {
  const since = context.now - hours * 3_600_000;
  const within = (at: string | null | undefined) =>
    at !== null && at !== undefined && Date.parse(at) >= since;
  const findings: SecurityFinding[] = [];
  const modified = context.configuration.LastModified;
  if (within(modified)) {
    findings.push({
      severity: "info",
      check: "change_signals",
      kind: "recently_modified",
      qualifier: null,
      what: `The function was changed at ${modified}, within the last ${hours} hours.`,
      why: "A change close to an alert is the first thing to explain: compare the code and configuration with the last known good.",
      evidence: {
        last_modified: modified ?? null,
        revision_id: context.configuration.RevisionId ?? null,
        code_sha256: context.configuration.CodeSha256 ?? null,
      },
      containment: null,
      remedy: "Preserve the evidence (acquire_function_evidence) before changing anything.",
    });
  }
  const published = versions.filter((v) => within(v.last_modified));
  if (published.length > 0) {
    findings.push({
      severity: "info",
      check: "change_signals",
      kind: "recent_versions",
      qualifier: null,
      what: `Versions ${published.map((v) => v.version).join(", ")} were published within the last ${hours} hours.`,
      why: "New versions can be pointed at by aliases and triggers: check who published them and what changed.",
      evidence: {
        versions: published.map((v) => ({ version: v.version, last_modified: v.last_modified })),
      },
      containment: null,
      remedy: null,
    });
  }
  return findings;
}
