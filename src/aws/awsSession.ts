import { createHash } from "node:crypto";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { STSClient } from "@aws-sdk/client-sts";
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import type { NodeHttpHandler } from "@smithy/node-http-handler";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { type Asset, DEFAULT_ROLE_SESSION_NAME } from "../asset/schema.js";
import { AssumedRoleCredentials } from "./assumedRoleCredentials.js";
import { type CallContext, toConnectorError } from "./awsErrors.js";
import {
  createHttpHandler,
  DEFAULT_CONNECTION_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  describeProxyFor,
} from "./httpHandler.js";
import { InvokeRetryStrategy } from "./invokeRetryStrategy.js";

/** Attempts per call, as the SDK's standard mode; what may be retried is decided per service. */
export const MAX_ATTEMPTS = 3;

/**
 * Everything the connector needs to talk to AWS for one asset: one HTTP handler (and
 * so one proxy agent and its keep-alive connections), one credential provider with
 * its AssumeRole cache, and one client per service, all reused for every call.
 *
 * @example
 * ```ts
 * const session = AwsSession.for(asset);
 * const output = await session.lambda({ allowDuplicateRuns: false }).send(command);
 * ```
 */
export class AwsSession {
  readonly asset: Asset;
  readonly sts: STSClient;
  /** Present when the asset names a role; exposes how often AssumeRole ran. */
  readonly role: AssumedRoleCredentials | undefined;
  private readonly handler: NodeHttpHandler;
  private readonly credentials: AwsCredentialIdentityProvider;
  private readonly lambdaClients = new Map<boolean, LambdaClient>();
  private connectorSts: STSClient | undefined;

  private static readonly sessions = new Map<string, AwsSession>();

  /** The session of an asset, made on first use and shared afterwards. */
  static for(asset: Asset): AwsSession {
    const key = fingerprint(asset);
    let session = AwsSession.sessions.get(key);
    if (session === undefined) {
      session = new AwsSession(asset);
      AwsSession.sessions.set(key, session);
    }
    return session;
  }

  /** Closes every session's connections, so that the process can exit at once. */
  static destroyAll(): void {
    for (const session of AwsSession.sessions.values()) {
      session.destroy();
    }
    AwsSession.sessions.clear();
  }

  constructor(asset: Asset) {
    this.asset = asset;
    this.handler = createHttpHandler({
      proxyUrl: asset.http_proxy,
      verifySsl: asset.verify_ssl,
      connectionTimeoutMs: DEFAULT_CONNECTION_TIMEOUT_MS,
      requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
    });
    const base = this.baseCredentials();
    this.sts = this.stsClient(base);
    if (asset.role_arn === undefined) {
      this.role = undefined;
      this.credentials = base;
    } else {
      const role = new AssumedRoleCredentials(this.sts, {
        roleArn: asset.role_arn,
        sessionName: asset.role_session_name ?? DEFAULT_ROLE_SESSION_NAME,
        durationSeconds: asset.session_duration,
        externalId: asset.external_id,
      });
      this.role = role;
      this.credentials = async () => {
        try {
          return await role.provide();
        } catch (error) {
          throw toConnectorError(error, this.callContext("sts", "AssumeRole"));
        }
      };
    }
  }

  /**
   * The Lambda client for invocations. `allowDuplicateRuns` picks the retry policy:
   * without it a failed invoke is sent again only when the function provably did not
   * run. Both clients share the handler and credentials.
   */
  lambda(options: { allowDuplicateRuns: boolean }): LambdaClient {
    let client = this.lambdaClients.get(options.allowDuplicateRuns);
    if (client === undefined) {
      client = new LambdaClient({
        region: this.asset.region_name,
        requestHandler: this.handler,
        credentials: this.credentials,
        retryStrategy: new InvokeRetryStrategy({
          maxAttempts: MAX_ATTEMPTS,
          allowDuplicateRuns: options.allowDuplicateRuns,
        }),
        useFipsEndpoint: false,
        useDualstackEndpoint: false,
        ...(this.asset.endpoint_url === undefined ? {} : { endpoint: this.asset.endpoint_url }),
      });
      this.lambdaClients.set(options.allowDuplicateRuns, client);
    }
    return client;
  }

  /**
   * An STS client that signs as the connector finally acts: the assumed role when the
   * asset names one, else the keys. For GetCallerIdentity, to show who Lambda sees.
   */
  stsAsConnector(): STSClient {
    this.connectorSts ??= this.role === undefined ? this.sts : this.stsClient(this.credentials);
    return this.connectorSts;
  }

  /** What an error hint may say about this session's call; never a secret. */
  callContext(service: "lambda" | "sts", operation: string): CallContext {
    const endpoint = service === "lambda" ? this.asset.endpoint_url : this.asset.sts_endpoint_url;
    const host = service === "lambda" ? "lambda" : "sts";
    const target = endpoint ?? `https://${host}.${this.asset.region_name}.amazonaws.com`;
    return {
      service,
      operation,
      region: this.asset.region_name,
      accessKeyId: this.asset.access_key,
      roleArn: this.asset.role_arn,
      proxy: describeProxyFor(this.asset.http_proxy, target),
      endpoint,
    };
  }

  /** Closes the connections of this session's clients. */
  destroy(): void {
    for (const client of this.lambdaClients.values()) {
      client.destroy();
    }
    this.sts.destroy();
    this.connectorSts?.destroy();
    this.handler.destroy();
  }

  private stsClient(credentials: AwsCredentialIdentityProvider): STSClient {
    return new STSClient({
      region: this.asset.region_name,
      requestHandler: this.handler,
      credentials,
      maxAttempts: MAX_ATTEMPTS,
      // Explicit, so AWS_USE_FIPS_ENDPOINT and friends cannot redirect calls behind the asset's back.
      useFipsEndpoint: false,
      useDualstackEndpoint: false,
      ...(this.asset.sts_endpoint_url === undefined
        ? {}
        : { endpoint: this.asset.sts_endpoint_url }),
    });
  }

  private baseCredentials(): AwsCredentialIdentityProvider {
    const { access_key, secret_key, session_token } = this.asset;
    if (access_key !== undefined && secret_key !== undefined) {
      const identity: AwsCredentialIdentity = {
        accessKeyId: access_key,
        secretAccessKey: secret_key,
        ...(session_token === undefined ? {} : { sessionToken: session_token }),
      };
      return () => Promise.resolve(identity);
    }
    return fromNodeProviderChain({
      clientConfig: { region: this.asset.region_name, requestHandler: this.handler },
    });
  }
}

/** A digest of the whole asset: equal assets share a session, and no secret sits in a map key. */
function fingerprint(asset: Asset): string {
  const ordered = Object.entries(asset).sort(([a], [b]) => a.localeCompare(b));
  return createHash("sha256").update(JSON.stringify(ordered)).digest("hex");
}
