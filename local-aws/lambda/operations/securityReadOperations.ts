import { jsonReply } from "../../http/jsonReply.js";
import { type OperationTable, refuse, serve } from "../LambdaCall.js";
import { readMaxItems, servePage } from "../paginate.js";
import { ValidationProblems } from "../ValidationProblems.js";
import { locateWhole } from "./concurrencyOperations.js";
import { describeConfig } from "./eventInvokeConfigOperations.js";

/** The most ListFunctionEventInvokeConfigs returns a call, as Lambda's model says (MaxItems 1 to 50). */
const CONFIGS_PAGE_LIMIT = 50;

/**
 * The reads a security assessment makes besides the exposure's: the code-signing config
 * attached to a function (GetFunctionCodeSigningConfig, `lambda:GetFunctionCodeSigningConfig`;
 * an empty `CodeSigningConfigArn` when none is) and every asynchronous invocation config of
 * the function and its versions and aliases (ListFunctionEventInvokeConfigs,
 * `lambda:ListFunctionEventInvokeConfigs`, paginated), whose destinations are data paths out.
 */
export const securityReadOperations = {
  GetFunctionCodeSigningConfig(call) {
    const located = locateWhole(call, "lambda:GetFunctionCodeSigningConfig");
    if (!located.ok) {
      return located;
    }
    const { fn } = located.value.resolved;
    return serve(() =>
      jsonReply({ CodeSigningConfigArn: fn.codeSigningConfigArn ?? "", FunctionName: fn.name }),
    );
  },

  ListFunctionEventInvokeConfigs(call) {
    const problems = new ValidationProblems();
    const maxItems = readMaxItems(call.query, problems, CONFIGS_PAGE_LIMIT, CONFIGS_PAGE_LIMIT);
    const invalid = problems.reply();
    if (invalid !== undefined) {
      return refuse(invalid);
    }
    const located = locateWhole(call, "lambda:ListFunctionEventInvokeConfigs");
    if (!located.ok) {
      return located;
    }
    const { target, resolved } = located.value;
    const configs = Object.entries(resolved.fn.eventInvokeConfigs ?? {}).sort(([a], [b]) =>
      a.localeCompare(b),
    );
    return servePage(
      call,
      configs,
      {
        scope: `ListFunctionEventInvokeConfigs:${target.functionArn}`,
        maxItems,
        pageLimit: CONFIGS_PAGE_LIMIT,
        keyOf: ([qualifier]) => qualifier,
      },
      "FunctionEventInvokeConfigs",
      ([qualifier, config]) =>
        describeConfig(
          config,
          qualifier === "" ? target.functionArn : `${target.functionArn}:${qualifier}`,
        ),
    );
  },
} satisfies OperationTable;
