/**
 * One statement of an identity-based policy. Actions (`lambda:InvokeFunction`) and
 * resources (ARNs) may use IAM's `*` and `?` wildcards; an explicit `Deny` wins.
 */
export interface PolicyStatement {
  effect: "Allow" | "Deny";
  actions: string[];
  resources: string[];
}

/** An IAM user with one long-term access key. */
export interface UserDefinition {
  name: string;
  /** `AKIA…` key ID. */
  accessKeyId: string;
  secretAccessKey: string;
  policy: PolicyStatement[];
}

/** An IAM role that callers reach through STS AssumeRole, or that a function runs as. */
export interface RoleDefinition {
  name: string;
  /** Principal ARNs the trust policy names; wildcards allowed. */
  trustedPrincipals: string[];
  /**
   * Service principals the trust policy names, e.g. `lambda.amazonaws.com`: a role
   * CreateFunction accepts as a function's execution role must trust Lambda.
   */
  trustedServices?: string[];
  /** When set, the trust policy's `sts:ExternalId` condition: callers must pass exactly this. */
  externalId?: string;
  /** The role's MaxSessionDuration, 3600 to 43200 seconds. */
  maxSessionDurationSeconds: number;
  /** Permissions of the sessions that assume the role. */
  policy: PolicyStatement[];
  /** IAM's path of the role, `/` by default (`/service-role/` for Lambda's console roles). */
  path?: string;
  /** The role's description, as GetRole reports it. */
  description?: string;
  /** ISO 8601 instant the role was created; a fixed date by default. */
  createDate?: string;
  /** ARNs of the managed policies attached to the role (in `World.managedPolicies`). */
  attachedPolicyArns?: string[];
  /**
   * Inline policies by name, each the policy document exactly as PutRolePolicy received it.
   * Reported by IAM's reads; the role's sessions keep `policy` (the endpoint does not
   * re-evaluate a role's permissions from these documents).
   */
  inlinePolicies?: Record<string, string>;
}

/** One version of a managed policy: its document, as IAM stores it. */
export interface ManagedPolicyVersionDefinition {
  /** `v1`, `v2`, … */
  versionId: string;
  /** The policy document (JSON text). */
  document: string;
  /** ISO 8601 instant. */
  createDate: string;
}

/** A managed policy (AWS's own, `arn:aws:iam::aws:policy/…`, or the account's) and its versions. */
export interface ManagedPolicyDefinition {
  arn: string;
  name: string;
  /** IAM's path, e.g. `/service-role/`. */
  path: string;
  description?: string;
  /** The version in force. */
  defaultVersionId: string;
  versions: ManagedPolicyVersionDefinition[];
  /** ISO 8601 instants. */
  createDate: string;
  updateDate: string;
}

/** A condition block of a resource-based policy statement: operator → key → value(s). */
export type PolicyCondition = Record<string, Record<string, string | string[]>>;

/**
 * One statement of a function's resource-based policy, spelled exactly as Lambda's
 * GetPolicy returns it (so a statement pasted from AWS works as it is).
 */
export interface ResourcePolicyStatement {
  Sid: string;
  Effect: "Allow" | "Deny";
  /** `"*"` for anyone, `{ AWS: <ARN or account root> }`, or `{ Service: <service principal> }`. */
  Principal: "*" | { AWS: string | string[] } | { Service: string | string[] };
  Action: string | string[];
  Resource: string | string[];
  Condition?: PolicyCondition;
}

/** A function URL, as GetFunctionUrlConfig describes it. */
export interface FunctionUrlDefinition {
  /** `https://<id>.lambda-url.<region>.on.aws/`. */
  url: string;
  authType: "NONE" | "AWS_IAM";
  /** The CORS settings, in the API's own spelling (`AllowOrigins`, `MaxAge`, …). */
  cors?: Record<string, unknown>;
  invokeMode: "BUFFERED" | "RESPONSE_STREAM";
  /** ISO-8601 instants. */
  creationTime: string;
  lastModifiedTime: string;
}

/** A function's VPC attachment, as GetFunction reports it. */
export interface VpcDefinition {
  subnetIds: string[];
  securityGroupIds: string[];
  vpcId: string;
}

/** A Lambda function, with the code that runs for every one of its versions. */
export interface FunctionDefinition {
  name: string;
  region: string;
  /** Absolute path of an ESM JavaScript module exporting `handler`. */
  code: string;
  timeoutSeconds: number;
  memorySizeMb: number;
  /** Published versions besides `$LATEST`, e.g. `["1", "2"]`. */
  versions?: string[];
  /** Alias name → version it points at. */
  aliases?: Record<string, string>;
  /**
   * Alias name → other versions and the share (0 to 1) of invocations each gets, as
   * ListAliases reports them in `RoutingConfig.AdditionalVersionWeights`. Reported only:
   * every invocation of an alias runs the version it points at, so tests stay repeatable.
   */
  aliasRouting?: Record<string, Record<string, number>>;
  /** The function's environment variables; the host's own environment is never passed in. */
  environment?: Record<string, string>;
  /** The runtime Lambda reports; `nodejs20.x` by default. Handlers always run in this Node. */
  runtime?: string;
  /** The handler Lambda reports; `<code file's base name>.handler` by default. */
  handler?: string;
  /** The execution role's ARN; `arn:aws:iam::<account>:role/service-role/<name>-role` by default. */
  role?: string;
  /** The function's description; empty by default. */
  description?: string;
  /** `x86_64` by default. */
  architectures?: string[];
  /** Layer version ARNs, in order. */
  layers?: string[];
  vpc?: VpcDefinition;
  tags?: Record<string, string>;
  /** Reserved concurrency; 0 throttles every invocation. Unset: the account's unreserved pool. */
  reservedConcurrency?: number;
  /** Resource-based policies by qualifier: `""` for the unqualified function, else the version or alias. */
  policies?: Record<string, ResourcePolicyStatement[]>;
  /** Function URLs by qualifier: `""` for the unqualified function, else the alias. */
  urls?: Record<string, FunctionUrlDefinition>;
  /**
   * The deployment package CreateFunction received; without it the package is the `code`
   * file itself.
   */
  codePackage?: { sizeBytes: number; sha256: string };
  /**
   * Where the bytes `codePackage` describes are on disk, for GetFunction's download URL;
   * without it a function with a `codePackage` has no bytes to download (404).
   */
  packageFile?: string;
  /** `LastModified`, as Lambda prints it; a fixed date by default. */
  lastModified?: string;
  /** Changes whenever the function or one of its policies does; a stable one by default. */
  revisionId?: string;
  /** Epoch milliseconds until which the function is `Pending` (just created); `Active` after. */
  pendingUntil?: number;
  /** Alias name → its description; empty when not set. */
  aliasDescriptions?: Record<string, string>;
  /** Alias name → its revision, changed by each update; a stable one by default. */
  aliasRevisions?: Record<string, string>;
  /** The highest version number ever published: numbers are never reused. */
  highestVersion?: number;
  /**
   * Published version → the fingerprint of the code and configuration it froze:
   * PublishVersion publishes nothing new while `$LATEST` still matches the latest one.
   */
  versionFingerprints?: Record<string, string>;
  /** The dead-letter queue or topic failed asynchronous events go to. */
  deadLetterTargetArn?: string;
  /**
   * The last UpdateFunctionConfiguration or UpdateFunctionCode: `InProgress` until
   * `until` (epoch milliseconds, the endpoint's clock), then `status` with its reason.
   */
  lastUpdate?: LastUpdateDefinition;
  /** When set, the next update ends `Failed` with this reason (then it is cleared). */
  failNextUpdate?: { reasonCode: string; reason: string };
  /** Asynchronous invocation settings by qualifier: `""` for the unqualified function. */
  eventInvokeConfigs?: Record<string, EventInvokeConfigDefinition>;
  /** Recursive loop detection: `Terminate` (Lambda's default) or `Allow`. */
  recursiveLoop?: "Terminate" | "Allow";
  /** The code-signing config attached to the function (GetFunctionCodeSigningConfig); none by default. */
  codeSigningConfigArn?: string;
  /** Provisioned concurrency by qualifier (a version or an alias). */
  provisionedConcurrency?: Record<string, ProvisionedConcurrencyDefinition>;
  /**
   * Lambda tenant isolation (`TenancyConfig.TenantIsolationMode`): every invocation must
   * name its tenant (`TenantId`), and a function without it refuses one that does.
   */
  tenancy?: { isolationMode: "PER_TENANT" };
}

/** How a function's last update ends, and when. */
export interface LastUpdateDefinition {
  until: number;
  status: "Successful" | "Failed";
  reasonCode?: string;
  reason?: string;
}

/** A function's (or qualifier's) asynchronous invocation settings, as Lambda stores them. */
export interface EventInvokeConfigDefinition {
  maximumRetryAttempts?: number;
  maximumEventAgeInSeconds?: number;
  /** Destination ARNs for successful and failed asynchronous invocations. */
  onSuccess?: string;
  onFailure?: string;
  /** Epoch milliseconds of the last change. */
  lastModified: number;
}

/** One execution of a durable function. */
export interface DurableExecutionDefinition {
  name: string;
  /** Unique within the function's executions of that name. */
  id: string;
  region: string;
  functionName: string;
  /** The version it runs: `$LATEST` or a number. */
  version: string;
  status: "RUNNING" | "SUCCEEDED" | "FAILED" | "STOPPED" | "TIMED_OUT";
  /** Epoch milliseconds. */
  startedAt: number;
  endedAt?: number;
}

/** Provisioned concurrency on one version or alias, as GetProvisionedConcurrencyConfig reports it. */
export interface ProvisionedConcurrencyDefinition {
  requested: number;
  /** ISO 8601 instant of the last change. */
  lastModified: string;
}

/** An event source mapping: a queue or stream that Lambda polls on a function's behalf. */
export interface EventSourceMappingDefinition {
  uuid: string;
  region: string;
  /** The function's name, in the mapping's region. */
  functionName: string;
  eventSourceArn: string;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  /** Streams (Kinesis, DynamoDB) only: `LATEST` or `TRIM_HORIZON`. */
  startingPosition?: string;
  /** Whether the mapping is (or is becoming) enabled. */
  enabled: boolean;
  /** Epoch milliseconds until which the mapping is `Enabling` or `Disabling`. */
  transitionUntil?: number;
  /** Epoch milliseconds of the last change. */
  lastModified: number;
}

/** One published version of a layer. */
export interface LayerVersionDefinition {
  version: number;
  description: string;
  /** As Lambda prints it: `2025-01-01T00:00:00.000+0000`. */
  createdDate: string;
  compatibleRuntimes?: string[];
  compatibleArchitectures?: string[];
  licenseInfo?: string;
  codeSize: number;
  codeSha256: string;
  /** The archive's bytes, served at `Content.Location`; without them a download is a 404. */
  content?: Buffer;
}

/** A Lambda layer and its versions. */
export interface LayerDefinition {
  name: string;
  region: string;
  /** The highest version number ever published: numbers are never reused. */
  latestVersion: number;
  versions: LayerVersionDefinition[];
}

/** Everything that exists in the local account: identities, functions and what hangs off them. */
export interface World {
  accountId: string;
  users: UserDefinition[];
  roles: RoleDefinition[];
  functions: FunctionDefinition[];
  eventSourceMappings?: EventSourceMappingDefinition[];
  layers?: LayerDefinition[];
  /** Durable executions of the functions (ListDurableExecutionsByFunction, StopDurableExecution). */
  durableExecutions?: DurableExecutionDefinition[];
  /** Managed policies that roles may have attached (IAM's GetPolicy, GetPolicyVersion). */
  managedPolicies?: ManagedPolicyDefinition[];
  /**
   * Layers of other accounts shared with this one (their permission policy grants it
   * `lambda:GetLayerVersion`): GetLayerVersionByArn reads them, the listings do not.
   */
  sharedLayers?: (LayerDefinition & { accountId: string })[];
  /**
   * The account's enabled regions, as EC2 DescribeRegions lists them; by default the
   * regions its functions live in, and us-east-1.
   */
  regions?: string[];
  /**
   * Regions a service control policy denies (an `aws:RequestedRegion` condition): every
   * Lambda call signed for one is 403 AccessDeniedException, whatever the caller's policy.
   */
  deniedRegions?: string[];
  /**
   * Other accounts of the organization, each a world of its own (users are the first
   * world's only): reached by AssumeRole into one of their roles, whose sessions then see
   * that account's functions.
   */
  accounts?: World[];
}

/** The world of `accountId`: the first world or one of its other accounts. */
export function accountWorld(world: World, accountId: string): World | undefined {
  return world.accountId === accountId
    ? world
    : world.accounts?.find((other) => other.accountId === accountId);
}

/** The regions EC2 DescribeRegions lists for the account. */
export function enabledRegions(world: World): string[] {
  return (
    world.regions ?? [...new Set(["us-east-1", ...world.functions.map((fn) => fn.region)])].sort()
  );
}
