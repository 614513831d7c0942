import { z } from "zod";
import { partitionOfRegion, REGION_RULE } from "../../asset/partitions.js";
import { roleArnInput } from "../../asset/schema.js";
import { listFunctionsInputs } from "../list_functions/list_functions.js";
import { CHECK_NAMES, SWEEP_CHECKS } from "./checks.js";

/** The deadline of a whole sweep when none is given, and the longest one allowed. */
export const DEFAULT_SWEEP_SECONDS = 600;
export const MAX_SWEEP_SECONDS = 3600;
/** Regions and accounts a sweep covers at most. */
export const MAX_REGIONS = 40;
export const MAX_ACCOUNTS = 50;
/** Above this many bytes of inline report, the report without the file API is cut. */
export const DEFAULT_OUTPUT_LIMIT_BYTES = 1024 * 1024;

const RELATIVE_AGE = /^(?<amount>[1-9]\d{0,3})(?<unit>[hd])$/;
const ISO_INSTANT =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

/**
 * The instant `modified_since` names, in epoch milliseconds: an ISO 8601 date or instant
 * (`2026-11-30`, `2026-11-30T08:00:00Z`), or an age before `now` (`24h`, `7d`);
 * undefined when it is neither.
 *
 * @example
 * ```ts
 * sinceInstant("24h", Date.parse("2026-12-02T00:00:00Z")); // Date.parse("2026-12-01T00:00:00Z")
 * ```
 */
export function sinceInstant(value: string, now: number): number | undefined {
  const age = RELATIVE_AGE.exec(value)?.groups;
  if (age !== undefined) {
    const hours = Number(age.amount) * (age.unit === "d" ? 24 : 1);
    return now - hours * 3_600_000;
  }
  if (!ISO_INSTANT.test(value)) {
    return undefined;
  }
  const parsed = lambdaInstant(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** An instant as Lambda prints it (`2026-11-30T08:00:00.000+0000`) or as ISO 8601, in epoch ms. */
export function lambdaInstant(value: string): number {
  return Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
}

const region = z
  .string({ error: "must be a string" })
  .refine((value) => partitionOfRegion(value) !== undefined, { message: REGION_RULE });

/** The inputs of sweep_functions. */
export const sweepFunctionsInputs = z
  .strictObject({
    regions: z
      .union([
        z.literal("all"),
        z
          .array(region)
          .min(1, "must name at least one region, or be all")
          .max(MAX_REGIONS, `must name at most ${MAX_REGIONS} regions`),
      ])
      .optional()
      .meta({
        title: "Regions",
        description:
          "The regions to sweep, or all for each account's enabled regions (EC2 DescribeRegions; the SDK's partition data when that is denied). The asset's region when not given.",
        examples: [["us-east-1", "eu-west-1"], "all"],
      }),
    role_arns: z
      .array(roleArnInput)
      .min(1, "must name at least one role when given")
      .max(MAX_ACCOUNTS, `must name at most ${MAX_ACCOUNTS} roles`)
      .optional()
      .meta({
        title: "Role ARNs",
        description:
          "Roles of other accounts to assume, with the asset's credentials (chained from the asset's own role when it has one), and sweep as well.",
        examples: [["arn:aws:iam::210987654321:role/TurbineLambdaAudit"]],
      }),
    include_asset_account: z.boolean({ error: "must be true or false" }).default(true).meta({
      title: "Include Asset Account",
      description:
        "Sweep the account of the asset's own credentials too; false sweeps only role_arns.",
    }),
    checks: z
      .array(z.enum(CHECK_NAMES, { error: `must be one of ${CHECK_NAMES.join(", ")}` }))
      .min(1, "must name at least one check")
      .default(["exposure"])
      .meta({
        title: "Checks",
        description: `What to judge on each function: ${CHECK_NAMES.map((name) => `${name} (${SWEEP_CHECKS[name].description})`).join("; ")}.`,
        examples: [["exposure"]],
      }),
    concurrency: z
      .number({ error: "must be a whole number" })
      .int("must be a whole number")
      .min(1, "must be from 1 to 64")
      .max(64, "must be from 1 to 64")
      .default(16)
      .meta({
        title: "Concurrency",
        description:
          "Functions checked at once across every account and region; fewer while AWS throttles.",
      }),
    // The same filter as list_functions, which each region's listing runs.
    name_contains: listFunctionsInputs.shape.name_contains,
    modified_since: z
      .string({ error: "must be a string" })
      .refine((value) => sinceInstant(value, 0) !== undefined, {
        message:
          "must be an ISO 8601 date or instant (2026-11-30, 2026-11-30T08:00:00Z) or an age such as 24h or 7d (1 to 9999 hours or days)",
      })
      .optional()
      .meta({
        title: "Modified Since",
        description: "Only functions changed since this instant, or within this age (24h, 7d).",
        examples: ["7d", "2026-11-30T08:00:00Z"],
      }),
    timeout_seconds: z
      .number({ error: "must be a whole number of seconds" })
      .int("must be a whole number of seconds")
      .min(1, `must be from 1 to ${MAX_SWEEP_SECONDS} seconds`)
      .max(MAX_SWEEP_SECONDS, `must be from 1 to ${MAX_SWEEP_SECONDS} seconds`)
      .default(DEFAULT_SWEEP_SECONDS)
      .meta({
        title: "Timeout Seconds",
        description:
          "Deadline of the whole sweep; what it could not reach by then is listed in unread_targets.",
      }),
    output_limit_bytes: z
      .number({ error: "must be a whole number of bytes" })
      .int("must be a whole number of bytes")
      .min(10_000, "must be from 10000 to 10485760 bytes")
      .max(10 * 1024 * 1024, "must be from 10000 to 10485760 bytes")
      .default(DEFAULT_OUTPUT_LIMIT_BYTES)
      .meta({
        title: "Output Limit Bytes",
        description:
          "Without the platform's file API, the inline report is cut to this size (truncated: true).",
      }),
  })
  .refine((inputs) => inputs.include_asset_account || inputs.role_arns !== undefined, {
    message: "role_arns: must name at least one role when include_asset_account is false",
    path: ["role_arns"],
  });

/** The validated inputs. */
export type SweepInputs = z.output<typeof sweepFunctionsInputs>;
