import { matchesIamAction, type PolicyStatement } from "../policyStatements.js";
import {
  describeReach,
  type NarrowingCondition,
  narrowingConditions,
  type Reach,
  reachOf,
} from "./conditionReach.js";

/** How much a finding opens the function up. */
export type Severity = "high" | "medium" | "info";

/** What one statement grants, judged. */
export interface StatementVerdict {
  severity: Severity;
  /** Who may call, in words. */
  who: string;
  why: string;
}

/**
 * The function URL where a statement applies, and what the policy there grants to
 * anyone for it: a URL with auth type NONE is callable only when the policy grants
 * `lambda:InvokeFunctionUrl` to `*`, and since October 2025 new URLs also need
 * `lambda:InvokeFunction` (the console adds it with `lambda:InvokedViaFunctionUrl`).
 */
export interface PlaceUrl {
  /** The URL's auth type; null when no URL exists there. */
  auth: "NONE" | "AWS_IAM" | null;
  /** A statement grants lambda:InvokeFunctionUrl to anyone, unnarrowed, for this auth type. */
  urlGrant: boolean;
  /** A statement grants lambda:InvokeFunction to anyone, unnarrowed or only through the URL. */
  invokeGrant: boolean;
}

/** When the URL is not known: judged as if the URL the statement names existed, with both grants. */
function unknownUrl(statement: PolicyStatement): PlaceUrl {
  const auth = urlAuthTypeOf(statement.conditions) === "AWS_IAM" ? "AWS_IAM" : "NONE";
  return { auth, urlGrant: true, invokeGrant: true };
}

/**
 * Judges one Allow statement of a function's resource-based policy by what it grants
 * (invoke, invoke through the URL, or only reads such as lambda:GetFunction), to whom,
 * and how far the VALUES of its conditions narrow that (see {@link narrowingConditions}).
 * `account` is the function's own account (when undefined, the account of the
 * statement's resource ARNs); `url` is the function URL where the statement applies
 * (unknown: judged as open). Deny statements, grants to the function's own account and
 * services tied to the function's own account or one named resource are no finding.
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
  url: PlaceUrl = unknownUrl(statement),
): StatementVerdict | undefined {
  const grants = grantsOf(statement.action);
  if (statement.effect !== "Allow" || grants === undefined) {
    return undefined;
  }
  const own = account ?? accountOfResources(statement.resource);
  const conditions = narrowingConditions(statement.conditions, own);
  const reach = reachOf(conditions);
  const principals = principalsOf(statement.principal);
  if (principals.some((p) => p.kind === "anyone")) {
    return judgeAnyone(statement, grants, conditions, reach, url);
  }
  const accounts = principals.flatMap((p) => (p.kind === "account" ? [p.account] : []));
  const foreign = accounts.filter((a) => own === undefined || a !== own);
  if (foreign.length > 0) {
    const narrowed =
      reach.kind === "any" ? "" : ` Its condition narrows it to ${describeReach(reach)}.`;
    return {
      severity: "medium",
      who: `account ${foreign.join(", ")}${own === undefined ? " (the function's own account is unknown)" : ""}`,
      why: `${grants.invoke || grants.url ? "Another AWS account may invoke the function; check that it is trusted." : `Another AWS account may call ${grants.reads.join(", ")} (not invoke): it can read the function's configuration and code.`}${narrowed}`,
    };
  }
  const services = principals.flatMap((p) => (p.kind === "service" ? [p.name] : []));
  if (services.length > 0) {
    return judgeService(services, conditions, reach);
  }
  return undefined;
}

/** What a statement's actions let a caller do; undefined when nothing this judge rates. */
function grantsOf(
  actions: string[],
): { invoke: boolean; url: boolean; reads: string[] } | undefined {
  const covers = (name: string) => actions.some((pattern) => matchesIamAction(pattern, name));
  const invoke = covers("lambda:InvokeFunction") || covers("lambda:InvokeAsync");
  const url = covers("lambda:InvokeFunctionUrl");
  const reads = actions.filter((a) => !/^lambda:invoke/i.test(a) && a !== "*" && a !== "lambda:*");
  return invoke || url || reads.length > 0 ? { invoke, url, reads } : undefined;
}

/** Judges a grant to principal `*`: its most severe way in among invoke, URL and read. */
function judgeAnyone(
  statement: PolicyStatement,
  grants: { invoke: boolean; url: boolean; reads: string[] },
  conditions: NarrowingCondition[],
  reach: Reach,
  url: PlaceUrl,
): StatementVerdict {
  const verdicts: StatementVerdict[] = [];
  if (reach.kind !== "any") {
    const keys = conditions.map((c) => c.key).join(", ");
    verdicts.push({
      severity: reach.kind === "account" ? "medium" : "info",
      who: `anyone matching ${keys}`,
      why: `Principal * is narrowed by the condition on ${keys} to ${describeReach(reach)}; check that it names only trusted sources.`,
    });
  } else {
    if (grants.url) {
      verdicts.push(judgeUrlGrant(urlAuthTypeOf(statement.conditions), url));
    }
    if (grants.invoke) {
      // lambda:FunctionUrlAuthType is in the request only when it comes through the URL.
      const viaUrl =
        invokedViaUrl(statement.conditions) || urlAuthTypeOf(statement.conditions) !== undefined;
      verdicts.push(judgeInvokeGrant(viaUrl, url));
    }
    if (!grants.url && !grants.invoke) {
      verdicts.push({
        severity: "medium",
        who: "anyone",
        why: `Principal * may call ${grants.reads.join(", ")}: not invoke, but read the function's configuration and download its code.`,
      });
    }
  }
  return verdicts.reduce((worst, v) =>
    SEVERITY_ORDER[v.severity] < SEVERITY_ORDER[worst.severity] ? v : worst,
  );
}

/** Principal * with lambda:InvokeFunctionUrl, for URLs of `authType` (any when undefined). */
function judgeUrlGrant(authType: string | undefined, url: PlaceUrl): StatementVerdict {
  if (url.auth === null || (authType !== undefined && authType !== url.auth)) {
    return {
      severity: "info",
      who: `anyone, through the function URL, were its auth type ${authType ?? "NONE"} again`,
      why: `The statement grants URL access, but no URL${authType === undefined ? "" : ` of auth type ${authType}`} exists where it applies: it is dormant. Remove it so that reopening the URL does not expose the function.`,
    };
  }
  if (url.auth === "AWS_IAM") {
    return {
      severity: "high",
      who: "any AWS account, through the function URL, signed",
      why: "The URL requires signed requests (AWS_IAM), but Principal * lets ANY AWS account grant itself lambda:InvokeFunctionUrl and call it signed.",
    };
  }
  return {
    severity: "high",
    who: "anyone",
    why: `Principal * with FunctionUrlAuthType NONE: anyone on the internet can call the function URL. ${urlRule(url)}`,
  };
}

/** Principal * with lambda:InvokeFunction, only through the URL when `viaUrl`. */
function judgeInvokeGrant(viaUrl: boolean, url: PlaceUrl): StatementVerdict {
  if (!viaUrl) {
    return {
      severity: "high",
      who: "anyone",
      why: "Principal * without a condition that narrows it: any AWS account can invoke the function.",
    };
  }
  if (url.auth !== null && url.urlGrant) {
    return {
      severity: "high",
      who: "anyone, through the function URL",
      why: `lambda:InvokeFunction with lambda:InvokedViaFunctionUrl and lambda:InvokeFunctionUrl are both granted to *: anyone ${url.auth === "NONE" ? "on the internet" : "with AWS credentials of any account"} can call the function URL.`,
    };
  }
  return {
    severity: "info",
    who: "anyone, only through a function URL",
    why: `lambda:InvokeFunction is granted to * only through a function URL (lambda:InvokedViaFunctionUrl), and ${url.auth === null ? "no URL exists there" : "lambda:InvokeFunctionUrl is not granted to *"}: no account can invoke the function this way now. Remove it so that a new URL does not expose the function.`,
  };
}

/** Which of the URL permission rules (before and since October 2025) applies to an open URL. */
function urlRule(url: PlaceUrl): string {
  return url.invokeGrant
    ? "lambda:InvokeFunction is granted to * too, so it is callable under both rules (URLs created since October 2025 need both permissions)."
    : "lambda:InvokeFunction is not granted to *: callable if the URL was created before October 2025 (it needs only lambda:InvokeFunctionUrl); a URL created since also needs lambda:InvokeFunction.";
}

/** Judges a grant to service principals by how far their source conditions reach. */
function judgeService(
  services: string[],
  conditions: NarrowingCondition[],
  reach: Reach,
): StatementVerdict | undefined {
  const who = `service ${services.join(", ")}`;
  if (reach.kind === "any") {
    return {
      severity: "medium",
      who,
      why:
        conditions.length === 0
          ? "A service principal without aws:SourceArn or aws:SourceAccount: a resource of ANY account in that service can trigger the function (confused deputy)."
          : `A service principal whose condition on ${conditions.map((c) => c.key).join(", ")} matches any account: a resource of ANY account in that service can trigger the function (confused deputy).`,
    };
  }
  if (reach.kind === "account") {
    return {
      severity: "medium",
      who: `${who}, for resources of ${describeReach(reach)}`,
      why: "The service may invoke the function for resources of another AWS account; check that it is trusted.",
    };
  }
  if (reach.kind === "organization") {
    return {
      severity: "info",
      who: `${who}, for resources of ${describeReach(reach)}`,
      why: "The service may invoke the function for resources of any account in that organization.",
    };
  }
  return undefined;
}

type Principal =
  | { kind: "anyone" }
  | { kind: "account"; account: string }
  | { kind: "service"; name: string }
  | { kind: "other"; name: string };

function principalsOf(principal: unknown): Principal[] {
  if (typeof principal === "string") {
    // Some endpoints return a single principal as a bare string: "*" or an account.
    return [awsPrincipal(principal)];
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
        result.push(awsPrincipal(name));
      } else {
        result.push({ kind: "other", name });
      }
    }
  }
  return result;
}

function awsPrincipal(name: string): Principal {
  if (name === "*") {
    return { kind: "anyone" };
  }
  const account = /^(\d{12})$/.exec(name)?.[1] ?? /^arn:[^:]+:iam::(\d{12}):/.exec(name)?.[1];
  return account === undefined ? { kind: "other", name } : { kind: "account", account };
}

/** The account of the function ARNs a statement names, when the function's own is unknown. */
function accountOfResources(resources: string[]): string | undefined {
  for (const resource of resources) {
    const account = /^arn:[^:]+:lambda:[^:]*:(\d{12}):/.exec(resource)?.[1];
    if (account !== undefined) {
      return account;
    }
  }
  return undefined;
}

/** The value of a condition key, as written in any block, case-insensitively. */
function conditionValue(conditions: Record<string, unknown>, name: string): string | undefined {
  for (const block of Object.values(conditions)) {
    if (typeof block === "object" && block !== null) {
      for (const [key, value] of Object.entries(block)) {
        if (key.toLowerCase() === name) {
          return String(Array.isArray(value) ? value[0] : value);
        }
      }
    }
  }
  return undefined;
}

function urlAuthTypeOf(conditions: Record<string, unknown>): string | undefined {
  return conditionValue(conditions, "lambda:functionurlauthtype");
}

function invokedViaUrl(conditions: Record<string, unknown>): boolean {
  return conditionValue(conditions, "lambda:invokedviafunctionurl")?.toLowerCase() === "true";
}

/**
 * What the policy of one place grants anyone for its URL: the input of
 * {@link judgeStatement} for each of its statements.
 */
export function placeUrl(
  statements: PolicyStatement[],
  url: GatheredPlace["url"],
  account: string | undefined,
): PlaceUrl {
  if (url === undefined || !url.configured) {
    return { auth: null, urlGrant: false, invokeGrant: false };
  }
  const auth = url.auth_type === "AWS_IAM" ? "AWS_IAM" : "NONE";
  const open = statements.filter((s) => {
    if (s.effect !== "Allow" || !principalsOf(s.principal).some((p) => p.kind === "anyone")) {
      return false;
    }
    return (
      reachOf(narrowingConditions(s.conditions, account ?? accountOfResources(s.resource))).kind ===
      "any"
    );
  });
  return {
    auth,
    urlGrant: open.some((s) => {
      const authType = urlAuthTypeOf(s.conditions);
      return grantsOf(s.action)?.url === true && (authType === undefined || authType === auth);
    }),
    invokeGrant: open.some((s) => grantsOf(s.action)?.invoke === true),
  };
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
  url:
    | { configured: boolean; auth_type: string | null; function_url: string | null; cors?: unknown }
    | undefined;
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
    complete: !gathered.qualifiers_truncated,
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
  place: GatheredPlace,
  account: string | undefined,
): Finding[] {
  const { qualifier, statements, url } = place;
  const target =
    qualifier === undefined
      ? { function_name: functionName }
      : { function_name: functionName, qualifier };
  const where = placeUrl(statements, url, account);
  const findings: Finding[] = [];
  for (const statement of statements) {
    const verdict = judgeStatement(statement, account, where);
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
  return [...findings, ...urlFindings(target, qualifier, url, where)];
}

/** The findings of a place's function URL: open to anyone, one statement from open, or CORS from anywhere. */
function urlFindings(
  target: { function_name: string; qualifier?: string },
  qualifier: string | undefined,
  url: GatheredPlace["url"],
  where: ReturnType<typeof placeUrl>,
): Finding[] {
  if (where.auth !== "NONE") {
    return [];
  }
  const findings: Finding[] = [];
  const closeUrl = {
    action: "update_function_url_config",
    inputs: { ...target, auth_type: "AWS_IAM" },
  };
  const shown = url?.function_url ?? "";
  findings.push(
    where.urlGrant
      ? {
          severity: "high",
          kind: "function_url",
          qualifier: qualifier ?? null,
          what: `The function URL ${shown} has auth type NONE and the policy grants lambda:InvokeFunctionUrl to *.`,
          why: `Anyone who knows the URL can call it over HTTPS, without signing. ${urlRule(where)}`,
          containment: closeUrl,
        }
      : {
          severity: "info",
          kind: "function_url",
          qualifier: qualifier ?? null,
          what: `The function URL ${shown} has auth type NONE, but no statement grants lambda:InvokeFunctionUrl to *.`,
          why: "Nobody can call it unsigned now, yet one add_permission would open it to the internet: set its auth type to AWS_IAM.",
          containment: closeUrl,
        },
  );
  if (where.urlGrant && allowsAnyOrigin(url?.cors)) {
    findings.push({
      severity: "medium",
      kind: "function_url",
      qualifier: qualifier ?? null,
      what: `The open function URL ${shown} allows CORS from any origin (allow_origins *).`,
      why: "Any web page a victim visits can call the URL from the browser and read its answers.",
      containment: closeUrl,
    });
  }
  return findings;
}

function allowsAnyOrigin(cors: unknown): boolean {
  // get_function_url_config gives CORS as the cors input takes it (snake_case).
  const origins = (cors as { allow_origins?: unknown } | null | undefined)?.allow_origins;
  return Array.isArray(origins) && origins.includes("*");
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
