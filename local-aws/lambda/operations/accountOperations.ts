import { jsonReply } from "../../http/jsonReply.js";
import { accountSettings } from "../accountSettings.js";
import { authorize } from "../authorize.js";
import { type OperationTable, refuse, serve } from "../LambdaCall.js";
import { listFunctions } from "../listFunctions.js";
import { parseListFunctionsQuery } from "../parseListFunctionsQuery.js";

/**
 * The account-wide reads: GetAccountSettings (`lambda:GetAccountSettings`) and
 * ListFunctions (`lambda:ListFunctions`), both on resource `*`. ListFunctions checks its
 * parameters, then IAM, then the marker: only this endpoint's markers can be read.
 */
export const accountOperations = {
  GetAccountSettings(call) {
    const denied = authorize(call, "lambda:GetAccountSettings", "*");
    if (denied !== undefined) {
      return refuse(denied);
    }
    return serve(() => jsonReply(accountSettings(call.world, call.region)));
  },

  ListFunctions(call) {
    const parsed = parseListFunctionsQuery(call.query);
    if (!parsed.ok) {
      return parsed;
    }
    const denied = authorize(call, "lambda:ListFunctions", "*");
    if (denied !== undefined) {
      return refuse(denied);
    }
    const page = listFunctions(call.world, call.region, parsed.value, call.markers, call.now);
    if (!page.ok) {
      return page;
    }
    return serve(() => jsonReply(page.value));
  },
} satisfies OperationTable;
