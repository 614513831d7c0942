import { jsonReply } from "../../http/jsonReply.js";
import type { Step } from "../../http/Reply.js";
import { type LambdaCall, noContent, type OperationTable, refuse, serve } from "../LambdaCall.js";
import { lambdaError } from "../lambdaError.js";
import { type LocatedFunction, locateFunction } from "../locateFunction.js";
import { MemberReader } from "../MemberReader.js";
import { readJsonBody } from "../readJsonBody.js";
import { ValidationProblems } from "../ValidationProblems.js";

const FUNCTION_ARN =
  "arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}(-gov)?-[a-z]+-\\d{1}:\\d{12}:function:[a-zA-Z0-9-_]+";

/**
 * The function the `Resource` label names: it must be a function's full, unqualified
 * ARN, as Lambda requires for tags.
 */
function locateTagged(call: LambdaCall, iamAction: string): Step<LocatedFunction> {
  const resource = call.labels.Resource ?? "";
  const problems = new ValidationProblems();
  new MemberReader({ Resource: resource }, problems).string("Resource", {
    pattern: `${FUNCTION_ARN}(:(\\$LATEST|[a-zA-Z0-9-_]+))?`,
  });
  const invalid = problems.reply();
  if (invalid !== undefined) {
    return refuse(invalid);
  }
  if (new RegExp(`^${FUNCTION_ARN}$`).test(resource) === false) {
    return refuse(
      lambdaError(
        400,
        "InvalidParameterValueException",
        "Tags on function aliases and versions are not supported. Please specify a function ARN.",
      ),
    );
  }
  return locateFunction(call, { functionName: resource, qualifier: undefined, iamAction });
}

/**
 * A function's tags, by its ARN: TagResource (`lambda:TagResource`; adds or overwrites,
 * 204), UntagResource (`lambda:UntagResource`; the repeated `tagKeys` query parameter,
 * 204) and ListTags (`lambda:ListTags`).
 */
export const tagOperations = {
  TagResource(call) {
    const json = readJsonBody(call.request.body);
    if (!json.ok) {
      return json;
    }
    const problems = new ValidationProblems();
    const tags = new MemberReader(json.value, problems).stringMap("Tags", { required: true });
    const invalid = problems.reply();
    if (invalid !== undefined || tags === undefined) {
      return refuse(invalid ?? lambdaError(400, "ValidationException", "Invalid request"));
    }
    const located = locateTagged(call, "lambda:TagResource");
    if (!located.ok) {
      return located;
    }
    const { fn } = located.value.resolved;
    return serve(() => {
      fn.tags = { ...fn.tags, ...tags };
      return noContent();
    });
  },

  UntagResource(call) {
    const keys = call.query.getAll("tagKeys");
    if (keys.length === 0) {
      const problems = new ValidationProblems();
      problems.add(undefined, "tagKeys", "Member must not be null");
      return refuse(problems.reply() ?? lambdaError(400, "ValidationException", "Invalid request"));
    }
    const located = locateTagged(call, "lambda:UntagResource");
    if (!located.ok) {
      return located;
    }
    const { fn } = located.value.resolved;
    return serve(() => {
      fn.tags = Object.fromEntries(
        Object.entries(fn.tags ?? {}).filter(([key]) => !keys.includes(key)),
      );
      return noContent();
    });
  },

  ListTags(call) {
    const located = locateTagged(call, "lambda:ListTags");
    if (!located.ok) {
      return located;
    }
    const { fn } = located.value.resolved;
    return serve(() => jsonReply({ Tags: fn.tags ?? {} }));
  },
} satisfies OperationTable;
