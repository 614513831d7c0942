import {
  GetAccountSettingsCommand,
  type GetAccountSettingsCommandOutput,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import { field } from "../../outputFields.js";
import { defineOperationAction } from "../defineAction.js";

/** The output of get_account_settings. */
export const getAccountSettingsOutput = z.object({
  account_limit: z
    .object({
      total_code_size: field.nullableNumber(
        "Bytes of function and layer code the region can store.",
      ),
      code_size_unzipped: field.nullableNumber("Largest deployment package, unzipped, in bytes."),
      code_size_zipped: field.nullableNumber(
        "Largest deployment package uploaded directly, zipped, in bytes.",
      ),
      concurrent_executions: field.nullableNumber("The account's concurrency quota in the region."),
      unreserved_concurrent_executions: field.nullableNumber(
        "Concurrency left to functions without reserved concurrency.",
      ),
    })
    .meta({ description: "The account's Lambda quotas in this region." }),
  account_usage: z
    .object({
      total_code_size: field.nullableNumber("Bytes of code stored."),
      function_count: field.nullableNumber("Functions in the region."),
    })
    .meta({ description: "What the account uses of them." }),
});

/**
 * get_account_settings: the account's Lambda limits and usage in the asset's region,
 * e.g. to see how much concurrency is left before throttling functions.
 */
export const getAccountSettingsAction = defineOperationAction({
  name: "get_account_settings",
  title: "Get Account Settings",
  description:
    "Return the account's Lambda limits (concurrency, code storage) and usage in the asset's region.",
  inputs: z.strictObject({}),
  output: getAccountSettingsOutput,
  call: {
    operation: "GetAccountSettings",
    retry: "idempotent",
    command: () => new GetAccountSettingsCommand({}),
    output: ({ AccountLimit: limit, AccountUsage: usage }: GetAccountSettingsCommandOutput) => ({
      account_limit: {
        total_code_size: limit?.TotalCodeSize ?? null,
        code_size_unzipped: limit?.CodeSizeUnzipped ?? null,
        code_size_zipped: limit?.CodeSizeZipped ?? null,
        concurrent_executions: limit?.ConcurrentExecutions ?? null,
        unreserved_concurrent_executions: limit?.UnreservedConcurrentExecutions ?? null,
      },
      account_usage: {
        total_code_size: usage?.TotalCodeSize ?? null,
        function_count: usage?.FunctionCount ?? null,
      },
    }),
  },
});
