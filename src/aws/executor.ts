import { LambdaClient } from "@aws-sdk/client-lambda";
import type { STSClient } from "@aws-sdk/client-sts";
import type { MetadataBearer } from "@smithy/types";
import { partitionOfRegion } from "../asset/partitions.js";
import type { Asset } from "../asset/schema.js";
import { ConnectorError } from "../errors.js";
import {
  type CallContext,
  type CredentialKind,
  malformedAnswer,
  notAwsSuccess,
  refusedMarker,
  toConnectorError,
} from "./awsErrors.js";
import { type AwsCall, type Location, resolveCall, type Service } from "./call.js";
import { explicitClientSettings } from "./clientSettings.js";
import { type CredentialSource, type Credentials, createCredentials } from "./credentials.js";
import {
  type Agents,
  CONTROL_PLANE_TIMEOUT_MS,
  createAgents,
  createHttpHandler,
  createStreamAgents,
  describeProxyFor,
  type HttpHandler,
} from "./httpHandler.js";
import { responseStreamSerdeProvider } from "./responseStreamSerde.js";
import { MAX_ATTEMPTS, type RetryPolicy, retryStrategyFor } from "./retryPolicy.js";

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
   * Attempts the SDK makes per call; 3 by default. 1 leaves every retry to the caller:
   * sweep_functions backs off for its whole pool instead of each call on its own.
   */
  maxAttempts?: number;
  /**
   * Where a long action's progress lines go: standard error by default, never standard
   * output (which carries the one result line).
   */
  progress?: (line: string) => void;
}

/** Where a derived executor sends its calls: another region, and as another account's role. */
export interface ExecutorScope {
  region: string;
  /**
   * A role (usually of another account) assumed with this executor's credentials: the
   * asset's keys, or the asset's own role's session (role chaining, at most 1 hour).
   */
  roleArn?: string | undefined;
  /** The SDK's attempts per call there; the executor's own when not given. */
  maxAttempts?: number | undefined;
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
  /** Writes one progress line (standard error by default). */
  readonly progress: (line: string) => void;
  private network: Promise<Network> | undefined;
  private built: Network | undefined;
  private destroyed = false;
  private readonly clients = new Map<string, Promise<SdkClient>>();
  private readonly options: ExecutorOptions;
  /** A derived executor's network: its parent's connections and one role's credentials. */
  private shared: (() => Promise<Network>) | undefined;
  /** The networks of the roles derived executors assume, by role ARN: each assumed once. */
  private readonly roleNetworks = new Map<string, Promise<Network>>();
  private readonly builtRoles: Network[] = [];
  private readonly derived: Executor[] = [];

  constructor(asset: Asset, options: ExecutorOptions = {}) {
    this.asset = asset;
    this.options = options;
    this.env = options.env ?? process.env;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms)));
    this.progress = options.progress ?? ((line) => process.stderr.write(`${line}\n`));
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
    this.network ??= (this.shared?.() ?? this.buildNetwork()).then((network) => {
      this.built = network;
      if (this.destroyed && this.shared === undefined) {
        destroyNetwork(network);
      }
      return network;
    });
    return this.network;
  }

  /**
   * An executor for the same asset in `scope.region`, and as `scope.roleArn` when given.
   * It shares this executor's connections, and each role is assumed once for every
   * region (with this executor's credentials: role chaining when the asset itself
   * assumes a role). This executor's AssumeRole count, obtained secrets and destroy
   * cover the derived ones.
   *
   * @example
   * ```ts
   * const west = executor.within({ region: "us-west-2", roleArn: "arn:aws:iam::210987654321:role/Audit" });
   * ```
   */
  within(scope: ExecutorScope): Executor {
    const { role_arn, external_id, role_session_name, ...rest } = this.asset;
    const { roleArn } = scope;
    const asset: Asset =
      roleArn === undefined
        ? { ...this.asset, region_name: scope.region }
        : {
            ...rest,
            region_name: scope.region,
            role_arn: roleArn,
            ...(role_session_name === undefined ? {} : { role_session_name }),
            // A chained session lasts at most an hour; the other account's trust policy
            // is its own, so the asset's ExternalId is not sent to it.
            session_duration:
              role_arn === undefined
                ? rest.session_duration
                : Math.min(rest.session_duration, 3600),
          };
    const child = new Executor(asset, {
      ...this.options,
      ...(scope.maxAttempts === undefined ? {} : { maxAttempts: scope.maxAttempts }),
    });
    child.shared = () => (roleArn === undefined ? this.net() : this.roleNetwork(asset));
    this.derived.push(child);
    return child;
  }

  /** The connections of this executor with the credentials of `asset.role_arn`, assumed with this executor's. */
  private roleNetwork(asset: Asset): Promise<Network> {
    const roleArn = asset.role_arn ?? "";
    let network = this.roleNetworks.get(roleArn);
    if (network === undefined) {
      network = this.net().then(async (own) => {
        const assumeRole: AwsCall = {
          service: "sts",
          operation: "AssumeRole",
          resource: roleArn,
          target: `role ${roleArn}`,
          retry: "idempotent",
        };
        const credentials = await createCredentials(asset, {
          stsHandler: own.stsHandler,
          base: own.credentials.provider,
          wrapAssumeRoleError: (error) => toConnectorError(error, this.context(assumeRole)),
          wrapChainError: (error) => toConnectorError(error, this.context(assumeRole)),
          now: this.now,
        });
        const built = { ...own, credentials };
        this.builtRoles.push(built);
        return built;
      });
      this.roleNetworks.set(roleArn, network);
    }
    return network;
  }

  private async buildNetwork(): Promise<Network> {
    const { asset } = this;
    const agents = await createAgents({ proxyUrl: asset.http_proxy, verifySsl: asset.verify_ssl });
    const handler = createHttpHandler(agents, CONTROL_PLANE_TIMEOUT_MS);
    // The role's STS client cannot take a per-call deadline: its handler carries one.
    const stsHandler = createHttpHandler(agents, CONTROL_PLANE_TIMEOUT_MS);
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
    return { agents, handler, stsHandler, credentials, largeBodies: new Map() };
  }

  /**
   * The run's agents (the asset's proxy, verify_ssl and CA bundle): for the few requests
   * that are not AWS calls but must take the same network path, such as the download of
   * a presigned package URL. Built on first use, closed by {@link destroy}.
   */
  async httpAgents(): Promise<Agents> {
    return (await this.net()).agents;
  }

  /** AssumeRole calls made so far (0 without a role): for tests and the benchmark. */
  get assumeRoleCalls(): number {
    const own = this.shared === undefined ? (this.built?.credentials.assumeRoleCalls() ?? 0) : 0;
    return this.builtRoles.reduce((sum, role) => sum + role.credentials.assumeRoleCalls(), own);
  }

  /**
   * The secrets of every credential the run obtained (the role's session, the machine's
   * chain): what is printed masks them, as it masks the asset's own.
   */
  obtainedSecrets(): readonly string[] {
    return [
      ...(this.built?.credentials.obtainedSecrets() ?? []),
      ...this.builtRoles.flatMap((role) => role.credentials.obtainedSecrets()),
    ];
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
    return this.exchange<Output, Inputs, Output>(call, command, inputs as Inputs, undefined);
  }

  /**
   * Sends one call whose answer is read after its headers (an event stream) and hands it
   * to `read` under the same deadline: the call's `timeoutMs` covers the whole reading,
   * and when it passes `signal` aborts, which destroys the connection, so a stream that
   * never ends cannot hold the run. `read` should keep what it read before a deadline or
   * a broken connection (it can tell the two apart by `signal.aborted`).
   *
   * @example
   * ```ts
   * const collected = await executor.stream(call, new InvokeWithResponseStreamCommand(input), inputs,
   *   (response: InvokeWithResponseStreamCommandOutput, signal) => collect(response, signal));
   * ```
   */
  stream<Output extends MetadataBearer, Inputs, Result>(
    call: AwsCall<Inputs>,
    command: SdkCommand,
    inputs: Inputs,
    read: (response: Output, signal: AbortSignal) => Promise<Result>,
  ): Promise<Result> {
    return this.exchange(call, command, inputs, read);
  }

  /** One call under one deadline: sent, checked and, for a stream, read by `read`. */
  private async exchange<Output extends MetadataBearer, Inputs, Result>(
    call: AwsCall<Inputs>,
    command: SdkCommand,
    inputs: Inputs,
    read: ((response: Output, signal: AbortSignal) => Promise<Result>) | undefined,
  ): Promise<Result> {
    const service = call.service ?? "lambda";
    const timeoutMs = call.timeoutMs ?? CONTROL_PLANE_TIMEOUT_MS;
    // The handler's requestTimeout is an idle timer on the socket: a body that trickles,
    // or stops after the headers, never trips it. One deadline over the whole call
    // (credentials, retries and body included) aborts it instead.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new CallDeadlineError(timeoutMs)), timeoutMs);
    try {
      const response = await this.sendUnderDeadline<Output, Inputs>(
        call,
        command,
        inputs,
        deadline.signal,
        timeoutMs,
      );
      // Only a custom endpoint can be something other than AWS; AWS's own always sets one.
      const customEndpoint = this.endpointOf(service);
      if (customEndpoint !== undefined && response.$metadata?.requestId === undefined) {
        // AWS puts a request ID on every answer; a success without one came from a server
        // that is not AWS (a wrong endpoint_url, a captive portal, a misbehaving proxy).
        throw notAwsSuccess(response.$metadata?.httpStatusCode, this.context(call, inputs));
      }
      return read === undefined
        ? (response as unknown as Result)
        : await read(response, deadline.signal);
    } finally {
      clearTimeout(timer);
      if (read !== undefined && !deadline.signal.aborted) {
        // A stream read only in part still holds its connection: closing it tells the
        // server to stop sending (and Lambda to stop streaming).
        deadline.abort(new StreamClosed());
      }
    }
  }

  /** Sends the command, its credentials' wait included, until the deadline's signal. */
  private async sendUnderDeadline<Output extends MetadataBearer, Inputs>(
    call: AwsCall<Inputs>,
    command: SdkCommand,
    inputs: Inputs,
    signal: AbortSignal,
    timeoutMs: number,
  ): Promise<Output> {
    try {
      const client = (await this.client(call.service ?? "lambda", call)) as unknown as {
        send(
          command: SdkCommand,
          options: { requestTimeout: number; abortSignal: AbortSignal },
        ): Promise<Output>;
      };
      // The signer waits for credentials before the handler sees the signal: racing the
      // whole call against the deadline bounds that wait too (an STS answer that
      // trickles, a metadata endpoint that stalls).
      return await untilAborted(
        client.send(command, { requestTimeout: timeoutMs, abortSignal: signal }),
        signal,
        () => {
          const source = this.built?.credentials.resolving();
          return source === undefined
            ? undefined
            : credentialDeadline(source, timeoutMs, this.context(call, inputs));
        },
      );
    } catch (error) {
      throw toConnectorError(
        signal.aborted && !(error instanceof ConnectorError)
          ? new CallDeadlineError(timeoutMs, error)
          : error,
        this.context(call, inputs),
      );
    }
  }

  /**
   * Walks a paginated call until `maxItems` items are collected or AWS has no more,
   * and says whether more exist and where to resume. Pages never overshoot
   * `maxItems`, so the marker resumes exactly after the last item returned.
   *
   * An endpoint that never stops giving markers cannot hold the run: the walk stops
   * after {@link PAGINATION_DEADLINE_MS} (by the executor's clock) or at a page that is
   * empty but has a marker, with `truncated` and the marker to resume from; a marker
   * seen before in the walk would loop forever, and is an endpoint_error. A page with
   * more items than asked for is cut to what was asked, and the result is `truncated`.
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
    const seen = new Set(marker === undefined ? [] : [marker]);
    const stopAt = this.now() + PAGINATION_DEADLINE_MS;
    while (items.length < pagination.maxItems) {
      if (this.now() >= stopAt) {
        return { items, truncated: true, next_marker: marker ?? null };
      }
      const want = Math.min(pageSize, pagination.maxItems - items.length);
      const sent = marker;
      const response = await this.send<Response, Inputs>(
        call,
        pagination.command({ marker, maxItems: want }),
        inputs as Inputs,
      ).catch((error: unknown) => {
        // The first page starts at the caller's marker: a parameter AWS refuses there is it.
        throw sent !== undefined && sent === pagination.marker ? refusedMarker(error) : error;
      });
      const answered = readAnswer(
        () => pagination.items(response),
        () => this.context(call, inputs as Inputs),
      );
      if (
        !Array.isArray(answered) ||
        answered.some((item) => item === null || item === undefined)
      ) {
        throw malformedAnswer(this.context(call, inputs as Inputs));
      }
      const page = answered.slice(0, want);
      items.push(...(pagination.keep === undefined ? page : page.filter(pagination.keep)));
      const next = pagination.nextMarker(response);
      const more = next !== undefined && next !== "";
      if (answered.length > want) {
        // More than asked: the marker resumes after all of them, so say that more exist.
        return { items, truncated: true, next_marker: more ? next : null };
      }
      if (!more) {
        return { items, truncated: false, next_marker: null };
      }
      if (seen.has(next)) {
        throw repeatedMarker(next, items.length, this.context(call, inputs as Inputs));
      }
      seen.add(next);
      marker = next;
      if (answered.length === 0) {
        return { items, truncated: true, next_marker: marker };
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
    const endpoint = this.endpointOf(resolved.service);
    const target =
      endpoint ?? `https://${resolved.service}.${this.asset.region_name}.amazonaws.com`;
    return {
      ...resolved,
      region: this.asset.region_name,
      accessKeyId: this.asset.access_key,
      credentialKind: credentialKindOf(this.asset),
      roleArn: this.asset.role_arn,
      // AssumeRole is signed by the asset's keys, as are the calls that check those keys.
      signer:
        this.asset.role_arn === undefined ||
        call.signAs === "asset" ||
        resolved.operation === "AssumeRole"
          ? "asset"
          : "role",
      proxy: describeProxyFor(this.asset.http_proxy, target),
      endpoint,
      timeoutMs: call.timeoutMs ?? CONTROL_PLANE_TIMEOUT_MS,
    };
  }

  /**
   * The asset's custom endpoint for `service`: `sts_endpoint_url` for STS, `endpoint_url`
   * for Lambda and for EC2 (a local AWS-compatible endpoint serves both on one URL; a
   * Lambda VPC endpoint refuses EC2, and sweep_functions then falls back to the SDK's
   * regions). IAM goes to `iam_endpoint_url`; without it, to a custom endpoint_url (or
   * sts_endpoint_url), so that an asset aimed at an emulator or a private endpoint never
   * sends calls to AWS's public IAM behind its back (an endpoint that does not serve IAM
   * makes those reads fail, and say so); without any, to AWS's own IAM endpoint.
   */
  private endpointOf(service: Service): string | undefined {
    const { endpoint_url: lambda, sts_endpoint_url: sts, iam_endpoint_url: iam } = this.asset;
    if (service === "iam") {
      return iam ?? lambda ?? sts;
    }
    return service === "sts" ? sts : lambda;
  }

  /** Closes every connection, so that the process can exit at once. */
  destroy(): void {
    for (const child of this.derived) {
      child.destroy();
    }
    this.destroyed = true;
    for (const client of this.clients.values()) {
      // A client whose building failed has nothing to close; its caller saw the error.
      client.then(
        (built) => built.destroy(),
        () => undefined,
      );
    }
    this.clients.clear();
    if (this.built !== undefined && this.shared === undefined) {
      destroyNetwork(this.built);
    }
  }

  /** One client per service, retry policy, attempts, body limit and signer, built once. */
  private client(service: Service, call: AwsCall<never>): Promise<SdkClient> {
    const { retry, signAs, maxAttempts, maxResponseBytes, eventStream } = call;
    const key = `${service}/${retry}/${signAs ?? "connector"}/${maxAttempts ?? "-"}/${maxResponseBytes ?? "-"}/${eventStream === true ? "stream" : "-"}`;
    let client = this.clients.get(key);
    if (client === undefined) {
      client = this.buildClient(service, retry, signAs, maxAttempts, {
        maxResponseBytes,
        eventStream: eventStream === true,
      });
      this.clients.set(key, client);
    }
    return client;
  }

  private async buildClient(
    service: Service,
    retry: RetryPolicy,
    signAs: "asset" | undefined,
    maxAttempts: number | undefined,
    answer: Answer,
  ): Promise<SdkClient> {
    const network = await this.net();
    const { credentials } = network;
    const attempts = maxAttempts ?? this.options.maxAttempts ?? MAX_ATTEMPTS;
    const config = {
      region: this.asset.region_name,
      requestHandler: this.handlerFor(network, answer),
      credentials: signAs === "asset" ? credentials.base : credentials.provider,
      retryStrategy: retryStrategyFor(retry, attempts),
      ...explicitClientSettings(attempts),
    };
    const endpoint = this.endpointOf(service);
    const withEndpoint = endpoint === undefined ? config : { ...config, endpoint };
    // STS, IAM and EC2 are loaded only by the runs that call them (test_connection,
    // assess_function_security and the role actions, sweep_functions).
    const client =
      service === "lambda"
        ? new LambdaClient(
            answer.eventStream
              ? { ...withEndpoint, eventStreamSerdeProvider: responseStreamSerdeProvider }
              : withEndpoint,
          )
        : service === "sts"
          ? new (await import("@aws-sdk/client-sts")).STSClient(withEndpoint)
          : service === "iam"
            ? new (await import("@aws-sdk/client-iam")).IAMClient(withEndpoint)
            : new (await import("@aws-sdk/client-ec2")).EC2Client(withEndpoint);
    if (this.destroyed) {
      client.destroy();
    }
    return client;
  }

  /**
   * The run's handler, or one that reads bodies up to `maxResponseBytes`: on the same
   * agents, or for an event stream on agents of its own that read it into one buffer a
   * connection (see {@link createStreamAgents}; the run's own behind a proxy).
   */
  private handlerFor(network: Network, answer: Answer): HttpHandler {
    const { maxResponseBytes, eventStream } = answer;
    if (maxResponseBytes === undefined && !eventStream) {
      return network.handler;
    }
    const key = `${maxResponseBytes ?? "-"}/${eventStream ? "stream" : "-"}`;
    let handler = network.largeBodies.get(key);
    if (handler === undefined) {
      const agents = eventStream
        ? (createStreamAgents({
            proxyUrl: this.asset.http_proxy,
            verifySsl: this.asset.verify_ssl,
          }) ?? network.agents)
        : network.agents;
      handler = createHttpHandler(agents, CONTROL_PLANE_TIMEOUT_MS, maxResponseBytes);
      network.largeBodies.set(key, handler);
    }
    return handler;
  }
}

/**
 * What `read` makes of an AWS answer; a TypeError there means the answer held values
 * of types AWS never sends (the SDK does not check them), and becomes endpoint_error.
 *
 * @example
 * ```ts
 * const output = readAnswer(() => call.output(response, inputs), () => executor.context(call, inputs));
 * ```
 */
export function readAnswer<T>(read: () => T, context: () => CallContext): T {
  try {
    return read();
  } catch (error) {
    throw error instanceof TypeError ? malformedAnswer(context(), error) : error;
  }
}

/** Longest a paginated walk goes on asking for pages; the page in flight still ends by its own deadline. */
export const PAGINATION_DEADLINE_MS = 120_000;

/** The endpoint gave back a marker it had given before: following it would never end. */
function repeatedMarker(marker: string, collected: number, context: CallContext): ConnectorError {
  const shown = marker.length > 64 ? `${marker.slice(0, 64)}…` : marker;
  return new ConnectorError(
    "endpoint_error",
    `${context.endpoint ?? `The ${context.service === "sts" ? "STS" : "Lambda"} endpoint`} answered ${context.operation} with the marker "${shown}" a second time: following it would never end, so paging stopped after ${collected} item(s), which are not returned.`,
    {
      hint: "AWS never repeats a marker: check endpoint_url and any proxy or gateway in between. Run the action again with a smaller max_items, or without marker.",
    },
  );
}

/** The SDK clients the executor builds: only their `send` and `destroy` are used. */
type SdkClient = LambdaClient | STSClient | { destroy(): void };

/** What the executor builds on its first call. */
interface Network {
  agents: Agents;
  handler: HttpHandler;
  stsHandler: HttpHandler;
  credentials: Credentials;
  /** Handlers that read larger bodies or event streams, by their limit and kind. */
  largeBodies: Map<string, HttpHandler>;
}

/** What a client's answers are: how large a body it reads, and whether an event stream. */
interface Answer {
  maxResponseBytes: number | undefined;
  eventStream: boolean;
}

function destroyNetwork(network: Network): void {
  // The run's and STS's handlers are on these agents: destroying a handler closes its agents.
  network.agents.destroy();
  for (const handler of network.largeBodies.values()) {
    handler.destroy();
  }
}

/** Why a stream's connection is closed once its reader is done with it. */
class StreamClosed extends Error {
  override readonly name = "StreamClosed";

  constructor() {
    super("The reader is done with the stream");
  }
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

/**
 * `promise`, unless `signal` aborts first and `onAbort` then gives an error: a call
 * whose request is in flight gives none, and ends as the SDK ends it on the same signal
 * (its retries stop there; a socket closed under it would be retried instead).
 */
function untilAborted<T>(
  promise: Promise<T>,
  signal: AbortSignal,
  onAbort: () => Error | undefined,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const abort = () => {
      const error = onAbort();
      if (error !== undefined) {
        reject(error);
      }
    };
    signal.addEventListener("abort", abort, { once: true });
    // Resolved first: a stubbed client (tests) may return a plain value.
    Promise.resolve(promise).then(
      (value) => {
        signal.removeEventListener("abort", abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", abort);
        reject(error);
      },
    );
  });
}

/** The call's deadline passed while its credentials were still being fetched: nothing was sent. */
function credentialDeadline(
  source: CredentialSource,
  timeoutMs: number,
  context: CallContext,
): ConnectorError {
  const seconds = timeoutMs / 1000;
  const service = context.service === "sts" ? "STS" : "Lambda";
  const notSent = `${service} was not called${context.operation === "Invoke" ? " and the function did not run" : ""}`;
  return source === "sts"
    ? new ConnectorError(
        "request_timeout",
        `No answer from STS to AssumeRole for role ${context.roleArn ?? "(none)"} within the ${seconds} s deadline of ${context.operation}: ${notSent}.`,
        {
          hint: `Check that STS is reachable from this machine and answers promptly (sts_endpoint_url${context.proxy === undefined ? "" : `, the proxy ${context.proxy}`}, the firewall). Nothing was changed, so the action can be run again.`,
        },
      )
    : new ConnectorError(
        "request_timeout",
        `No credentials from the machine's AWS credential chain (environment, shared profile, container or instance metadata) within the ${seconds} s deadline of ${context.operation}: ${notSent}.`,
        {
          hint: "Give access_key and secret_key in the asset, or check the container or instance metadata endpoint the machine's credentials come from. Nothing was changed, so the action can be run again.",
        },
      );
}

function credentialKindOf(asset: Asset): CredentialKind {
  if (asset.access_key === undefined) {
    return "chain";
  }
  return asset.session_token === undefined ? "keys" : "temporary-keys";
}
