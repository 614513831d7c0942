/**
 * When Lambda deprecates each managed runtime: after that date it gets no security
 * patches, and Lambda later blocks creating, then updating, functions on it.
 *
 * Source: AWS's runtime deprecation schedule, "Lambda runtimes" in the AWS Lambda
 * Developer Guide (docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html), the
 * "Deprecation date" of the supported and deprecated runtime tables, as of
 * {@link RUNTIME_TABLE_AS_OF}. AWS may move projected dates: update this table then.
 */
export const RUNTIME_DEPRECATIONS: Readonly<Record<string, string>> = {
  "nodejs24.x": "2028-04-30",
  "nodejs22.x": "2027-04-30",
  "nodejs20.x": "2026-04-30",
  "nodejs18.x": "2025-09-01",
  "nodejs16.x": "2024-06-12",
  "nodejs14.x": "2023-12-04",
  "nodejs12.x": "2023-03-31",
  "nodejs10.x": "2021-07-30",
  "nodejs8.10": "2020-03-06",
  "nodejs6.10": "2019-08-12",
  "nodejs4.3": "2020-03-05",
  "python3.14": "2029-06-30",
  "python3.13": "2029-06-30",
  "python3.12": "2028-10-31",
  "python3.11": "2026-06-30",
  "python3.10": "2026-06-30",
  "python3.9": "2025-12-15",
  "python3.8": "2024-10-14",
  "python3.7": "2023-12-04",
  "python3.6": "2022-07-18",
  "python2.7": "2021-07-15",
  java25: "2029-06-30",
  java21: "2029-06-30",
  java17: "2026-06-30",
  java11: "2026-06-30",
  "java8.al2": "2026-06-30",
  java8: "2024-01-08",
  dotnet10: "2028-11-14",
  dotnet8: "2026-11-10",
  dotnet7: "2024-05-14",
  dotnet6: "2024-12-20",
  "dotnet5.0": "2022-05-10",
  "dotnetcore3.1": "2023-04-03",
  "dotnetcore2.1": "2022-01-05",
  "ruby3.4": "2028-03-31",
  "ruby3.3": "2027-03-31",
  "ruby3.2": "2026-03-31",
  "ruby2.7": "2023-12-07",
  "ruby2.5": "2021-07-30",
  "provided.al2023": "2029-06-30",
  "provided.al2": "2026-06-30",
  provided: "2024-01-08",
  "go1.x": "2024-01-08",
};

/** The day the table above was last checked against AWS's schedule. */
export const RUNTIME_TABLE_AS_OF = "2026-02-15";

/** How long before its deprecation a runtime is reported as due. */
export const DEPRECATION_WARNING_DAYS = 90;

const DAY_MS = 86_400_000;

/** Where a runtime stands on the schedule at `now`. */
export type RuntimeStanding =
  | { status: "deprecated" | "deprecating" | "supported"; deprecation_date: string; days: number }
  | { status: "unknown" };

/**
 * A runtime's standing at `now`: deprecated (since `days` days), deprecating (in `days`
 * days, at most {@link DEPRECATION_WARNING_DAYS}), supported, or unknown (not in the table).
 *
 * @example
 * ```ts
 * runtimeStanding("nodejs18.x", Date.parse("2026-03-01")); // { status: "deprecated", deprecation_date: "2025-09-01", days: 181 }
 * ```
 */
export function runtimeStanding(runtime: string, now: number): RuntimeStanding {
  const date = RUNTIME_DEPRECATIONS[runtime];
  if (date === undefined) {
    return { status: "unknown" };
  }
  const left = Date.parse(`${date}T00:00:00Z`) - now;
  const days = Math.floor(Math.abs(left) / DAY_MS);
  if (left < 0) {
    return { status: "deprecated", deprecation_date: date, days };
  }
  return {
    status: days <= DEPRECATION_WARNING_DAYS ? "deprecating" : "supported",
    deprecation_date: date,
    days,
  };
}
