import { jsonReply } from "../../http/jsonReply.js";
import type { Step } from "../../http/Reply.js";
import type { DurableExecutionDefinition } from "../../World.js";
import { authorize } from "../authorize.js";
import { type LambdaCall, type OperationTable, refuse, serve } from "../LambdaCall.js";
import { lambdaError } from "../lambdaError.js";
import { locateFunction } from "../locateFunction.js";
import { readMaxItems, servePage } from "../paginate.js";
import { readJsonBody } from "../readJsonBody.js";
import { ValidationProblems } from "../ValidationProblems.js";

const PAGE_LIMIT = 50;

/** `arn:aws:lambda:<region>:<account>:function:<name>:<version>`, the function a durable execution runs. */
function functionArnOf(call: LambdaCall, execution: DurableExecutionDefinition): string {
  return `arn:aws:lambda:${execution.region}:${call.world.accountId}:function:${execution.functionName}:${execution.version}`;
}

/** `<qualified function ARN>/durable-execution/<name>/<id>`, as Lambda names one. */
function executionArnOf(call: LambdaCall, execution: DurableExecutionDefinition): string {
  return `${functionArnOf(call, execution)}/durable-execution/${execution.name}/${execution.id}`;
}

function describeExecution(call: LambdaCall, execution: DurableExecutionDefinition): object {
  return {
    DurableExecutionArn: executionArnOf(call, execution),
    DurableExecutionName: execution.name,
    FunctionArn: functionArnOf(call, execution),
    Status: execution.status,
    // Timestamps travel as epoch seconds in Lambda's JSON.
    StartTimestamp: execution.startedAt / 1000,
    ...(execution.endedAt === undefined ? {} : { EndTimestamp: execution.endedAt / 1000 }),
  };
}

/**
 * Authorizes `iamAction` on the function the execution ARN names (qualified by its
 * version), then finds the execution; 404 when there is none.
 */
function locateExecution(call: LambdaCall, iamAction: string): Step<DurableExecutionDefinition> {
  const arn = call.labels.DurableExecutionArn ?? "";
  const functionArn = arn.split("/durable-execution/")[0] ?? "";
  const denied = authorize(call, iamAction, functionArn);
  if (denied !== undefined) {
    return refuse(denied);
  }
  const execution = (call.world.durableExecutions ?? []).find(
    (candidate) => candidate.region === call.region && executionArnOf(call, candidate) === arn,
  );
  return execution === undefined
    ? refuse(lambdaError(404, "ResourceNotFoundException", `Durable execution not found: ${arn}`))
    : { ok: true, value: execution };
}

/**
 * Durable functions' executions: ListDurableExecutionsByFunction
 * (`lambda:ListDurableExecutionsByFunction` on the function; `Statuses` filters, 50 a
 * page, newest first), GetDurableExecution and StopDurableExecution (`lambda:…` on the
 * function the execution ARN names). Stopping one that is not RUNNING is 409
 * ResourceConflictException; a stopped one ends `STOPPED` at once.
 */
export const durableExecutionOperations = {
  ListDurableExecutionsByFunction(call) {
    const problems = new ValidationProblems();
    const maxItems = readMaxItems(call.query, problems, 1000, PAGE_LIMIT);
    const invalid = problems.reply();
    if (invalid !== undefined) {
      return refuse(invalid);
    }
    const located = locateFunction(call, {
      functionName: call.labels.FunctionName ?? "",
      qualifier: call.query.get("Qualifier") ?? undefined,
      iamAction: "lambda:ListDurableExecutionsByFunction",
    });
    if (!located.ok) {
      return located;
    }
    const { fn } = located.value.resolved;
    const statuses = call.query.getAll("Statuses");
    const executions = (call.world.durableExecutions ?? [])
      .filter(
        (execution) =>
          execution.functionName === fn.name &&
          execution.region === fn.region &&
          (statuses.length === 0 || statuses.includes(execution.status)),
      )
      .sort((a, b) => b.startedAt - a.startedAt);
    return servePage(
      call,
      executions,
      {
        scope: `ListDurableExecutionsByFunction:${fn.region}:${fn.name}:${statuses.join(",")}`,
        maxItems,
        pageLimit: PAGE_LIMIT,
        keyOf: (execution) => execution.id,
      },
      "DurableExecutions",
      (execution) => describeExecution(call, execution),
    );
  },

  GetDurableExecution(call) {
    const located = locateExecution(call, "lambda:GetDurableExecution");
    if (!located.ok) {
      return located;
    }
    return serve(() => jsonReply(describeExecution(call, located.value)));
  },

  StopDurableExecution(call) {
    const json = readJsonBody(call.request.body);
    if (!json.ok) {
      return json;
    }
    const located = locateExecution(call, "lambda:StopDurableExecution");
    if (!located.ok) {
      return located;
    }
    const execution = located.value;
    if (execution.status !== "RUNNING") {
      return refuse(
        lambdaError(
          409,
          "ResourceConflictException",
          `Durable execution is not running: its status is ${execution.status}.`,
        ),
      );
    }
    return serve(() => {
      execution.status = "STOPPED";
      execution.endedAt = call.now;
      return jsonReply({ StopTimestamp: call.now / 1000 });
    });
  },
} satisfies OperationTable;
