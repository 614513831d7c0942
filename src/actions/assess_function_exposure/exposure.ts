import type { PolicyStatement } from "../policyStatements.js";

/** How much a finding opens the function up. */
export type Severity = "high" | "medium" | "info";

/** Condition keys that tie a grant to one caller, account, organization or network. */
const NARROWING_KEYS = new Set([
  "aws:sourcearn",
  "aws:sourceaccount",
  "aws:sourceowner",
  "aws:principalorgid",
  "aws:principalorgpaths",
  "aws:principalaccount",
  "aws:principalarn",
  "aws:sourcevpc",
  "aws:sourcevpce",
  "aws:sourceip",
  "aws:sourceorgid",
  "aws:sourceorgpaths",
]);

/** What one statement grants, judged. */
export interface StatementVerdict {
  severity: Severity;
  /** Who may call, in words. */
  who: string;
  why: string;
}

/**
 * Judges one Allow statement of a function's resource-based policy: anyone (principal
 * `*` without a narrowing condition) is high, another account or a service without a
 * source condition (any account's resource could trigger it) is medium, the rest is no
 * finding. `account` is the function's own account; `urlOpen` says whether a
 * function URL with auth type NONE exists where the statement applies (a public
 * URL statement without one is dormant). Deny statements and grants to the function's
 * own account are not findings.
 *
 * @example
 * ```ts
 * judgeStatement({ sid: "p", effect: "Allow", principal: "*", action: ["lambda:InvokeFunction"], resource: [], conditions: {} }, "123456789012");
 * // { severity: "high", who: "anyone", … }
 * ```
 */
export function judgeStatement(
  statement: PolicyStatement,
  account: string | undefined,
  urlOpen?: boolean,
): StatementVerdict | undefined {
  if (statement.effect !== "Allow") {
    return undefined;
  }
  const narrowedBy = narrowingKeys(statement.conditions);
  const principals = principalsOf(statement.principal);
  if (principals.some((p) => p.kind === "anyone")) {
    return judgeAnyone(narrowedBy, urlAuthTypeOf(statement.conditions), urlOpen);
  }
  const foreign = principals.filter(
    (p): p is Extract<Principal, { kind: "account" }> =>
      p.kind === "account" && account !== undefined && p.account !== account,
  );
  if (foreign.length > 0 && narrowedBy.length === 0) {
    return {
      severity: "medium",
      who: `account ${foreign.map((p) => p.account).join(", ")}`,
      why: "Another AWS account may invoke the function; check that it is trusted.",
    };
  }
  const services = principals.filter(
    (p): p is Extract<Principal, { kind: "service" }> => p.kind === "service",
  );
  if (services.length > 0 && narrowedBy.length === 0) {
    return {
      severity: "medium",
      who: `service ${services.map((p) => p.name).join(", ")}`,
      why: "A service principal without aws:SourceArn or aws:SourceAccount: a resource of ANY account in that service can trigger the function (confused deputy).",
    };
  }
  return undefined;
}

/** Judges a grant to principal `*`: how its conditions and the function URL narrow it. */
function judgeAnyone(
  narrowedBy: string[],
  urlAuth: string | undefined,
  urlOpen: boolean | undefined,
): StatementVerdict {
  if (urlAuth === "AWS_IAM") {
    return {
      severity: "info",
      who: "any IAM principal allowed by its own policy, through the function URL",
      why: "The URL requires signed requests (AWS_IAM), so only callers with IAM permission can use it.",
    };
  }
  if (urlAuth === "NONE" && urlOpen === false) {
    return {
      severity: "info",
      who: "anyone, through the function URL, were its auth type NONE again",
      why: "The statement grants public URL access, but the URL now requires AWS_IAM or is gone: it is dormant. Remove it so that reopening the URL does not expose the function.",
    };
  }
  if (narrowedBy.length > 0) {
    return {
      severity: "info",
      who: `anyone matching ${narrowedBy.join(", ")}`,
      why: `Principal * is narrowed by the condition on ${narrowedBy.join(", ")}; check that the value names only trusted sources.`,
    };
  }
  return {
    severity: "high",
    who: "anyone",
    why:
      urlAuth === "NONE"
        ? "Principal * with FunctionUrlAuthType NONE: anyone on the internet can call the function URL."
        : "Principal * without a condition that narrows it: any AWS account can invoke the function.",
  };
}

type Principal =
  | { kind: "anyone" }
  | { kind: "account"; account: string }
  | { kind: "service"; name: string }
  | { kind: "other"; name: string };

function principalsOf(principal: unknown): Principal[] {
  if (principal === "*") {
    return [{ kind: "anyone" }];
  }
  if (typeof principal !== "object" || principal === null) {
    return [];
  }
  const result: Principal[] = [];
  for (const [type, value] of Object.entries(principal)) {
    for (const name of Array.isArray(value) ? value : [value]) {
      if (typeof name !== "string") {
        continue;
      }
      if (name === "*") {
        result.push({ kind: "anyone" });
      } else if (type === "Service") {
        result.push({ kind: "service", name });
      } else if (type === "AWS") {
        const account = /^(\d{12})$/.exec(name)?.[1] ?? /^arn:[^:]+:iam::(\d{12}):/.exec(name)?.[1];
        result.push(account === undefined ? { kind: "other", name } : { kind: "account", account });
      } else {
        result.push({ kind: "other", name });
      }
    }
  }
  return result;
}

/** The narrowing condition keys a statement's Condition block uses, as written. */
function narrowingKeys(conditions: Record<string, unknown>): string[] {
  const keys: string[] = [];
  for (const block of Object.values(conditions)) {
    if (typeof block === "object" && block !== null) {
      keys.push(...Object.keys(block).filter((key) => NARROWING_KEYS.has(key.toLowerCase())));
    }
  }
  return keys;
}

function urlAuthTypeOf(conditions: Record<string, unknown>): string | undefined {
  for (const block of Object.values(conditions)) {
    if (typeof block === "object" && block !== null) {
      for (const [key, value] of Object.entries(block)) {
        if (key.toLowerCase() === "lambda:functionurlauthtype") {
          return String(Array.isArray(value) ? value[0] : value);
        }
      }
    }
  }
  return undefined;
}

/** What assess_function_exposure reads of a function, for {@link judgeExposure}. */
export interface GatheredExposure {
  function_name: string;
  /** The function's ARN; "" when AWS did not give one. */
  arn: string;
  reserved_concurrent_executions: number | null;
  /** The aliases and published versions checked, besides the function itself. */
  qualifiers: string[];
  /** Whether more aliases or versions exist than were checked. */
  qualifiers_truncated: boolean;
  /** The policy and URL of the function (qualifier undefined) and of each qualifier. */
  places: GatheredPlace[];
  mappings: { uuid: string; state: string | null; event_source_arn: string | null }[];
}

/** The function, or one alias or version of it, with its policy and URL. */
export interface GatheredPlace {
  qualifier: string | undefined;
  statements: PolicyStatement[];
  /** undefined where no URL can exist (a published version). */
  url: { configured: boolean; auth_type: string | null; function_url: string | null } | undefined;
}

/** One way into the function, with the connector action that closes it. */
export interface Finding {
  severity: Severity;
  kind: "resource_policy" | "function_url" | "event_source_mapping";
  qualifier: string | null;
  what: string;
  why: string;
  containment: { action: string; inputs: Record<string, string | boolean> };
}

const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { high: 0, medium: 1, info: 2 };

/**
 * The verdict on what {@link GatheredExposure} holds: every finding, most severe first,
 * whether anyone can invoke the function, and what was checked.
 *
 * @example
 * ```ts
 * judgeExposure(gathered).exposed; // true when a finding is high
 * ```
 */
export function judgeExposure(gathered: GatheredExposure) {
  const account = /^arn:[^:]+:lambda:[^:]+:(\d{12}):/.exec(gathered.arn)?.[1];
  const findings = [
    ...gathered.places.flatMap((place) => placeFindings(gathered.function_name, place, account)),
    ...gathered.mappings.flatMap(mappingFindings),
  ].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  return {
    function_name: gathered.function_name,
    function_arn: gathered.arn === "" ? null : gathered.arn,
    exposed: findings.some((finding) => finding.severity === "high"),
    findings,
    checked: {
      qualifiers: gathered.qualifiers,
      policy_statements: gathered.places.reduce((sum, p) => sum + p.statements.length, 0),
      function_urls: gathered.places.filter((place) => place.url?.configured === true).length,
      event_source_mappings: gathered.mappings.length,
      qualifiers_truncated: gathered.qualifiers_truncated,
    },
    reserved_concurrent_executions: gathered.reserved_concurrent_executions,
  };
}

/** The findings of one place: its policy's statements, then its URL. */
function placeFindings(
  functionName: string,
  { qualifier, statements, url }: GatheredPlace,
  account: string | undefined,
): Finding[] {
  const target =
    qualifier === undefined
      ? { function_name: functionName }
      : { function_name: functionName, qualifier };
  const urlOpen = url?.configured === true && url.auth_type === "NONE";
  const findings: Finding[] = [];
  for (const statement of statements) {
    const verdict = judgeStatement(statement, account, urlOpen);
    if (verdict === undefined || statement.sid === null) {
      continue;
    }
    findings.push({
      severity: verdict.severity,
      kind: "resource_policy",
      qualifier: qualifier ?? null,
      what: `Statement ${statement.sid} allows ${verdict.who} to call ${statement.action.join(", ")}${qualifier === undefined ? "" : ` on ${qualifier}`}.`,
      why: verdict.why,
      containment: {
        action: "remove_permission",
        inputs: { ...target, statement_id: statement.sid },
      },
    });
  }
  if (urlOpen) {
    findings.push({
      severity: "high",
      kind: "function_url",
      qualifier: qualifier ?? null,
      what: `The function URL ${url.function_url ?? ""} has auth type NONE.`,
      why: "Anyone who knows the URL can call it over HTTPS, without signing; only its resource-policy statement for lambda:InvokeFunctionUrl stands in the way.",
      containment: {
        action: "update_function_url_config",
        inputs: { ...target, auth_type: "AWS_IAM" },
      },
    });
  }
  return findings;
}

function mappingFindings(mapping: GatheredExposure["mappings"][number]): Finding[] {
  if (mapping.state !== "Enabled" && mapping.state !== "Enabling") {
    return [];
  }
  return [
    {
      severity: "info",
      kind: "event_source_mapping",
      qualifier: null,
      what: `Trigger ${mapping.uuid} feeds it from ${mapping.event_source_arn ?? "an event source"} (${mapping.state}).`,
      why: "Whoever can write to that source drives the function; disable the trigger to stop it consuming events.",
      containment: {
        action: "update_event_source_mapping",
        inputs: { uuid: mapping.uuid, enabled: false },
      },
    },
  ];
}
