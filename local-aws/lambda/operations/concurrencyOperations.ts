import { jsonReply } from "../../http/jsonReply.js";
import {
  ACCOUNT_CONCURRENCY,
  MINIMUM_UNRESERVED_CONCURRENCY,
  reservedConcurrency,
} from "../accountSettings.js";
import { type LambdaCall, noContent, type OperationTable, refuse, serve } from "../LambdaCall.js";
import { lambdaError } from "../lambdaError.js";
import { locateFunction } from "../locateFunction.js";
import { MemberReader } from "../MemberReader.js";
import { readJsonBody } from "../readJsonBody.js";
import { ValidationProblems } from "../ValidationProblems.js";

/** Authorizes `iamAction` on the unqualified function the path names, and finds it. */
export function locateWhole(call: LambdaCall, iamAction: string) {
  return locateFunction(call, {
    functionName: call.labels.FunctionName ?? "",
    qualifier: undefined,
    iamAction,
    unqualifiedOnly: true,
  });
}

/**
 * A function's reserved concurrency: PutFunctionConcurrency
 * (`lambda:PutFunctionConcurrency`; 0 or more, leaving at least 100 of the account's 1000
 * unreserved), DeleteFunctionConcurrency (`lambda:DeleteFunctionConcurrency`; 204) and
 * GetFunctionConcurrency (`lambda:GetFunctionConcurrency`; `{}` when none is reserved).
 * Invoke honours it: with 0 reserved, every synchronous invocation is throttled.
 */
export const concurrencyOperations = {
  PutFunctionConcurrency(call) {
    const json = readJsonBody(call.request.body);
    if (!json.ok) {
      return json;
    }
    const problems = new ValidationProblems();
    const reserved = new MemberReader(json.value, problems).integer(
      "ReservedConcurrentExecutions",
      {
        required: true,
        min: 0,
      },
    );
    const invalid = problems.reply();
    if (invalid !== undefined || reserved === undefined) {
      return refuse(invalid ?? lambdaError(400, "ValidationException", "Invalid request"));
    }
    const located = locateWhole(call, "lambda:PutFunctionConcurrency");
    if (!located.ok) {
      return located;
    }
    const { fn } = located.value.resolved;
    const othersReserve = reservedConcurrency(call.world, fn.region, fn.name);
    if (ACCOUNT_CONCURRENCY - othersReserve - reserved < MINIMUM_UNRESERVED_CONCURRENCY) {
      return refuse(
        lambdaError(
          400,
          "InvalidParameterValueException",
          `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${MINIMUM_UNRESERVED_CONCURRENCY}].`,
        ),
      );
    }
    return serve(() => {
      fn.reservedConcurrency = reserved;
      return jsonReply({ ReservedConcurrentExecutions: reserved });
    });
  },

  DeleteFunctionConcurrency(call) {
    const located = locateWhole(call, "lambda:DeleteFunctionConcurrency");
    if (!located.ok) {
      return located;
    }
    const { fn } = located.value.resolved;
    return serve(() => {
      delete fn.reservedConcurrency;
      return noContent();
    });
  },

  GetFunctionConcurrency(call) {
    const located = locateWhole(call, "lambda:GetFunctionConcurrency");
    if (!located.ok) {
      return located;
    }
    const { fn } = located.value.resolved;
    return serve(() =>
      jsonReply(
        fn.reservedConcurrency === undefined
          ? {}
          : { ReservedConcurrentExecutions: fn.reservedConcurrency },
      ),
    );
  },
} satisfies OperationTable;
