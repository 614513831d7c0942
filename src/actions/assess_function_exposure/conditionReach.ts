/**
 * Who a policy statement's Condition block still lets through, judged by the values of
 * its narrowing keys, not by their names: `aws:SourceArn` `arn:aws:s3:::*` narrows
 * nothing, a SourceAccount of another account is that account's reach.
 */
export type Reach =
  /** No condition narrows the statement (or only by values that match any account). */
  | { kind: "any" }
  /** Only the function's own account (or its resources) qualifies. */
  | { kind: "own" }
  /** Resources or principals of another account qualify. */
  | { kind: "account"; accounts: string[] }
  /** Members of an organization (or an organization path) qualify. */
  | { kind: "organization"; ids: string[] }
  /** One named resource, a network or a principal ARN of unknown account qualifies. */
  | { kind: "named"; what: string };

/** How each narrowing key's values are read. */
type KeyReader = (value: string, own: string | undefined) => Reach;

/** The condition keys that narrow a grant, each with how its value is judged. */
const NARROWING_KEYS: Readonly<Record<string, KeyReader>> = {
  "aws:sourcearn": arnReach,
  "aws:principalarn": arnReach,
  "aws:sourceaccount": accountReach,
  "aws:sourceowner": accountReach,
  "aws:principalaccount": accountReach,
  "aws:principalorgid": organizationReach,
  "aws:sourceorgid": organizationReach,
  "aws:principalorgpaths": organizationReach,
  "aws:sourceorgpaths": organizationReach,
  "aws:sourcevpc": networkReach,
  "aws:sourcevpce": networkReach,
  "aws:sourceip": networkReach,
};

/** The narrowing keys, lower-cased: for tests and docs. */
export const NARROWING_KEY_NAMES: readonly string[] = Object.keys(NARROWING_KEYS);

/** How much each reach lets through: a statement is as narrow as its narrowest key. */
const BREADTH: Readonly<Record<Reach["kind"], number>> = {
  own: 0,
  named: 1,
  organization: 2,
  account: 3,
  any: 4,
};

/** One narrowing key as a statement writes it, with what it lets through. */
export interface NarrowingCondition {
  /** The key as written, e.g. `AWS:SourceArn`. */
  key: string;
  reach: Reach;
}

/**
 * The narrowing conditions of a statement's Condition block, each judged by its values.
 * A negated operator (`StringNotEquals`, `ArnNotLike`), `…IfExists` (the key may be
 * absent, and then the condition holds) and `Null` narrow nothing.
 *
 * @example
 * ```ts
 * narrowingConditions({ ArnLike: { "aws:SourceArn": "arn:aws:s3:::*" } }, "123456789012");
 * // [{ key: "aws:SourceArn", reach: { kind: "any" } }]
 * ```
 */
export function narrowingConditions(
  conditions: Record<string, unknown>,
  own: string | undefined,
): NarrowingCondition[] {
  const found: NarrowingCondition[] = [];
  for (const [operator, block] of Object.entries(conditions)) {
    if (typeof block !== "object" || block === null) {
      continue;
    }
    const narrows = !/not|ifexists$|^null$/i.test(operator);
    for (const [key, value] of Object.entries(block)) {
      const reader = NARROWING_KEYS[key.toLowerCase()];
      if (reader === undefined) {
        continue;
      }
      const values = (Array.isArray(value) ? value : [value]).map(String);
      found.push({
        key,
        reach: narrows && values.length > 0 ? broadest(values.map((v) => reader(v, own))) : ANY,
      });
    }
  }
  return found;
}

/**
 * What a statement's conditions let through together: the keys all apply (AND), so the
 * narrowest wins; within one key the values are alternatives (OR), so the broadest does.
 */
export function reachOf(conditions: NarrowingCondition[]): Reach {
  return conditions.reduce<Reach>(
    (narrowest, { reach }) => (BREADTH[reach.kind] < BREADTH[narrowest.kind] ? reach : narrowest),
    ANY,
  );
}

/** The reach in words, for a finding: "account 210987654321", "organization o-…". */
export function describeReach(reach: Reach): string {
  switch (reach.kind) {
    case "any":
      return "any account";
    case "own":
      return "the function's own account";
    case "account":
      return `account ${reach.accounts.join(", ")}`;
    case "organization":
      return `organization ${reach.ids.join(", ")}`;
    case "named":
      return reach.what;
  }
}

const ANY: Reach = { kind: "any" };

function broadest(reaches: Reach[]): Reach {
  const widest = reaches.reduce((a, b) => (BREADTH[b.kind] > BREADTH[a.kind] ? b : a));
  if (widest.kind === "account") {
    const accounts = reaches.flatMap((r) => (r.kind === "account" ? r.accounts : []));
    return { kind: "account", accounts: [...new Set(accounts)] };
  }
  if (widest.kind === "organization") {
    const ids = reaches.flatMap((r) => (r.kind === "organization" ? r.ids : []));
    return { kind: "organization", ids: [...new Set(ids)] };
  }
  return widest;
}

function hasWildcard(value: string): boolean {
  return /[*?]/.test(value);
}

function accountReach(value: string, own: string | undefined): Reach {
  if (hasWildcard(value)) {
    return ANY;
  }
  return own !== undefined && value === own
    ? { kind: "own" }
    : { kind: "account", accounts: [value] };
}

/**
 * An ARN's reach: its account field decides; an ARN without one (S3 buckets) names one
 * resource, unless a wildcard lets it match buckets anyone could create.
 */
function arnReach(value: string, own: string | undefined): Reach {
  const parts = value.split(":");
  if (value === "*" || parts.length < 6 || parts[0] !== "arn") {
    return hasWildcard(value) ? ANY : { kind: "named", what: value };
  }
  const account = parts[4] ?? "";
  if (account === "") {
    return hasWildcard(parts.slice(5).join(":")) ? ANY : { kind: "named", what: value };
  }
  return accountReach(account, own);
}

function organizationReach(value: string): Reach {
  const id = /^(o-[a-z0-9]+)(?:\/|$)/.exec(value)?.[1];
  return id === undefined ? ANY : { kind: "organization", ids: [id] };
}

function networkReach(value: string): Reach {
  return hasWildcard(value) || /\/0$/.test(value)
    ? ANY
    : { kind: "named", what: `network ${value}` };
}
