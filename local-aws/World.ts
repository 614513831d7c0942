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

/** An IAM role that callers reach through STS AssumeRole. */
export interface RoleDefinition {
  name: string;
  /** Principal ARNs the trust policy names; wildcards allowed. */
  trustedPrincipals: string[];
  /** When set, the trust policy's `sts:ExternalId` condition: callers must pass exactly this. */
  externalId?: string;
  /** The role's MaxSessionDuration, 3600 to 43200 seconds. */
  maxSessionDurationSeconds: number;
  /** Permissions of the sessions that assume the role. */
  policy: PolicyStatement[];
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
}

/** Everything that exists in the local account: identities and functions. */
export interface World {
  accountId: string;
  users: UserDefinition[];
  roles: RoleDefinition[];
  functions: FunctionDefinition[];
}
