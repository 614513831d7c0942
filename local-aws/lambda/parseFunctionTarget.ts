import type { Reply } from "../http/Reply.js";
import { lambdaError } from "./lambdaError.js";

/** The function and qualifier a request is about, with the ARNs IAM evaluates. */
export interface FunctionTarget {
  name: string;
  /** The version or alias, from the name or from the `Qualifier` parameter. */
  qualifier: string | undefined;
  partition: string;
  /** From a full ARN, otherwise the region the request was signed for. */
  region: string;
  accountId: string;
  /** `arn:aws:lambda:<region>:<account>:function:<name>`. */
  functionArn: string;
  /** The function ARN, with `:<qualifier>` when qualified: the resource IAM checks. */
  resourceArn: string;
}

const NAME = "(?<name>[a-zA-Z0-9_-]{1,64})";
const QUALIFIER = "(?::(?<qualifier>\\$LATEST(?:\\.PUBLISHED)?|[a-zA-Z0-9_-]{1,128}))?";
const FORMS = [
  new RegExp(`^${NAME}${QUALIFIER}$`),
  new RegExp(`^(?<accountId>\\d{12}):function:${NAME}${QUALIFIER}$`),
  new RegExp(
    `^arn:(?<partition>aws[a-z-]*):lambda:(?<region>[a-z0-9-]+):(?<accountId>\\d{12}):function:${NAME}${QUALIFIER}$`,
  ),
];
const QUALIFIER_PARAMETER = /^(\$LATEST|\$LATEST\.PUBLISHED|[a-zA-Z0-9_-]{1,128})$/;
const MAX_FUNCTION_NAME_LENGTH = 256;

function validationError(value: string, member: string, pattern: string): Reply {
  return lambdaError(
    400,
    "ValidationException",
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern}`,
  );
}

/**
 * Reads the `FunctionName` path label (already URL-decoded) and the `Qualifier` query
 * parameter: a name, `name:qualifier`, a partial ARN or a full ARN. Returns Lambda's
 * 400 when they are malformed or name two different qualifiers.
 *
 * @example
 * ```ts
 * parseFunctionTarget("123456789012:function:echo:live", undefined, "us-east-1", "123456789012");
 * // { ok: true, target: { name: "echo", qualifier: "live", resourceArn: "arn:aws:lambda:us-east-1:123456789012:function:echo:live", … } }
 * ```
 */
export function parseFunctionTarget(
  functionName: string,
  qualifierParameter: string | undefined,
  signedRegion: string,
  defaultAccountId: string,
): { ok: true; target: FunctionTarget } | { ok: false; reply: Reply } {
  const groups =
    functionName.length <= MAX_FUNCTION_NAME_LENGTH
      ? FORMS.map((form) => form.exec(functionName)?.groups).find((found) => found !== undefined)
      : undefined;
  if (groups?.name === undefined) {
    return {
      ok: false,
      reply: validationError(
        functionName,
        "functionName",
        "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?",
      ),
    };
  }
  if (qualifierParameter !== undefined && !QUALIFIER_PARAMETER.test(qualifierParameter)) {
    return {
      ok: false,
      reply: validationError(qualifierParameter, "qualifier", "(|[a-zA-Z0-9$_-]+)"),
    };
  }
  if (
    groups.qualifier !== undefined &&
    qualifierParameter !== undefined &&
    groups.qualifier !== qualifierParameter
  ) {
    return {
      ok: false,
      reply: lambdaError(
        400,
        "InvalidParameterValueException",
        "The derived qualifier from the function name does not match the specified qualifier.",
      ),
    };
  }
  const partition = groups.partition ?? "aws";
  const region = groups.region ?? signedRegion;
  const accountId = groups.accountId ?? defaultAccountId;
  const qualifier = groups.qualifier ?? qualifierParameter;
  const functionArn = `arn:${partition}:lambda:${region}:${accountId}:function:${groups.name}`;
  return {
    ok: true,
    target: {
      name: groups.name,
      qualifier,
      partition,
      region,
      accountId,
      functionArn,
      resourceArn: qualifier === undefined ? functionArn : `${functionArn}:${qualifier}`,
    },
  };
}
