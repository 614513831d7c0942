import type { GetAliasCommandOutput } from "@aws-sdk/client-lambda";
import { z } from "zod";
import { functionNameOutput } from "../../outputFields.js";
import { aliasCall, aliasInputs, aliasSchema, describeAlias, readAlias } from "../aliases.js";
import { defineOperationAction } from "../defineAction.js";

/** get_alias: one alias of a function, the version it points to and its routing weights. */
export const getAliasAction = defineOperationAction({
  name: "get_alias",
  title: "Get Alias",
  description:
    "Return one alias of a function: the version it points to, the share of traffic shifted to another version, and its revision (update_alias's guard).",
  inputs: z.strictObject(aliasInputs),
  output: z.object({
    function_name: functionNameOutput,
    alias: aliasSchema.meta({ description: "The alias." }),
  }),
  call: {
    ...aliasCall("GetAlias"),
    retry: "idempotent",
    command: readAlias.command,
    output: (response: GetAliasCommandOutput, inputs) => ({
      function_name: inputs.function_name,
      alias: describeAlias(response),
    }),
  },
});
