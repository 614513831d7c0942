import { z } from "zod";
import { field } from "../../outputFields.js";
import { functionNameInput, qualifierInput } from "../fields.js";
import { checkQualifierAgrees } from "../invoke_function/schema.js";

/** The inputs of test_connection; the manifest `actions/test_connection.yaml` is generated from it. */
export const testConnectionInputs = z
  .strictObject({
    function_name: z.optional(functionNameInput).meta({
      title: "Function Name",
      description:
        "Optional: a function to check, that it exists in this region and that invoking it is allowed (a DryRun, which runs nothing).",
      examples: ["enrich-indicator"],
    }),
    qualifier: qualifierInput,
  })
  // Its DryRun is invoke_function's: the same qualifier rule, refused before any check runs.
  .superRefine(checkQualifierAgrees);

/** Validated inputs of test_connection. */
export type TestConnectionInputs = z.output<typeof testConnectionInputs>;

/** The steps of the diagnosis, in the order they run. */
export const STEP_NAMES = [
  "keys_valid",
  "region_partition",
  "role_assumable",
  "connector_identity",
  "function_exists",
  "invoke_allowed",
] as const;

/** One step of the checklist. */
export const stepSchema = z.object({
  name: z.enum(STEP_NAMES).meta({ description: "Which check this is." }),
  status: z
    .enum(["passed", "failed", "skipped"])
    .meta({ description: "skipped: an earlier check failed, so this one could not run." }),
  detail: field.text("What was checked and found."),
  hint: field.nullableText("What to check when it failed; null otherwise."),
  code: field.nullableText(
    "The error code when it failed (as in the ::set-error line), else null.",
  ),
});

/** The output of test_connection. */
export const testConnectionOutput = z.object({
  ok: field.flag("true when no step failed."),
  steps: z.array(stepSchema).meta({
    description:
      "The setup guide's troubleshooting list, in order: keys, region and partition, role, the identity the connector acts as, the function, the invoke permission.",
  }),
  account: field.nullableText("The AWS account the connector acts in."),
  arn: field.nullableText(
    "Who AWS sees: the assumed-role session when the asset names a role, else the keys' user.",
  ),
  region: field.text("The asset's region, where the checks ran."),
  role_assumed: field.flag("Whether the asset's role was assumed."),
  invoke_permitted: field.nullableFlag(
    "Result of the DryRun on function_name; null when no function was named or it was not reached.",
  ),
});

/** The output of test_connection. */
export type TestConnectionOutput = z.input<typeof testConnectionOutput>;
