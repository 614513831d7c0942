import { partition as sdkPartition } from "@aws-sdk/core/client";
import { partitionOfRegion } from "../../asset/partitions.js";
import type { AwsCall } from "../../aws/call.js";
import type { Executor } from "../../aws/executor.js";
import { ConnectorError } from "../../errors.js";

/** Where an account's list of regions came from. */
export type RegionsSource = "inputs" | "ec2:DescribeRegions" | "sdk_partition_data";

/** An account's regions to sweep, where they came from, and why EC2 was not used when it was not. */
export interface AccountRegions {
  regions: string[];
  source: RegionsSource;
  /** Why DescribeRegions could not be used (denied, unreachable); null when it was, or was not asked. */
  error: { code: string; message: string } | null;
}

const describeRegions: AwsCall = {
  service: "ec2",
  operation: "DescribeRegions",
  retry: "idempotent",
  hints: {
    UnauthorizedOperation:
      "Grant ec2:DescribeRegions to list the account's enabled regions; without it the sweep covers the partition's regions from the SDK's data, and those not enabled are listed in unread_targets.",
  },
};

/**
 * The account's enabled regions through EC2 DescribeRegions, in the asset's partition;
 * when EC2 refuses or cannot be reached, every region the SDK's partition data knows.
 * A failure to assume the account's role is not a reason to fall back: it is thrown.
 *
 * @example
 * ```ts
 * const { regions, source } = await enabledRegions(executor.within({ region: "us-east-1", roleArn }));
 * ```
 */
export async function enabledRegions(executor: Executor): Promise<AccountRegions> {
  const partitionId = executor.location.partition;
  try {
    const { DescribeRegionsCommand } = await import("@aws-sdk/client-ec2");
    const response = await executor.send<{
      Regions?: { RegionName?: string }[];
      $metadata: object;
    }>(describeRegions, new DescribeRegionsCommand({ AllRegions: false }));
    const regions = (response.Regions ?? [])
      .map((region) => region.RegionName ?? "")
      .filter((name) => partitionOfRegion(name)?.id === partitionId);
    if (regions.length > 0) {
      return { regions: [...new Set(regions)].sort(), source: "ec2:DescribeRegions", error: null };
    }
    return {
      regions: partitionRegions(partitionId),
      source: "sdk_partition_data",
      error: {
        code: "endpoint_error",
        message: "DescribeRegions listed no region of the partition.",
      },
    };
  } catch (error) {
    if (
      !(error instanceof ConnectorError) ||
      error.code === "assume_role_failed" ||
      error.code === "authentication_failed" ||
      error.code === "credentials_expired"
    ) {
      throw error;
    }
    return {
      regions: partitionRegions(partitionId),
      source: "sdk_partition_data",
      error: { code: error.code, message: error.message },
    };
  }
}

/** Direction words of AWS region names (`eu-central-2`, `ap-southeast-5`). */
const DIRECTIONS = [
  "east",
  "west",
  "north",
  "south",
  "central",
  "northeast",
  "northwest",
  "southeast",
  "southwest",
];

/** The name prefixes of each partition's regions, read off its pattern. */
const PREFIXES: Readonly<Record<string, readonly string[]>> = {
  aws: ["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"],
  "aws-cn": ["cn"],
  "aws-us-gov": ["us-gov"],
  "aws-iso": ["us-iso"],
  "aws-iso-b": ["us-isob"],
  "aws-iso-f": ["us-isof"],
  "aws-iso-e": ["eu-isoe"],
  "aws-eusc": ["eusc-de"],
};

/**
 * Every region of `partitionId` that the SDK's partition data names. The SDK exports
 * only a lookup, so each name a region of the partition could have is looked up, and
 * those it describes (a known region carries a `description`) are kept.
 *
 * @example
 * ```ts
 * partitionRegions("aws-cn"); // ["cn-north-1", "cn-northwest-1"]
 * ```
 */
export function partitionRegions(partitionId: string): string[] {
  const known: string[] = [];
  for (const prefix of PREFIXES[partitionId] ?? []) {
    for (const direction of DIRECTIONS) {
      for (let number = 1; number <= 9; number++) {
        const name = `${prefix}-${direction}-${number}`;
        const found = sdkPartition(name) as { name?: string; description?: string };
        if (
          found.description !== undefined &&
          found.name === partitionId &&
          partitionOfRegion(name)?.id === partitionId
        ) {
          known.push(name);
        }
      }
    }
  }
  return known.sort();
}
