import { AssumeRoleCommand, type STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import { ConnectorError } from "../errors.js";
import { STS_REQUEST_TIMEOUT_MS } from "./httpHandler.js";

/** What AssumeRole needs besides the STS client. */
export interface RoleSettings {
  roleArn: string;
  sessionName: string;
  durationSeconds: number;
  externalId: string | undefined;
}

/** Refresh this long before expiry, as the SDK's own signer does. */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/**
 * Temporary credentials of an assumed role, cached and refreshed before they expire.
 *
 * Real STS sessions last at least 900 s, so the margin is always the full 5 minutes;
 * for the very short lifetimes a local endpoint can issue, it shrinks to half the
 * lifetime so the cache still serves most calls. Concurrent callers during a refresh
 * share one AssumeRole call; a failed refresh is not cached.
 *
 * @example
 * ```ts
 * const role = new AssumedRoleCredentials(sts, {
 *   roleArn: "arn:aws:iam::123456789012:role/TurbineLambdaInvoker",
 *   sessionName: "swimlane-turbine-aws-lambda",
 *   durationSeconds: 3600,
 *   externalId: undefined,
 * });
 * new LambdaClient({ credentials: role.provide });
 * ```
 */
export class AssumedRoleCredentials {
  private readonly sts: STSClient;
  private readonly settings: RoleSettings;
  private readonly now: () => number;
  private cached: { identity: AwsCredentialIdentity; refreshAt: number } | undefined;
  private pending: Promise<AwsCredentialIdentity> | undefined;
  private calls = 0;

  constructor(sts: STSClient, settings: RoleSettings, now: () => number = Date.now) {
    this.sts = sts;
    this.settings = settings;
    this.now = now;
  }

  /** How many AssumeRole calls this cache has made. */
  get assumeRoleCalls(): number {
    return this.calls;
  }

  /** The credential provider to hand to SDK clients. */
  readonly provide = (): Promise<AwsCredentialIdentity> => {
    if (this.cached !== undefined && this.now() < this.cached.refreshAt) {
      return Promise.resolve(this.cached.identity);
    }
    this.pending ??= this.assume().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  };

  private async assume(): Promise<AwsCredentialIdentity> {
    const issuedAt = this.now();
    this.calls += 1;
    const { roleArn, sessionName, durationSeconds, externalId } = this.settings;
    const response = await this.sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: sessionName,
        DurationSeconds: durationSeconds,
        ...(externalId === undefined ? {} : { ExternalId: externalId }),
      }),
      // The shared handler waits out a 900 s function; STS must not hold a run that long.
      { requestTimeout: STS_REQUEST_TIMEOUT_MS },
    );
    const credentials = response.Credentials;
    if (
      credentials?.AccessKeyId === undefined ||
      credentials.SecretAccessKey === undefined ||
      credentials.SessionToken === undefined ||
      credentials.Expiration === undefined
    ) {
      throw new ConnectorError(
        "assume_role_failed",
        `STS AssumeRole for ${roleArn} answered without complete credentials.`,
        {
          hint: "Check sts_endpoint_url: it must point at STS (or an STS-compatible endpoint) that returns AccessKeyId, SecretAccessKey, SessionToken and Expiration.",
          ...(response.$metadata?.requestId === undefined
            ? {}
            : { requestId: response.$metadata.requestId }),
        },
      );
    }
    const expiresAt = credentials.Expiration.getTime();
    const margin = Math.min(REFRESH_MARGIN_MS, (expiresAt - issuedAt) / 2);
    const identity: AwsCredentialIdentity = {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
      expiration: credentials.Expiration,
    };
    this.cached = { identity, refreshAt: expiresAt - margin };
    return identity;
  }
}
