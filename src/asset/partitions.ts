/**
 * AWS partitions and the shapes of names that depend on them. Regions are matched
 * by each partition's own pattern rather than a fixed list, so a region launched
 * after this release still validates; the SDK's `partition()` is not used because
 * it answers `aws` for any string.
 */

/** One AWS partition: its ARN prefix and the pattern its region names follow. */
export interface Partition {
  readonly id: string;
  readonly regionPattern: RegExp;
  readonly exampleRegion: string;
}

/** Every partition the connector accepts, most specific patterns first. */
export const PARTITIONS: readonly Partition[] = [
  { id: "aws-us-gov", regionPattern: /^us-gov-[a-z]+-\d+$/, exampleRegion: "us-gov-west-1" },
  { id: "aws-iso", regionPattern: /^us-iso-[a-z]+-\d+$/, exampleRegion: "us-iso-east-1" },
  { id: "aws-iso-b", regionPattern: /^us-isob-[a-z]+-\d+$/, exampleRegion: "us-isob-east-1" },
  { id: "aws-iso-f", regionPattern: /^us-isof-[a-z]+-\d+$/, exampleRegion: "us-isof-south-1" },
  { id: "aws-iso-e", regionPattern: /^eu-isoe-[a-z]+-\d+$/, exampleRegion: "eu-isoe-west-1" },
  { id: "aws-eusc", regionPattern: /^eusc-de-[a-z]+-\d+$/, exampleRegion: "eusc-de-east-1" },
  { id: "aws-cn", regionPattern: /^cn-[a-z]+-\d+$/, exampleRegion: "cn-north-1" },
  {
    id: "aws",
    regionPattern: /^(us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d+$/,
    exampleRegion: "us-east-1",
  },
];

const PARTITION_IDS = PARTITIONS.map((p) => p.id);

/** The regular-expression alternation of all partition IDs, longest first. */
export const PARTITION_ALTERNATION = [...PARTITION_IDS]
  .sort((a, b) => b.length - a.length)
  .join("|");

/**
 * The partition a region belongs to, or `undefined` when the string is no region.
 *
 * @example
 * ```ts
 * partitionOfRegion("cn-north-1")?.id; // "aws-cn"
 * partitionOfRegion("fips-us-east-1"); // undefined: FIPS is not a region
 * ```
 */
export function partitionOfRegion(region: string): Partition | undefined {
  return PARTITIONS.find((p) => p.regionPattern.test(region));
}

/** A sentence listing what a region may look like, for validation messages. */
export const REGION_RULE = `must be an AWS region name such as ${PARTITIONS.map(
  (p) => p.exampleRegion,
)
  .reverse()
  .slice(0, 4)
  .join(", ")} (partitions: ${PARTITION_IDS.join(", ")})`;
