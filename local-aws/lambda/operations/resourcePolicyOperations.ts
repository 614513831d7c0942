import { randomUUID } from "node:crypto";
import { jsonReply } from "../../http/jsonReply.js";
import type { FunctionDefinition, PolicyCondition, ResourcePolicyStatement } from "../../World.js";
import { revisionIdOf } from "../describeFunction.js";
import { staleRevisionId } from "../functionChanges.js";
import { noContent, type OperationTable, refuse, serve } from "../LambdaCall.js";
import { lambdaError } from "../lambdaError.js";
import { locateFunction, qualifierKey } from "../locateFunction.js";
import { MemberReader } from "../MemberReader.js";
import { readJsonBody } from "../readJsonBody.js";
import { ValidationProblems } from "../ValidationProblems.js";

const STATEMENT_ID = { min: 1, max: 100, pattern: "([a-zA-Z0-9-_.]+)" };

/** What AddPermission's members become in a statement, as Lambda writes it. */
interface Grant {
  statementId: string;
  action: string;
  principal: string;
  resource: string;
  sourceArn: string | undefined;
  sourceAccount: string | undefined;
  eventSourceToken: string | undefined;
  principalOrgId: string | undefined;
  functionUrlAuthType: string | undefined;
  invokedViaFunctionUrl: boolean | undefined;
}

/** An account ID becomes its root ARN, an ARN an AWS principal, anything else a service. */
function principalOf(principal: string): ResourcePolicyStatement["Principal"] {
  if (principal === "*") {
    return "*";
  }
  if (/^\d{12}$/.test(principal)) {
    return { AWS: `arn:aws:iam::${principal}:root` };
  }
  return principal.startsWith("arn:") ? { AWS: principal } : { Service: principal };
}

/** The statement Lambda adds for AddPermission: its conditions in AWS's own keys. */
function statementOf(grant: Grant): ResourcePolicyStatement {
  const condition: PolicyCondition = {};
  const require = (operator: string, key: string, value: string | undefined) => {
    if (value !== undefined) {
      condition[operator] = { ...condition[operator], [key]: value };
    }
  };
  require("StringEquals", "AWS:SourceAccount", grant.sourceAccount);
  require("StringEquals", "lambda:EventSourceToken", grant.eventSourceToken);
  require("StringEquals", "aws:PrincipalOrgID", grant.principalOrgId);
  require("StringEquals", "lambda:FunctionUrlAuthType", grant.functionUrlAuthType);
  require("ArnLike", "AWS:SourceArn", grant.sourceArn);
  require("Bool", "lambda:InvokedViaFunctionUrl", grant.invokedViaFunctionUrl ? "true" : undefined);
  return {
    Sid: grant.statementId,
    Effect: "Allow",
    Principal: principalOf(grant.principal),
    Action: grant.action,
    Resource: grant.resource,
    ...(Object.keys(condition).length === 0 ? {} : { Condition: condition }),
  };
}

function staleRevision(fn: FunctionDefinition, revisionId: string | undefined) {
  return staleRevisionId(revisionIdOf(fn), revisionId);
}

/**
 * A function's resource-based policy, one per qualifier (the unqualified function, a
 * version, an alias): GetPolicy (`lambda:GetPolicy`; 404 when there is none),
 * AddPermission (`lambda:AddPermission`; 201, 409 for a taken statement ID, 412 for a
 * stale RevisionId) and RemovePermission (`lambda:RemovePermission`; 204, 404 for an
 * unknown statement ID). Each change gives the function a new RevisionId, which GetPolicy
 * reports; removing the last statement removes the policy.
 */
export const resourcePolicyOperations = {
  GetPolicy(call) {
    const located = locateFunction(call, {
      functionName: call.labels.FunctionName ?? "",
      qualifier: call.query.get("Qualifier") ?? undefined,
      iamAction: "lambda:GetPolicy",
    });
    if (!located.ok) {
      return located;
    }
    const { target, resolved } = located.value;
    const statements = resolved.fn.policies?.[qualifierKey(target)] ?? [];
    if (statements.length === 0) {
      return refuse(
        lambdaError(404, "ResourceNotFoundException", "The resource you requested does not exist."),
      );
    }
    return serve(() =>
      jsonReply({
        Policy: JSON.stringify({ Version: "2012-10-17", Id: "default", Statement: statements }),
        RevisionId: revisionIdOf(resolved.fn),
      }),
    );
  },

  AddPermission(call) {
    const json = readJsonBody(call.request.body);
    if (!json.ok) {
      return json;
    }
    const problems = new ValidationProblems();
    const body = new MemberReader(json.value, problems);
    const statementId = body.string("StatementId", { required: true, ...STATEMENT_ID });
    const action = body.string("Action", {
      required: true,
      pattern: "(lambda:[*]|lambda:[a-zA-Z]+|[*])",
    });
    const principal = body.string("Principal", { required: true, pattern: "[^\\s]+" });
    const sourceArn = body.string("SourceArn", {
      pattern:
        "arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}(-gov)?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)",
    });
    const sourceAccount = body.string("SourceAccount", { max: 12, pattern: "\\d{12}" });
    const eventSourceToken = body.string("EventSourceToken", {
      max: 256,
      pattern: "[a-zA-Z0-9._\\-]+",
    });
    const principalOrgId = body.string("PrincipalOrgID", {
      min: 12,
      max: 34,
      pattern: "o-[a-z0-9]{10,32}",
    });
    const functionUrlAuthType = body.string("FunctionUrlAuthType", { values: ["NONE", "AWS_IAM"] });
    const invokedViaFunctionUrl = body.boolean("InvokedViaFunctionUrl");
    const revisionId = body.string("RevisionId");
    const invalid = problems.reply();
    if (
      invalid !== undefined ||
      statementId === undefined ||
      action === undefined ||
      principal === undefined
    ) {
      return refuse(invalid ?? lambdaError(400, "ValidationException", "Invalid request"));
    }
    const located = locateFunction(call, {
      functionName: call.labels.FunctionName ?? "",
      qualifier: call.query.get("Qualifier") ?? undefined,
      iamAction: "lambda:AddPermission",
    });
    if (!located.ok) {
      return located;
    }
    const { target, resolved } = located.value;
    const { fn } = resolved;
    const key = qualifierKey(target);
    if ((fn.policies?.[key] ?? []).some((statement) => statement.Sid === statementId)) {
      return refuse(
        lambdaError(
          409,
          "ResourceConflictException",
          `The statement id (${statementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
        ),
      );
    }
    const stale = staleRevision(fn, revisionId);
    if (stale !== undefined) {
      return stale;
    }
    const statement = statementOf({
      statementId,
      action,
      principal,
      resource: target.resourceArn,
      sourceArn,
      sourceAccount,
      eventSourceToken,
      principalOrgId,
      functionUrlAuthType,
      invokedViaFunctionUrl,
    });
    return serve(() => {
      fn.policies = { ...fn.policies, [key]: [...(fn.policies?.[key] ?? []), statement] };
      fn.revisionId = randomUUID();
      return jsonReply({ Statement: JSON.stringify(statement) }, 201);
    });
  },

  RemovePermission(call) {
    const statementId = call.labels.StatementId ?? "";
    const problems = new ValidationProblems();
    new MemberReader({ StatementId: statementId }, problems).string("StatementId", STATEMENT_ID);
    const invalid = problems.reply();
    if (invalid !== undefined) {
      return refuse(invalid);
    }
    const located = locateFunction(call, {
      functionName: call.labels.FunctionName ?? "",
      qualifier: call.query.get("Qualifier") ?? undefined,
      iamAction: "lambda:RemovePermission",
    });
    if (!located.ok) {
      return located;
    }
    const { target, resolved } = located.value;
    const { fn } = resolved;
    const key = qualifierKey(target);
    const statements = fn.policies?.[key] ?? [];
    if (statements.length === 0) {
      return refuse(
        lambdaError(
          404,
          "ResourceNotFoundException",
          "No policy is associated with the given resource.",
        ),
      );
    }
    if (!statements.some((statement) => statement.Sid === statementId)) {
      return refuse(
        lambdaError(
          404,
          "ResourceNotFoundException",
          `Statement ${statementId} is not found in resource policy.`,
        ),
      );
    }
    const stale = staleRevision(fn, call.query.get("RevisionId") ?? undefined);
    if (stale !== undefined) {
      return stale;
    }
    return serve(() => {
      const kept = statements.filter((statement) => statement.Sid !== statementId);
      const policies = { ...fn.policies };
      if (kept.length === 0) {
        delete policies[key];
      } else {
        policies[key] = kept;
      }
      fn.policies = policies;
      fn.revisionId = randomUUID();
      return noContent();
    });
  },
} satisfies OperationTable;
