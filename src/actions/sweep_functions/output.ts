import { z } from "zod";
import { errorOutput, field } from "../../outputFields.js";
import { fileReferenceSchema } from "../../turbine/files.js";
import { CHECK_NAMES, SEVERITIES } from "./checks.js";

/** Findings inline in the output, the most severe first; the whole list is in the report. */
export const INLINE_FINDINGS = 50;

const severityCounts = z
  .object(
    Object.fromEntries(
      SEVERITIES.map((severity) => [severity, field.integer(`Findings of severity ${severity}.`)]),
    ) as Record<(typeof SEVERITIES)[number], z.ZodNumber>,
  )
  .describe("Findings by severity.");

/** One finding of the sweep: where, what, and the action that closes it. */
export const sweepFindingSchema = z.object({
  rank: field.integer("1 for the most severe finding of the sweep."),
  severity: z.enum(SEVERITIES).describe("critical, high, medium, low or info."),
  check: z.enum(CHECK_NAMES).describe("The check that found it."),
  account_id: field.text("The function's account."),
  region: field.text("The function's region."),
  function_name: field.text("The function's name."),
  function_arn: field.text("The function's ARN."),
  kind: field.text("What it is about: resource_policy, function_url, event_source_mapping."),
  qualifier: field.nullableText("The alias or version; null for the function itself."),
  what: field.text("What was found."),
  why: field.text("Why it matters."),
  containment: z
    .object({
      action: field.text("The connector action that closes it."),
      inputs: z.record(z.string(), z.json()).describe("Its inputs (the function by its ARN)."),
      asset: z
        .object({
          region_name: field.text("The region the asset that runs it must name."),
          role_arn: field.nullableText(
            "The role it must assume; null for the sweep asset's own credentials.",
          ),
        })
        .describe("The asset to run it with: the function's region and account."),
    })
    .nullable()
    .describe("How to close it with this connector; null when no action does (see remedy)."),
  remedy: field.nullableText(
    "What to do beyond the connector (rotate a secret, move off a runtime), or null.",
  ),
});

/** Something the sweep could not read: an account, a region, or one function. */
export const unreadSchema = z.object({
  account_id: field.nullableText("The account; null when the asset's is not known."),
  role_arn: field.nullableText("The role assumed into it; null for the asset's own."),
  region: field.nullableText("The region; null when the whole account was unreadable."),
  function_name: field.nullableText("The function; null for a whole region or account."),
  stage: z
    .enum(["regions", "list_functions", "check", "deadline"])
    .describe(
      "What was being done: listing regions or functions, a check, or waiting on the deadline.",
    ),
  check: z
    .enum(CHECK_NAMES)
    .nullable()
    .describe("The check on the function that was left incomplete; null for a region or account."),
  what: field.nullableText(
    "The read that failed, when the check ran but could not make one (its judge's check and read); null when the whole check or listing failed.",
  ),
  ...errorOutput("What went wrong.").shape,
});

/** What each row of the counts by account or region holds besides its name. */
const placeCounts = {
  functions: field.integer("Functions checked there."),
  findings_by_severity: severityCounts,
};

/** An error as the sweep prints it: the connector's code and a message. */
const sweepErrorSchema = errorOutput("What went wrong.");

/** The output of sweep_functions. */
export const sweepFunctionsOutput = z.object({
  complete: field.flag(
    "true only when every account, region and function asked for was read and checked.",
  ),
  checks: z.array(z.enum(CHECK_NAMES)).describe("The checks run on each function."),
  accounts: z
    .array(
      z.object({
        account_id: field.nullableText("The account; null when not known."),
        role_arn: field.nullableText("The role assumed; null for the asset's own credentials."),
        regions: field.texts("The regions swept in it."),
        regions_source: z
          .enum(["inputs", "ec2:DescribeRegions", "sdk_partition_data"])
          .describe(
            "Where the regions came from: the inputs, EC2 DescribeRegions, or the SDK's partition data when EC2 was refused.",
          ),
        regions_source_error: z
          .nullable(sweepErrorSchema)
          .describe("Why DescribeRegions was not used, when it was asked and failed."),
      }),
    )
    .describe("Each account swept and where its regions came from."),
  findings_count: field.integer(
    "How many findings in all (findings holds the most severe of them).",
  ),
  counts: z
    .object({
      by_severity: severityCounts,
      accounts: z
        .array(z.object({ account_id: field.text("The account."), ...placeCounts }))
        .describe("Findings by account."),
      regions: z
        .array(z.object({ region: field.text("The region."), ...placeCounts }))
        .describe("Findings by region, over every account."),
    })
    .describe("Findings counted by severity, account and region."),
  functions_checked: field.integer("Functions every check ran on."),
  findings: z
    .array(sweepFindingSchema)
    .describe(
      `The ${INLINE_FINDINGS} most severe findings, ranked; the whole list is in the report.`,
    ),
  findings_truncated: field.flag(
    `true when there are more than ${INLINE_FINDINGS} findings, or the inline report was cut.`,
  ),
  unread_targets: z
    .array(unreadSchema)
    .describe(
      "Every account, region or function that could not be read, and every read a check could not make on a function, with its error: never a silent gap.",
    ),
  report: z
    .object({
      file_api: field.flag("Whether the platform's file API was there to take the report."),
      json: fileReferenceSchema.nullable().describe("The whole report as JSON, a Turbine file."),
      csv: fileReferenceSchema.nullable().describe("Every finding as CSV, a Turbine file."),
      error: z
        .nullable(sweepErrorSchema)
        .describe("Why the files could not be stored, when the file API failed."),
      findings: z
        .array(sweepFindingSchema)
        .nullable()
        .describe(
          "Without the files: every finding that fits output_limit_bytes, ranked; null with them.",
        ),
      truncated: field.flag("true when the inline findings were cut to output_limit_bytes."),
    })
    .describe("The whole report: as files when the platform can take them, else inline and cut."),
  throttling: z
    .object({
      retries: field.integer(
        "Throttled tasks (one region's listing, or one function's check) sent again after the shared back-off.",
      ),
      given_up: field.integer(
        "Calls still throttled after every back-off (listed in unread_targets).",
      ),
      narrowest_concurrency: field.integer(
        "The fewest tasks the pool let run at once in one account and region while AWS throttled it.",
      ),
    })
    .describe("How much AWS throttled the sweep and how the pool backed off."),
  deadline_reached: field.flag("true when timeout_seconds passed before the sweep ended."),
  elapsed_ms: field.integer("How long the sweep took."),
});

/** One finding as the output prints it. */
export type SweepFinding = z.input<typeof sweepFindingSchema>;
/** One unread account, region or function. */
export type Unread = z.input<typeof unreadSchema>;
