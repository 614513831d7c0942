import { LambdaClient } from "@aws-sdk/client-lambda";
import type { STSClient } from "@aws-sdk/client-sts";
import type { NodeHttpHandler } from "@smithy/node-http-handler";
import type { MetadataBearer } from "@smithy/types";
import { partitionOfRegion } from "../asset/partitions.js";
import type { Asset } from "../asset/schema.js";
import {
  type CallContext,
  type CredentialKind,
  notAwsSuccess,
  toConnectorError,
} from "./awsErrors.js";
import { type AwsCall, type Location, resolveCall, type Service } from "./call.js";
import { type Credentials, createCredentials } from "./credentials.js";
import {
  CONTROL_PLANE_TIMEOUT_MS,
  createAgents,
  createHttpHandler,
  describeProxyFor,
} from "./httpHandler.js";
import { type RetryPolicy, retryStrategyFor } from "./retryPolicy.js";

/**
 * An SDK command, of either client. The executor picks the client from the call's
 * service; the command's own type only matters to the action that builds it.
 */
// biome-ignore lint/suspicious/noExplicitAny: SDK commands are generic over five client-specific types; the executor only passes them through.
export type SdkCommand = { input: object; resolveMiddleware: (...args: any[]) => any };

/** One page request of a paginated call. */
export interface PageRequest {
  marker: string | undefined;
  /** At most this many items in the page: never more than the caller still wants. */
  maxItems: number;
}

/** The result of a paginated call: what was collected, and how to go on. */
export interface Page<Item> {
  items: Item[];
  /** Whether more items exist than were returned. */
  truncated: boolean;
  /** The marker to pass back to resume where this page stopped; null when complete. */
  next_marker: string | null;
}

/** How to walk a paginated AWS call. */
export interface Pagination<Response, Item> {
  command(page: PageRequest): SdkCommand;
  items(response: Response): Item[];
  nextMarker(response: Response): string | undefined;
  /** Stop after this many items. */
  maxItems: number;
  /** Resume from this marker. */
  marker?: string | undefined;
  /** Keep only items that pass; they count toward `maxItems`, the others do not. */
  keep?: ((item: Item) => boolean) | undefined;
  /** Largest page to ask AWS for. */
  pageSize?: number | undefined;
}

/** What the executor is built from besides the asset. */
export interface ExecutorOptions {
  /** The clock, for credential expiry and waits; injected by tests. */
  now?: () => number;
  /** The run's environment (the platform's file API variables); the process's by default. */
  env?: Readonly<Record<string, string | undefined>>;
  /** How waits pause; injected by tests so that nothing really sleeps. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Answers requests instead of the network: the code-cache warm-up uses one, so that
   * a run's signing and parsing code is compiled into the cache without a network.
   */
  transport?: NodeHttpHandler;
}

/**
 * Sends every AWS call of a run. It owns the network path (one set of proxy-aware
 * agents, so STS and Lambda share connections), the credentials (one AssumeRole per
 * credential lifetime), one SDK client per service and retry policy, the deadline of
 * each call, and the wrapping of every failure into the connector's error with a hint
 * built from the call's {@link AwsCall} declaration. Actions only declare their calls.
 *
 * @example
 * ```ts
 * const executor = new Executor(asset);
 * try {
 *   const settings = await executor.send<GetAccountSettingsCommandOutput>(
 *     { operation: "GetAccountSettings", retry: "idempotent" },
 *     new GetAccountSettingsCommand({}),
 *   );
 * } finally {
 *   executor.destroy();
 * }
 * ```
 */
export class Executor {
  readonly asset: Asset;
  readonly location: Location;
  /** The run's environment, for what is not AWS's (the platform's file API). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The clock and the pause that waits use. */
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  private readonly transport: NodeHttpHandler | undefined;
  private network: Promise<Network> | undefined;
  private built: Network | undefined;
  private destroyed = false;
  private readonly clients = new Map<string, Promise<LambdaClient | STSClient>>();

  constructor(asset: Asset, options: ExecutorOptions = {}) {
    this.asset = asset;
    this.env = options.env ?? process.env;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms)));
    this.transport = options.transport;
    this.location = {
      region: asset.region_name,
      partition: partitionOfRegion(asset.region_name)?.id ?? "aws",
    };
  }

  /**
   * The network path and credentials, built on the first call: a run that fails
   * validation loads neither the proxy agent nor the credential providers.
   */
  private net(): Promise<Network> {
    this.network ??= this.buildNetwork().then((network) => {
      this.built = network;
      if (this.destroyed) {
        destroyNetwork(network);
      }
      return network;
    });
    return this.network;
  }

  private async buildNetwork(): Promise<Network> {
    const { asset } = this;
    const agents = await createAgents({ proxyUrl: asset.http_proxy, verifySsl: asset.verify_ssl });
    const handler = this.transport ?? createHttpHandler(agents, CONTROL_PLANE_TIMEOUT_MS);
    // The role's STS client cannot take a per-call deadline: its handler carries one.
    const stsHandler = this.transport ?? createHttpHandler(agents, CONTROL_PLANE_TIMEOUT_MS);
    const assumeRole: AwsCall = {
      service: "sts",
      operation: "AssumeRole",
      resource: asset.role_arn,
      target: `role ${asset.role_arn ?? "(none)"}`,
      retry: "idempotent",
    };
    const credentials = await createCredentials(asset, {
      stsHandler,
      wrapAssumeRoleError: (error) => toConnectorError(error, this.context(assumeRole)),
      wrapChainError: (error) => toConnectorError(error, this.context(assumeRole)),
      now: this.now,
    });
    return { handler, stsHandler, credentials };
  }

  /** AssumeRole calls made so far (0 without a role): for tests and the benchmark. */
  get assumeRoleCalls(): number {
    return this.built?.credentials.assumeRoleCalls() ?? 0;
  }

  /** Whether calls run under an assumed role. */
  get roleAssumed(): boolean {
    return this.asset.role_arn !== undefined;
  }

  /**
   * Sends one call as `call` declares it for the run's `inputs` and returns AWS's
   * answer; any failure becomes a ConnectorError whose hint names what to check for
   * this operation.
   */
  send<Output extends MetadataBearer>(call: AwsCall, command: SdkCommand): Promise<Output>;
  send<Output extends MetadataBearer, Inputs>(
    call: AwsCall<Inputs>,
    command: SdkCommand,
    inputs: Inputs,
  ): Promise<Output>;
  async send<Output extends MetadataBearer, Inputs>(
    call: AwsCall<Inputs>,
    command: SdkCommand,
    inputs?: Inputs,
  ): Promise<Output> {
    const service = call.service ?? "lambda";
    const client = (await this.client(service, call.retry, call.signAs)) as unknown as {
      send(
        command: SdkCommand,
        options: { requestTimeout: number; abortSignal: AbortSignal },
      ): Promise<Output>;
    };
    const timeoutMs = call.timeoutMs ?? CONTROL_PLANE_TIMEOUT_MS;
    // The handler's requestTimeout is an idle timer on the socket: a body that trickles,
    // or stops after the headers, never trips it. One deadline over the whole call
    // (retries and body included) aborts it instead.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new CallDeadlineError(timeoutMs)), timeoutMs);
    let response: Output;
    try {
      response = await client.send(command, {
        requestTimeout: timeoutMs,
        abortSignal: deadline.signal,
      });
    } catch (error) {
      throw toConnectorError(
        deadline.signal.aborted ? new CallDeadlineError(timeoutMs, error) : error,
        this.context(call, inputs as Inputs),
      );
    } finally {
      clearTimeout(timer);
    }
    // Only a custom endpoint can be something other than AWS; AWS's own always sets one.
    const customEndpoint =
      service === "lambda" ? this.asset.endpoint_url : this.asset.sts_endpoint_url;
    if (customEndpoint !== undefined && response.$metadata?.requestId === undefined) {
      // AWS puts a request ID on every answer; a success without one came from a server
      // that is not AWS (a wrong endpoint_url, a captive portal, a misbehaving proxy).
      throw notAwsSuccess(response.$metadata?.httpStatusCode, this.context(call, inputs as Inputs));
    }
    return response;
  }

  /**
   * Walks a paginated call until `maxItems` items are collected or AWS has no more,
   * and says whether more exist and where to resume. Pages never overshoot
   * `maxItems`, so the marker resumes exactly after the last item returned.
   */
  paginate<Response extends MetadataBearer, Item>(
    call: AwsCall,
    pagination: Pagination<Response, Item>,
  ): Promise<Page<Item>>;
  paginate<Response extends MetadataBearer, Item, Inputs>(
    call: AwsCall<Inputs>,
    pagination: Pagination<Response, Item>,
    inputs: Inputs,
  ): Promise<Page<Item>>;
  async paginate<Response extends MetadataBearer, Item, Inputs>(
    call: AwsCall<Inputs>,
    pagination: Pagination<Response, Item>,
    inputs?: Inputs,
  ): Promise<Page<Item>> {
    const items: Item[] = [];
    let marker = pagination.marker;
    const pageSize = pagination.pageSize ?? 50;
    while (items.length < pagination.maxItems) {
      const want = Math.min(pageSize, pagination.maxItems - items.length);
      const response = await this.send<Response, Inputs>(
        call,
        pagination.command({ marker, maxItems: want }),
        inputs as Inputs,
      );
      const page = pagination.items(response);
      items.push(...(pagination.keep === undefined ? page : page.filter(pagination.keep)));
      marker = pagination.nextMarker(response);
      if (marker === undefined || marker === "") {
        return { items, truncated: false, next_marker: null };
      }
    }
    return { items, truncated: true, next_marker: marker ?? null };
  }

  /** What an error hint may say about `call` for the run's `inputs`; never a secret. */
  context(call: AwsCall): CallContext;
  context<Inputs>(call: AwsCall<Inputs>, inputs: Inputs): CallContext;
  context<Inputs>(call: AwsCall<Inputs>, inputs?: Inputs): CallContext {
    // The overloads make `inputs` present whenever the call depends on it.
    const resolved = resolveCall(call, inputs as Inputs, this.location);
    const endpoint =
      resolved.service === "lambda" ? this.asset.endpoint_url : this.asset.sts_endpoint_url;
    const target =
      endpoint ?? `https://${resolved.service}.${this.asset.region_name}.amazonaws.com`;
    return {
      ...resolved,
      region: this.asset.region_name,
      accessKeyId: this.asset.access_key,
      credentialKind: credentialKindOf(this.asset),
      roleArn: this.asset.role_arn,
      proxy: describeProxyFor(this.asset.http_proxy, target),
      endpoint,
    };
  }

  /** Closes every connection, so that the process can exit at once. */
  destroy(): void {
    this.destroyed = true;
    for (const client of this.clients.values()) {
      // A client whose building failed has nothing to close; its caller saw the error.
      client.then(
        (built) => built.destroy(),
        () => undefined,
      );
    }
    this.clients.clear();
    if (this.built !== undefined) {
      destroyNetwork(this.built);
    }
  }

  private client(
    service: Service,
    retry: RetryPolicy,
    signAs: "asset" | undefined,
  ): Promise<LambdaClient | STSClient> {
    const key = `${service}/${retry}/${signAs ?? "connector"}`;
    let client = this.clients.get(key);
    if (client === undefined) {
      client = this.buildClient(service, retry, signAs);
      this.clients.set(key, client);
    }
    return client;
  }

  private async buildClient(
    service: Service,
    retry: RetryPolicy,
    signAs: "asset" | undefined,
  ): Promise<LambdaClient | STSClient> {
    const { handler, credentials } = await this.net();
    const config = {
      region: this.asset.region_name,
      requestHandler: handler,
      credentials: signAs === "asset" ? credentials.base : credentials.provider,
      retryStrategy: retryStrategyFor(retry),
      // Explicit, so AWS_USE_FIPS_ENDPOINT and friends cannot redirect calls behind the asset's back.
      useFipsEndpoint: false,
      useDualstackEndpoint: false,
    };
    const endpoint = service === "lambda" ? this.asset.endpoint_url : this.asset.sts_endpoint_url;
    const withEndpoint = endpoint === undefined ? config : { ...config, endpoint };
    // STS is loaded only by the runs that call it (test_connection).
    const client =
      service === "lambda"
        ? new LambdaClient(withEndpoint)
        : new (await import("@aws-sdk/client-sts")).STSClient(withEndpoint);
    if (this.destroyed) {
      client.destroy();
    }
    return client;
  }
}

/** What the executor builds on its first call. */
interface Network {
  handler: NodeHttpHandler;
  stsHandler: NodeHttpHandler;
  credentials: Credentials;
}

function destroyNetwork(network: Network): void {
  network.handler.destroy();
  network.stsHandler.destroy();
}

/**
 * A call that outlived its deadline. Named as the handler names its own request
 * timeout, so that the error hints treat both alike.
 */
class CallDeadlineError extends Error {
  override readonly name = "TimeoutError";

  constructor(timeoutMs: number, cause?: unknown) {
    super(`The call did not complete within its requestTimeout of ${timeoutMs} ms`, { cause });
  }
}

function credentialKindOf(asset: Asset): CredentialKind {
  if (asset.access_key === undefined) {
    return "chain";
  }
  return asset.session_token === undefined ? "keys" : "temporary-keys";
}
