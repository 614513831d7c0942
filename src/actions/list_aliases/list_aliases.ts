import {
  type AliasConfiguration,
  ListAliasesCommand,
  type ListAliasesCommandOutput,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import { field } from "../../outputFields.js";
import { definePaginatedAction } from "../defineAction.js";
import { definedMembers, onFunction, unqualifiedFunctionNameInput } from "../fields.js";
import { functionPageOf, functionPages, paginationInputs } from "../pagination.js";

/** The output of list_aliases. */
export const listAliasesOutput = functionPageOf(
  "aliases",
  z.object({
    name: field.text("The alias's name; a qualifier."),
    arn: field.text("The alias's ARN."),
    function_version: field.text("The version the alias points to."),
    description: field.nullableText("The alias's description."),
    routing_weights: z.record(z.string(), z.number()).meta({
      description:
        "Other versions that receive a share of the alias's traffic, version → weight (0 to 1); {} when all of it goes to function_version.",
    }),
    revision_id: field.nullableText("Changes whenever the alias does."),
  }),
  "The function's aliases.",
);

/** list_aliases: a function's aliases, the versions they point to and their routing weights. */
export const listAliasesAction = definePaginatedAction({
  name: "list_aliases",
  title: "List Aliases",
  description:
    "List a function's aliases with the version each points to and the weights of any traffic shifted to other versions.",
  inputs: z.strictObject({
    function_name: unqualifiedFunctionNameInput("aliases belong to the whole function"),
    function_version: z
      .string({ error: "must be a string" })
      .regex(/^(\$LATEST|\d+)$/, "must be $LATEST or a version number")
      .optional()
      .meta({
        title: "Function Version",
        description: "Only aliases that point to this version.",
        examples: ["3"],
      }),
    ...paginationInputs(1000),
  }),
  output: listAliasesOutput,
  call: {
    operation: "ListAliases",
    ...onFunction,
    ...functionPages(
      (members, inputs: { function_name: string; function_version?: string | undefined }) =>
        new ListAliasesCommand({
          ...members,
          ...definedMembers(inputs, { function_version: "FunctionVersion" }),
        }),
      (response: ListAliasesCommandOutput) => response.Aliases,
      "aliases",
      (alias: AliasConfiguration) => ({
        name: alias.Name ?? "",
        arn: alias.AliasArn ?? "",
        function_version: alias.FunctionVersion ?? "",
        description: alias.Description || null,
        routing_weights: alias.RoutingConfig?.AdditionalVersionWeights ?? {},
        revision_id: alias.RevisionId ?? null,
      }),
    ),
  },
});
