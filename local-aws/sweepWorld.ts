import { fileURLToPath } from "node:url";
import { DEMO_ACCOUNT_ID, DEMO_ROLE, DEMO_USER, defaultWorld } from "./defaultWorld.js";
import { numberedFunctions } from "./numberedFunctions.js";
import type { FunctionDefinition, PolicyStatement, World } from "./World.js";

/** A second account of the organization, reached from the demo's credentials by AssumeRole. */
export const AUDIT_ACCOUNT_ID = "210987654321";

/**
 * The role of the audit account that a sweep assumes: it trusts the demo user and every
 * session of the demo's invoker role (so an asset that assumes that role chains into it),
 * requires no ExternalId, and may read what an exposure check reads.
 */
export const AUDIT_ROLE = {
  name: "TurbineLambdaAudit",
  arn: `arn:aws:iam::${AUDIT_ACCOUNT_ID}:role/TurbineLambdaAudit`,
} as const;

/** The audit account's function that anyone may invoke, in eu-west-1. */
export const AUDIT_PUBLIC_FUNCTION = {
  name: "partner-intake",
  region: "eu-west-1",
  arn: `arn:aws:lambda:eu-west-1:${AUDIT_ACCOUNT_ID}:function:partner-intake`,
  statementId: "partner-invoke",
} as const;

/** The four regions the sweep world's accounts have enabled. */
export const SWEEP_REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"] as const;

const ECHO_CODE = fileURLToPath(new URL("./functions/echo.js", import.meta.url));

/** What an exposure check reads, on every function and mapping of any account. */
const EXPOSURE_READS: PolicyStatement[] = [
  {
    effect: "Allow",
    actions: [
      "lambda:GetFunction",
      "lambda:GetPolicy",
      "lambda:GetFunctionUrlConfig",
      "lambda:ListAliases",
      "lambda:ListVersionsByFunction",
      "lambda:ListTags",
    ],
    resources: ["arn:aws:lambda:*:*:function:*"],
  },
  {
    effect: "Allow",
    actions: ["lambda:ListFunctions", "lambda:ListEventSourceMappings"],
    resources: ["*"],
  },
];

const DESCRIBE_REGIONS: PolicyStatement = {
  effect: "Allow",
  actions: ["ec2:DescribeRegions"],
  resources: ["*"],
};

/** What a security check reads besides the exposure's (the demo identities already read IAM). */
const SECURITY_READS: PolicyStatement = {
  effect: "Allow",
  actions: [
    "lambda:GetFunctionCodeSigningConfig",
    "lambda:ListFunctionEventInvokeConfigs",
    "lambda:GetFunctionRecursionConfig",
  ],
  resources: ["arn:aws:lambda:*:*:function:*"],
};

/** How {@link sweepWorld} is built. */
export interface SweepWorldOptions {
  /** Copies of `echo` added to each region of each account (`sweep-<n>`); none by default. */
  functionsPerRegion?: number;
  /** Whether the demo identities may call ec2:DescribeRegions; they may not by default. */
  describeRegions?: boolean;
  /**
   * Whether the demo identities may make the security check's Lambda reads (code signing,
   * event invoke configs, recursion); they may not by default.
   */
  securityReads?: boolean;
}

/**
 * The demo world with its four regions enabled and a second account (`AUDIT_ACCOUNT_ID`)
 * whose role {@link AUDIT_ROLE} the demo identities may assume: for sweeps over
 * regions and accounts. The audit account holds {@link AUDIT_PUBLIC_FUNCTION} (open to
 * anyone) and `internal-report` (not exposed) in us-east-1.
 *
 * @example
 * ```ts
 * const aws = await startLocalAws({ world: sweepWorld({ functionsPerRegion: 500 }) });
 * ```
 */
export function sweepWorld(options: SweepWorldOptions = {}): World {
  const world = defaultWorld();
  world.regions = [...SWEEP_REGIONS];
  const perRegion = options.functionsPerRegion ?? 0;
  const generated = (accountPrefix: string) =>
    SWEEP_REGIONS.flatMap((region) =>
      numberedFunctions(perRegion, { prefix: `${accountPrefix}-${region}`, region }),
    );
  world.functions.push(...generated("sweep"));
  const granted = [
    ...(options.describeRegions === true ? [DESCRIBE_REGIONS] : []),
    ...(options.securityReads === true ? [SECURITY_READS] : []),
  ];
  for (const identity of [...world.users, ...world.roles]) {
    if (identity.name === DEMO_USER.name || identity.name === DEMO_ROLE.name) {
      identity.policy.push(...structuredClone(granted));
    }
  }
  const intake: FunctionDefinition = {
    name: AUDIT_PUBLIC_FUNCTION.name,
    region: AUDIT_PUBLIC_FUNCTION.region,
    code: ECHO_CODE,
    timeoutSeconds: 10,
    memorySizeMb: 128,
    policies: {
      "": [
        {
          Sid: AUDIT_PUBLIC_FUNCTION.statementId,
          Effect: "Allow",
          Principal: "*",
          Action: "lambda:InvokeFunction",
          Resource: AUDIT_PUBLIC_FUNCTION.arn,
        },
      ],
    },
  };
  const report: FunctionDefinition = {
    name: "internal-report",
    region: "us-east-1",
    code: ECHO_CODE,
    timeoutSeconds: 10,
    memorySizeMb: 128,
  };
  world.accounts = [
    {
      accountId: AUDIT_ACCOUNT_ID,
      users: [],
      roles: [
        {
          name: AUDIT_ROLE.name,
          trustedPrincipals: [
            DEMO_USER.arn,
            `arn:aws:sts::${DEMO_ACCOUNT_ID}:assumed-role/${DEMO_ROLE.name}/*`,
          ],
          maxSessionDurationSeconds: 3600,
          policy: [...structuredClone(EXPOSURE_READS), structuredClone(DESCRIBE_REGIONS)],
        },
      ],
      functions: [intake, report, ...generated("audit")],
      regions: [...SWEEP_REGIONS],
    },
  ];
  return world;
}
