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
  /** `LastModified`, as Lambda prints it; a fixed date by default. */
  lastModified?: string;
  /** Changes whenever the function or one of its policies does; a stable one by default. */
  revisionId?: string;
  /** Epoch milliseconds until which the function is `Pending` (just created); `Active` after. */
  pendingUntil?: number;
  /**
   * Lambda tenant isolation (`TenancyConfig.TenantIsolationMode`): every invocation must
   * name its tenant (`TenantId`), and a function without it refuses one that does.
   */
  tenancy?: { isolationMode: "PER_TENANT" };
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
}
