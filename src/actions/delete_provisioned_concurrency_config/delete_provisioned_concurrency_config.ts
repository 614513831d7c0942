import { DeleteProvisionedConcurrencyConfigCommand } from "@aws-sdk/client-lambda";
import { z } from "zod";
import { field, functionNameOutput } from "../../outputFields.js";
import { changeOutputs, requirePreviousStateInput } from "../change.js";
import { defineOperationAction } from "../defineAction.js";
import { functionNameInput, onFunction } from "../fields.js";
import {
  provisionedConcurrencySchema,
  provisionedQualifierInput,
  readProvisionedConcurrency,
} from "../get_provisioned_concurrency_config/get_provisioned_concurrency_config.js";

/**
 * delete_provisioned_concurrency_config: release a version's or alias's pre-warmed
 * environments, which stay warm (and hold the code and its credentials) even when
 * reserved concurrency is 0.
 */
export const deleteProvisionedConcurrencyConfigAction = defineOperationAction({
  name: "delete_provisioned_concurrency_config",
  title: "Delete Provisioned Concurrency Config",
  description:
    "Remove a version's or alias's provisioned concurrency, releasing its pre-warmed execution environments (throttling to 0 does not). What was there is returned.",
  inputs: z.strictObject({
    function_name: functionNameInput,
    qualifier: provisionedQualifierInput,
    require_previous_state: requirePreviousStateInput,
  }),
  output: z.object({
    function_name: functionNameOutput,
    qualifier: field.text("The version or alias, as given."),
    ...changeOutputs(
      z
        .object({
          provisioned_concurrency: provisionedConcurrencySchema
            .nullable()
            .meta({ description: "Its provisioned concurrency before; null: none." }),
        })
        .nullable()
        .meta({
          description:
            "The state before (as get_provisioned_concurrency_config prints it); null when it could not be read.",
        }),

      "always: the connector has no action that provisions concurrency (PutProvisionedConcurrencyConfig with previous.provisioned_concurrency.requested_provisioned_concurrent_executions restores it)",
    ),
  }),
  before: readProvisionedConcurrency,
  call: {
    operation: "DeleteProvisionedConcurrencyConfig",
    ...onFunction,
    retry: "idempotent",
    command: (inputs) =>
      new DeleteProvisionedConcurrencyConfigCommand({
        FunctionName: inputs.function_name,
        Qualifier: inputs.qualifier,
      }),
    unchanged: (inputs, before) =>
      before === null
        ? {
            function_name: inputs.function_name,
            qualifier: inputs.qualifier,
            changed: false,
            previous: { provisioned_concurrency: null },
            undo: [],
          }
        : undefined,
    // Deleted meanwhile (a denied read, or a race): nothing left to release.
    absent: (inputs, awsMessage) =>
      /provisioned concurrency config/i.test(awsMessage)
        ? {
            function_name: inputs.function_name,
            qualifier: inputs.qualifier,
            changed: false,
            previous: null,
            undo: [],
          }
        : undefined,
    output: (_response: unknown, inputs, before) => ({
      function_name: inputs.function_name,
      qualifier: inputs.qualifier,
      changed: true,
      previous: before === undefined ? null : { provisioned_concurrency: before },
      undo: [],
    }),
  },
});
