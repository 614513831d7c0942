import { PARTITION_ALTERNATION } from "../asset/partitions.js";

/**
 * What a Lambda `FunctionName` parameter says once taken apart. Lambda accepts a
 * name, `name:qualifier`, a partial ARN (`123456789012:function:name`) or a full ARN,
 * each optionally qualified with a version or alias.
 */
export interface FunctionReference {
  /** The function's own name, 1 to 64 of `[a-zA-Z0-9-_]`. */
  name: string;
  /** The version or alias written into the name, if any. */
  qualifier?: string;
  /** From a full or partial ARN. */
  accountId?: string;
  /** From a full ARN. */
  region?: string;
  /** From a full ARN. */
  partition?: string;
}

/** Qualifier rule: `$LATEST`, `$LATEST.PUBLISHED`, or 1 to 128 of `[a-zA-Z0-9-_]`. */
export const QUALIFIER_PATTERN = /^(\$LATEST|\$LATEST\.PUBLISHED|[a-zA-Z0-9_-]{1,128})$/;

/** Longest FunctionName Lambda accepts (a full ARN with qualifier). */
export const MAX_FUNCTION_NAME_LENGTH = 256;

const NAME = "(?<name>[a-zA-Z0-9_-]{1,64})";
const QUALIFIER = "(?::(?<qualifier>\\$LATEST(?:\\.PUBLISHED)?|[a-zA-Z0-9_-]{1,128}))?";
const FUNCTION_NAME_PATTERNS = [
  new RegExp(`^${NAME}${QUALIFIER}$`),
  new RegExp(`^(?<accountId>\\d{12}):function:${NAME}${QUALIFIER}$`),
  new RegExp(
    `^arn:(?<partition>${PARTITION_ALTERNATION}):lambda:(?<region>[a-z0-9-]+):(?<accountId>\\d{12}):function:${NAME}${QUALIFIER}$`,
  ),
];

/** A sentence saying what a function name may be, for validation messages. */
export const FUNCTION_NAME_RULE =
  "must be a function name (my-function), name:alias or name:version, a partial ARN (123456789012:function:my-function) or a full ARN (arn:aws:lambda:us-east-1:123456789012:function:my-function[:qualifier]); names are 1 to 64 of letters, digits, - and _";

/**
 * Takes a `FunctionName` apart, or returns `undefined` when Lambda would reject it.
 *
 * @example
 * ```ts
 * parseFunctionName("arn:aws:lambda:eu-west-1:123456789012:function:triage:live");
 * // { name: "triage", qualifier: "live", accountId: "123456789012", region: "eu-west-1", partition: "aws" }
 * ```
 */
export function parseFunctionName(value: string): FunctionReference | undefined {
  if (value.length > MAX_FUNCTION_NAME_LENGTH) {
    return undefined;
  }
  for (const pattern of FUNCTION_NAME_PATTERNS) {
    const groups = pattern.exec(value)?.groups;
    if (groups?.name !== undefined) {
      const reference: FunctionReference = { name: groups.name };
      for (const key of ["qualifier", "accountId", "region", "partition"] as const) {
        const part = groups[key];
        if (part !== undefined) {
          reference[key] = part;
        }
      }
      return reference;
    }
  }
  return undefined;
}

/**
 * The ARN an IAM policy must allow for a call on `functionName`, as precise as the name
 * allows: the account is `*` when the name does not give it, and the qualifier is
 * appended when the call is qualified (a qualified call needs the qualified ARN).
 *
 * @example
 * ```ts
 * functionArnFor("enrich-indicator", { region: "us-east-1", partition: "aws" }, "live");
 * // "arn:aws:lambda:us-east-1:*:function:enrich-indicator:live"
 * ```
 */
export function functionArnFor(
  functionName: string,
  where: { region: string; partition: string },
  qualifier?: string,
): string {
  const reference = parseFunctionName(functionName) ?? { name: functionName };
  const effective = qualifier ?? reference.qualifier;
  const partition = reference.partition ?? where.partition;
  const region = reference.region ?? where.region;
  const base = `arn:${partition}:lambda:${region}:${reference.accountId ?? "*"}:function:${reference.name}`;
  return effective === undefined ? base : `${base}:${effective}`;
}

/**
 * How messages name a function call: `function echo`, or `function echo (qualifier live)`
 * when the qualifier is not already part of the name.
 */
export function describeFunction(functionName: string, qualifier?: string): string {
  return qualifier === undefined || functionName.endsWith(`:${qualifier}`)
    ? `function ${functionName}`
    : `function ${functionName} (qualifier ${qualifier})`;
}

/**
 * Why Lambda in `region` cannot reach the function `functionName` names, or undefined
 * when it can: a full ARN of another region is refused by every Lambda endpoint
 * ("Functions from … are not reachable in this region"), so say it before sending.
 *
 * @example
 * ```ts
 * regionMismatch("arn:aws:lambda:eu-west-1:123456789012:function:triage", "us-east-1");
 * // "is in region eu-west-1, but the asset's region_name is us-east-1; …"
 * ```
 */
export function regionMismatch(functionName: string, region: string): string | undefined {
  const named = parseFunctionName(functionName)?.region;
  return named === undefined || named === region
    ? undefined
    : `is in region ${named}, but the asset's region_name is ${region}; Lambda reaches only the functions of the region it is called in: use an asset whose region_name is ${named}`;
}
