import { memoizeIdentityProvider } from "@smithy/core";
import type { HttpHandler } from "@smithy/core/protocols";
import type { NodeHttpHandlerOptions } from "@smithy/node-http-handler";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Identity } from "@smithy/types";
import { type Asset, DEFAULT_ROLE_SESSION_NAME } from "../asset/schema.js";
import { ConnectorError } from "../errors.js";
import { explicitClientSettings } from "./clientSettings.js";
import { MAX_ATTEMPTS } from "./retryPolicy.js";
import { connectorUserAgent } from "./userAgent.js";

/** Refresh this long before expiry, as the SDK's own signer does. */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/** What turns the asset into credentials, besides the asset itself. */
export interface CredentialOptions {
  /** The HTTP handler for STS calls (proxy, TLS, STS's own timeout). */
  stsHandler: HttpHandler<NodeHttpHandlerOptions>;
  /** The clock; injected so tests can let credentials expire without waiting. */
  now?: () => number;
  /** Turns a credential failure into the connector's error, with the call's context. */
  wrapAssumeRoleError: (error: unknown) => ConnectorError;
  wrapChainError: (error: unknown) => ConnectorError;
  /**
   * The credentials that assume the role instead of the asset's keys: another role's
   * session, for role chaining (sweep_functions into other accounts).
   */
  base?: AwsCredentialIdentityProvider | undefined;
}

/** Where credentials are being fetched from: the machine's chain, or STS for the role. */
export type CredentialSource = "chain" | "sts";

/** The asset's credentials, and how often the role was assumed to get them. */
export interface Credentials {
  /** The keys every call signs with: the assumed role's when the asset names one. */
  provider: AwsCredentialIdentityProvider;
  /** The keys the asset itself gives (or the machine's chain): those that assume the role. */
  base: AwsCredentialIdentityProvider;
  /** AssumeRole calls made so far; 0 without a role. */
  assumeRoleCalls(): number;
  /**
   * The secret parts (secret access key, session token) of every credential obtained so
   * far, from STS or the machine's chain: printed text must mask them as the asset's own.
   */
  obtainedSecrets(): readonly string[];
  /**
   * What a call is waiting on while its credentials are fetched: the machine's chain
   * (which the role's AssumeRole itself waits on), STS, or nothing.
   */
  resolving(): CredentialSource | undefined;
}

/**
 * Turns the asset into credentials: its keys as given, else the machine's credential
 * chain; with `role_arn`, temporary credentials from `sts:AssumeRole` signed by those.
 *
 * The role's credentials come from the SDK's `fromTemporaryCredentials`, which does not
 * cache: each SDK client memoizes its provider separately, so a run that used both STS
 * and Lambda clients would assume the role once per client. One memoized provider here
 * is shared by every client instead: one AssumeRole per credential lifetime, concurrent
 * callers share one refresh, and a failed refresh is not cached.
 *
 * @example
 * ```ts
 * const { provider } = await createCredentials(asset, { stsHandler, wrapAssumeRoleError, wrapChainError });
 * new LambdaClient({ region: asset.region_name, credentials: provider });
 * ```
 */
export async function createCredentials(
  asset: Asset,
  options: CredentialOptions,
): Promise<Credentials> {
  const obtained = new Set<string>();
  const remember = (identity: AwsCredentialIdentity): AwsCredentialIdentity => {
    obtained.add(identity.secretAccessKey);
    if (identity.sessionToken !== undefined) {
      obtained.add(identity.sessionToken);
    }
    return identity;
  };
  const obtainedSecrets = () => [...obtained];
  const pending = { chain: 0, sts: 0 };
  const resolving = (): CredentialSource | undefined =>
    pending.chain > 0 ? "chain" : pending.sts > 0 ? "sts" : undefined;
  const base = counted(
    options.base ?? (await baseCredentials(asset, options, remember)),
    pending,
    "chain",
  );
  if (asset.role_arn === undefined) {
    return { provider: base, base, assumeRoleCalls: () => 0, obtainedSecrets, resolving };
  }
  const role = await roleCredentials(
    asset,
    asset.role_arn,
    base,
    { ...options, remember },
    (assumed) => counted(assumed, pending, "sts"),
  );
  const { provider, assumeRoleCalls } = role;
  return { provider, base, assumeRoleCalls, obtainedSecrets, resolving };
}

/**
 * The role's provider for createCredentials: AssumeRole signed by `base`, memoized until
 * near expiry, each answer `remember`ed (inside `wrap`, which counts the pending calls).
 */
async function roleCredentials(
  asset: Asset,
  roleArn: string,
  base: AwsCredentialIdentityProvider,
  options: CredentialOptions & {
    remember: (identity: AwsCredentialIdentity) => AwsCredentialIdentity;
  },
  wrap: (assume: () => Promise<AwsCredentialIdentity>) => () => Promise<AwsCredentialIdentity>,
): Promise<Pick<Credentials, "provider" | "assumeRoleCalls">> {
  const now = options.now ?? Date.now;
  // Loaded only with a role (its STS client only on the first AssumeRole).
  const { fromTemporaryCredentials } = await import("@aws-sdk/credential-providers");
  const assume = fromTemporaryCredentials(assumeRoleOptions(asset, roleArn, base, options));
  let calls = 0;
  const issuedAt = new WeakMap<AwsCredentialIdentity, number>();
  const assumeOnce = async (): Promise<AwsCredentialIdentity> => {
    const started = now();
    calls += 1;
    let identity: AwsCredentialIdentity;
    try {
      identity = options.remember(await assume());
    } catch (error) {
      // The base keys' own failures arrive already wrapped; a provider error here is
      // fromTemporaryCredentials refusing an answer without credentials.
      throw (error as { name?: unknown }).name === "CredentialsProviderError"
        ? incompleteAnswer(roleArn, error)
        : options.wrapAssumeRoleError(error);
    }
    if (identity.sessionToken === undefined || identity.expiration === undefined) {
      throw incompleteAnswer(roleArn);
    }
    issuedAt.set(identity, started);
    return identity;
  };
  const memoized = memoizeIdentityProvider<AwsCredentialIdentity>(
    wrap(assumeOnce),
    (identity) => refreshDue(identity, issuedAt, now),
    (identity) => identity.expiration !== undefined,
  );
  return {
    provider: () => (memoized as AwsCredentialIdentityProvider)(),
    assumeRoleCalls: () => calls,
  };
}

/** What fromTemporaryCredentials is given: the role's AssumeRole and its own STS client. */
function assumeRoleOptions(
  asset: Asset,
  roleArn: string,
  base: AwsCredentialIdentityProvider,
  options: CredentialOptions,
) {
  return {
    params: {
      RoleArn: roleArn,
      RoleSessionName: asset.role_session_name ?? DEFAULT_ROLE_SESSION_NAME,
      DurationSeconds: asset.session_duration,
      ...(asset.external_id === undefined ? {} : { ExternalId: asset.external_id }),
    },
    masterCredentials: base,
    // Everything explicit: the provider's own STS client must go through the asset's
    // proxy, TLS settings and endpoint, and ignore AWS_* variables that would redirect it.
    clientConfig: {
      region: asset.region_name,
      requestHandler: options.stsHandler,
      ...explicitClientSettings(MAX_ATTEMPTS),
      ...(asset.sts_endpoint_url === undefined ? {} : { endpoint: asset.sts_endpoint_url }),
    },
  };
}

/**
 * Whether a role's credentials are due for refresh. Real STS sessions last at least 900 s,
 * so the margin is the full 5 minutes; for the very short lifetimes a local endpoint can
 * issue, half the lifetime, so the cache still serves most calls.
 */
function refreshDue(
  identity: Identity,
  issuedAt: WeakMap<AwsCredentialIdentity, number>,
  now: () => number,
): boolean {
  const expiresAt = identity.expiration?.getTime();
  if (expiresAt === undefined) {
    return false;
  }
  const lifetime = expiresAt - (issuedAt.get(identity as AwsCredentialIdentity) ?? now());
  return now() >= expiresAt - Math.min(REFRESH_MARGIN_MS, lifetime / 2);
}

/** `provider`, counting in `pending[source]` the calls to it that have not settled yet. */
function counted<P extends (...args: never[]) => Promise<AwsCredentialIdentity>>(
  provider: P,
  pending: Record<CredentialSource, number>,
  source: CredentialSource,
): P {
  return (async (...args: Parameters<P>) => {
    pending[source] += 1;
    try {
      return await provider(...args);
    } finally {
      pending[source] -= 1;
    }
  }) as P;
}

/** STS answered AssumeRole, but not with usable temporary credentials. */
function incompleteAnswer(roleArn: string, cause?: unknown): ConnectorError {
  return new ConnectorError(
    "assume_role_failed",
    `STS answered AssumeRole for ${roleArn} without complete credentials (access key, secret, session token and expiration).`,
    {
      hint: "Check sts_endpoint_url: it must point at STS (or an STS-compatible endpoint) that returns AccessKeyId, SecretAccessKey, SessionToken and Expiration.",
      ...(cause === undefined ? {} : { cause }),
    },
  );
}

async function baseCredentials(
  asset: Asset,
  options: CredentialOptions,
  remember: (identity: AwsCredentialIdentity) => AwsCredentialIdentity,
): Promise<AwsCredentialIdentityProvider> {
  const { access_key, secret_key, session_token } = asset;
  if (access_key !== undefined && secret_key !== undefined) {
    const identity: AwsCredentialIdentity = {
      accessKeyId: access_key,
      secretAccessKey: secret_key,
      ...(session_token === undefined ? {} : { sessionToken: session_token }),
    };
    return () => Promise.resolve(identity);
  }
  // The machine's credential chain is loaded only when the asset gives no keys.
  const { fromNodeProviderChain } = await import("@aws-sdk/credential-providers");
  const chain = fromNodeProviderChain({
    clientConfig: {
      region: asset.region_name,
      requestHandler: options.stsHandler,
      customUserAgent: connectorUserAgent(),
    },
  });
  // Wrapped here, before it can reach the STS client of the role provider, so that a
  // missing machine credential is never mistaken for an STS failure.
  return async (properties) => {
    try {
      return remember(await chain(properties));
    } catch (error) {
      throw options.wrapChainError(error);
    }
  };
}
