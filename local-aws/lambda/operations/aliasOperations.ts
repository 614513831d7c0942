import { randomUUID } from "node:crypto";
import { jsonReply } from "../../http/jsonReply.js";
import type { Step } from "../../http/Reply.js";
import type { FunctionDefinition } from "../../World.js";
import { aliasRevisionOf, describeAlias } from "../describeAlias.js";
import { staleRevisionId } from "../functionChanges.js";
import { type LambdaCall, noContent, type OperationTable, refuse, serve } from "../LambdaCall.js";
import { lambdaError } from "../lambdaError.js";
import { type LocatedFunction, locateFunction } from "../locateFunction.js";
import { MemberReader } from "../MemberReader.js";
import { readJsonBody } from "../readJsonBody.js";
import { ValidationProblems } from "../ValidationProblems.js";

const ALIAS_NAME = "(?!^[0-9]+$)([a-zA-Z0-9-_]+)";
const VERSION = "(\\$LATEST|[0-9]+)";

/** The function an alias call names, authorized on its unqualified ARN as IAM checks alias calls. */
function locateAliasFunction(call: LambdaCall, iamAction: string): Step<LocatedFunction> {
  return locateFunction(call, {
    functionName: call.labels.FunctionName ?? "",
    qualifier: undefined,
    iamAction,
    unqualifiedOnly: true,
  });
}

function aliasNotFound(functionArn: string, name: string) {
  return refuse(
    lambdaError(404, "ResourceNotFoundException", `Cannot find alias arn: ${functionArn}:${name}`),
  );
}

/** What CreateAlias and UpdateAlias may set: the version, the description and the routing weights. */
interface AliasSettings {
  functionVersion: string | undefined;
  description: string | undefined;
  weights: Record<string, number> | undefined;
}

/** Reads an alias's settings from a body, with the model's constraints and Lambda's own checks. */
function readAliasSettings(
  body: Record<string, unknown>,
  problems: ValidationProblems,
  required: boolean,
): AliasSettings {
  const members = new MemberReader(body, problems);
  const functionVersion = members.string("FunctionVersion", {
    required,
    min: 1,
    max: 1024,
    pattern: VERSION,
  });
  const description = members.string("Description", { max: 256 });
  const routing = members.structure("RoutingConfig");
  const raw = (body.RoutingConfig as { AdditionalVersionWeights?: unknown } | undefined)
    ?.AdditionalVersionWeights;
  let weights: Record<string, number> | undefined;
  if (routing !== undefined && raw !== undefined && raw !== null) {
    const entries = typeof raw === "object" && !Array.isArray(raw) ? Object.entries(raw) : [];
    const valid = entries.every(
      ([version, weight]) =>
        /^[0-9]+$/.test(version) && typeof weight === "number" && weight >= 0 && weight <= 1,
    );
    if (!valid || entries.length > 1) {
      problems.add(
        raw,
        "routingConfig.additionalVersionWeights",
        "Member must be a map of at most one version number to a weight between 0.0 and 1.0",
      );
    } else {
      weights = Object.fromEntries(entries) as Record<string, number>;
    }
  }
  return { functionVersion, description, weights };
}

/** Lambda's checks of settings against the function: versions that exist, no routing from $LATEST. */
function checkAliasSettings(
  fn: FunctionDefinition,
  functionArn: string,
  version: string,
  weights: Record<string, number> | undefined,
): Step<never> | undefined {
  const missing = [version, ...Object.keys(weights ?? {})].find(
    (candidate) => candidate !== "$LATEST" && !(fn.versions ?? []).includes(candidate),
  );
  if (missing !== undefined) {
    return refuse(
      lambdaError(
        404,
        "ResourceNotFoundException",
        `Function not found: ${functionArn}:${missing}`,
      ),
    );
  }
  if (weights !== undefined && Object.keys(weights).length > 0 && version === "$LATEST") {
    return refuse(
      lambdaError(
        400,
        "InvalidParameterValueException",
        "$LATEST is not supported for an alias pointing to more than 1 version",
      ),
    );
  }
  if (weights?.[version] !== undefined) {
    return refuse(
      lambdaError(
        400,
        "InvalidParameterValueException",
        "Invalid function version in routing config: it must differ from the alias's function version",
      ),
    );
  }
  return undefined;
}

/** Writes an alias's settings, with a new revision. */
function writeAlias(fn: FunctionDefinition, name: string, settings: AliasSettings): void {
  if (settings.functionVersion !== undefined) {
    fn.aliases = { ...fn.aliases, [name]: settings.functionVersion };
  }
  if (settings.description !== undefined) {
    fn.aliasDescriptions = { ...fn.aliasDescriptions, [name]: settings.description };
  }
  if (settings.weights !== undefined) {
    fn.aliasRouting = { ...fn.aliasRouting, [name]: settings.weights };
  }
  fn.aliasRevisions = { ...fn.aliasRevisions, [name]: randomUUID() };
}

/**
 * A function's aliases, one at a time: GetAlias (`lambda:GetAlias`), CreateAlias
 * (`lambda:CreateAlias`; 201, 409 when the name is taken), UpdateAlias
 * (`lambda:UpdateAlias`; 412 for a stale RevisionId) and DeleteAlias (`lambda:DeleteAlias`;
 * 204, and the alias's policy, URL and asynchronous settings go with it), each checked on
 * the function's unqualified ARN. Versions named must exist; routing weights shift a
 * share of the alias's traffic to at most one other version.
 */
export const aliasOperations = {
  GetAlias(call) {
    const located = locateAliasFunction(call, "lambda:GetAlias");
    if (!located.ok) {
      return located;
    }
    const { target, resolved } = located.value;
    const name = call.labels.Name ?? "";
    if (resolved.fn.aliases?.[name] === undefined) {
      return aliasNotFound(target.functionArn, name);
    }
    return serve(() => jsonReply(describeAlias(resolved.fn, name, target.functionArn)));
  },

  CreateAlias(call) {
    const json = readJsonBody(call.request.body);
    if (!json.ok) {
      return json;
    }
    const problems = new ValidationProblems();
    const name = new MemberReader(json.value, problems).string("Name", {
      required: true,
      min: 1,
      max: 128,
      pattern: ALIAS_NAME,
    });
    const settings = readAliasSettings(json.value, problems, true);
    const invalid = problems.reply();
    if (invalid !== undefined || name === undefined || settings.functionVersion === undefined) {
      return refuse(invalid ?? lambdaError(400, "ValidationException", "Invalid request"));
    }
    const located = locateAliasFunction(call, "lambda:CreateAlias");
    if (!located.ok) {
      return located;
    }
    const { target, resolved } = located.value;
    const { fn } = resolved;
    if (fn.aliases?.[name] !== undefined) {
      return refuse(
        lambdaError(
          409,
          "ResourceConflictException",
          `Alias already exists: ${target.functionArn}:${name}`,
        ),
      );
    }
    const refused = checkAliasSettings(
      fn,
      target.functionArn,
      settings.functionVersion,
      settings.weights,
    );
    if (refused !== undefined) {
      return refused;
    }
    return serve(() => {
      writeAlias(fn, name, { ...settings, weights: settings.weights ?? {} });
      return jsonReply(describeAlias(fn, name, target.functionArn), 201);
    });
  },

  UpdateAlias(call) {
    const json = readJsonBody(call.request.body);
    if (!json.ok) {
      return json;
    }
    const problems = new ValidationProblems();
    const revisionId = new MemberReader(json.value, problems).string("RevisionId");
    const settings = readAliasSettings(json.value, problems, false);
    const invalid = problems.reply();
    if (invalid !== undefined) {
      return refuse(invalid);
    }
    const located = locateAliasFunction(call, "lambda:UpdateAlias");
    if (!located.ok) {
      return located;
    }
    const { target, resolved } = located.value;
    const { fn } = resolved;
    const name = call.labels.Name ?? "";
    const current = fn.aliases?.[name];
    if (current === undefined) {
      return aliasNotFound(target.functionArn, name);
    }
    const stale = staleRevisionId(aliasRevisionOf(fn, name), revisionId);
    if (stale !== undefined) {
      return stale;
    }
    const version = settings.functionVersion ?? current;
    const refused = checkAliasSettings(
      fn,
      target.functionArn,
      version,
      settings.weights ?? fn.aliasRouting?.[name],
    );
    if (refused !== undefined) {
      return refused;
    }
    return serve(() => {
      writeAlias(fn, name, settings);
      return jsonReply(describeAlias(fn, name, target.functionArn));
    });
  },

  DeleteAlias(call) {
    const located = locateAliasFunction(call, "lambda:DeleteAlias");
    if (!located.ok) {
      return located;
    }
    const { fn } = located.value.resolved;
    const name = call.labels.Name ?? "";
    // Deleting an alias that does not exist succeeds, as on AWS.
    return serve(() => {
      for (const byAlias of [
        fn.aliases,
        fn.aliasRouting,
        fn.aliasDescriptions,
        fn.aliasRevisions,
        fn.policies,
        fn.urls,
        fn.eventInvokeConfigs,
      ]) {
        delete byAlias?.[name];
      }
      return noContent();
    });
  },
} satisfies OperationTable;
