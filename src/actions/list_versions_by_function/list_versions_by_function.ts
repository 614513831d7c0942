import {
  type FunctionConfiguration,
  ListVersionsByFunctionCommand,
  type ListVersionsByFunctionCommandOutput,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import { field } from "../../outputFields.js";
import { definePaginatedAction } from "../defineAction.js";
import {
  isoTimestamp,
  onFunction,
  timestampOutput,
  unqualifiedFunctionNameInput,
} from "../fields.js";
import { functionPageOf, functionPages, paginationInputs } from "../pagination.js";

/** A version as list_versions_by_function prints it. */
const versionSchema = z.object({
  version: field.text("$LATEST or a published version number."),
  arn: field.text("The version's ARN (the function's, qualified)."),
  description: field.nullableText("The description given when the version was published."),
  runtime: field.nullableText("null for container-image functions."),
  last_modified: timestampOutput("When the version was published (or $LATEST last changed)."),
  code_sha256: field.nullableText("Tells versions' code apart."),
});

/** The output of list_versions_by_function. */
export const listVersionsOutput = functionPageOf(
  "versions",
  versionSchema,
  "The function's versions, $LATEST first, oldest published next.",
);

/** list_versions_by_function: $LATEST and every published version of a function. */
export const listVersionsByFunctionAction = definePaginatedAction({
  name: "list_versions_by_function",
  title: "List Versions by Function",
  description:
    "List a function's versions ($LATEST and each published version) with their code hash and runtime.",
  inputs: z.strictObject({
    function_name: unqualifiedFunctionNameInput("the list covers every version"),
    ...paginationInputs(1000),
  }),
  output: listVersionsOutput,
  call: {
    operation: "ListVersionsByFunction",
    ...onFunction,
    ...functionPages(
      (members) => new ListVersionsByFunctionCommand(members),
      (response: ListVersionsByFunctionCommandOutput) => response.Versions,
      "versions",
      (fn: FunctionConfiguration) => ({
        version: fn.Version ?? "",
        arn: fn.FunctionArn ?? "",
        description: fn.Description ?? null,
        runtime: fn.Runtime ?? null,
        last_modified: isoTimestamp(fn.LastModified),
        code_sha256: fn.CodeSha256 ?? null,
      }),
    ),
  },
});
