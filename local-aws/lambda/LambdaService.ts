import { authenticate } from "../auth/authenticate.js";
import type { CredentialStore } from "../auth/CredentialStore.js";
import type { ReceivedRequest } from "../auth/verifySignature.js";
import type { Faults } from "../Faults.js";
import { headerValue } from "../http/headerValue.js";
import type { Handled, Reply, Step } from "../http/Reply.js";
import type { PackageDownloads } from "../s3/PackageDownloads.js";
import { accountWorld, type FunctionDefinition, type World } from "../World.js";
import { checkInvocation } from "./checkInvocation.js";
import { checkTenant } from "./checkTenant.js";
import type { FunctionRunner, RunOutcome, RunRequest } from "./FunctionRunner.js";
import {
  type CallNote,
  type LambdaCall,
  type OperationHandler,
  refuse,
  type Serve,
  serve,
} from "./LambdaCall.js";
import type { LambdaOperation } from "./LambdaOperation.js";
import { LAMBDA_AUTH_ERRORS, lambdaError } from "./lambdaError.js";
import { lambdaFaultReply } from "./lambdaFaultReply.js";
import { lambdaRoute } from "./lambdaRoute.js";
import { locateFunction } from "./locateFunction.js";
import { accountOperations } from "./operations/accountOperations.js";
import { aliasOperations } from "./operations/aliasOperations.js";
import { concurrencyOperations } from "./operations/concurrencyOperations.js";
import { createFunction } from "./operations/createFunction.js";
import { durableExecutionOperations } from "./operations/durableExecutionOperations.js";
import { eventInvokeConfigOperations } from "./operations/eventInvokeConfigOperations.js";
import { eventSourceMappingOperations } from "./operations/eventSourceMappingOperations.js";
import { functionOperations } from "./operations/functionOperations.js";
import { functionUpdateOperations } from "./operations/functionUpdateOperations.js";
import { functionUrlOperations } from "./operations/functionUrlOperations.js";
import { streamReply } from "./operations/invokeWithResponseStream.js";
import { layerOperations } from "./operations/layerOperations.js";
import { layerVersionByArnOperations } from "./operations/layerVersionByArnOperations.js";
import { recoveryOperations } from "./operations/recoveryOperations.js";
import { resourcePolicyOperations } from "./operations/resourcePolicyOperations.js";
import { securityReadOperations } from "./operations/securityReadOperations.js";
import { tagOperations } from "./operations/tagOperations.js";
import { versionOperations } from "./operations/versionOperations.js";
import { PageMarkers } from "./PageMarkers.js";
import type { RateLimiter } from "./RateLimiter.js";
import type { RunCounts } from "./RunCounts.js";
import { syncReply } from "./syncReply.js";

/** What the Lambda service needs from the endpoint around it. */
export interface LambdaServiceDependencies {
  world: World;
  store: CredentialStore;
  faults: Faults;
  runner: FunctionRunner;
  runs: RunCounts;
  /** The endpoint's clock (epoch milliseconds), against which credentials expire. */
  now: () => number;
  /**
   * How long, by that clock, a created function stays `Pending` and an updated event
   * source mapping `Enabling` or `Disabling`; 0 for at once.
   */
  stateTransitionMs: number;
  /** Serves the packages GetFunction and the layer reads point at; none when absent. */
  downloads?: PackageDownloads | undefined;
  /** AWS-like throttling per account, region and operation; none when not given. */
  rateLimiter?: RateLimiter | undefined;
  /** How long each control-plane answer takes, as AWS's own take tens of milliseconds; 0 by default. */
  latencyMs?: number | undefined;
}

type RequestRecord = Handled["record"];

/** Every operation but the invocations, which need the runner. */
const CONTROL_PLANE: Record<
  Exclude<LambdaOperation, "Invoke" | "InvokeWithResponseStream">,
  OperationHandler
> = {
  ...accountOperations,
  ...functionOperations,
  CreateFunction: createFunction,
  ...resourcePolicyOperations,
  ...functionUrlOperations,
  ...concurrencyOperations,
  ...eventSourceMappingOperations,
  ...tagOperations,
  ...layerOperations,
  ...aliasOperations,
  ...versionOperations,
  ...functionUpdateOperations,
  ...eventInvokeConfigOperations,
  ...layerVersionByArnOperations,
  ...recoveryOperations,
  ...durableExecutionOperations,
  ...securityReadOperations,
};

function errorCodeOf(reply: Reply): string | undefined {
  if (reply.kind === "reset") {
    return "ConnectionReset";
  }
  return reply.headers["x-amzn-ErrorType"];
}

function finish(record: RequestRecord, reply: Reply): Handled {
  const errorCode = errorCodeOf(reply);
  return { reply, record: errorCode === undefined ? record : { ...record, errorCode } };
}

/** The path's labels, URL-decoded, or Lambda's 400 for one that is not valid URL encoding. */
function decodeLabels(labels: Record<string, string>): Step<Record<string, string>> {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(labels)) {
    try {
      decoded[name] = decodeURIComponent(value);
    } catch {
      const what = name === "FunctionName" ? "function name" : name;
      return refuse(
        lambdaError(400, "ValidationException", `The ${what} is not valid URL encoding.`),
      );
    }
  }
  return { ok: true, value: decoded };
}

/**
 * Lambda's REST-JSON API: Invoke (RequestResponse, Event, DryRun) and the control plane
 * a responder uses (functions, versions, aliases, resource policies, URLs, concurrency,
 * event source mappings, tags, layers, account settings), with SigV4 authentication,
 * IAM authorization (identity-based and the function's resource-based policy), Lambda's
 * error shapes, and the injected faults. State lives in the world, so each call sees
 * what earlier calls changed.
 */
export class LambdaService {
  private readonly background = new Set<Promise<void>>();
  private readonly markers = new PageMarkers();
  /** Invocations running now, per function: what reserved concurrency is measured against. */
  private readonly running = new Map<FunctionDefinition, number>();

  constructor(private readonly deps: LambdaServiceDependencies) {}

  /** Serves one request whose path is under one of Lambda's dated API versions. */
  async handle(request: ReceivedRequest, requestId: string): Promise<Handled> {
    const route = lambdaRoute(request.method, request.rawPath, request.rawQuery);
    const now = this.deps.now();
    const auth = await authenticate(request, "lambda", this.deps.store, new Date(now));
    const record: RequestRecord = {
      service: "lambda",
      action: route?.operation ?? "Unknown",
      region: auth.region,
      accessKeyId: auth.accessKeyId,
    };
    if (!auth.ok) {
      const { status, code } = LAMBDA_AUTH_ERRORS[auth.failure];
      return finish(record, lambdaError(status, code, auth.message));
    }
    const signed = { ...record, principalArn: auth.identity.arn };
    if (route === undefined) {
      return finish(
        signed,
        lambdaError(
          404,
          "UnknownOperationException",
          `Unknown operation ${request.method} ${request.rawPath}`,
        ),
      );
    }
    const labels = decodeLabels(route.labels);
    if (!labels.ok) {
      return finish(signed, labels.reply);
    }
    const refused = this.refuseByAccount(route.operation, auth.identity, auth.region);
    if (refused !== undefined) {
      return finish(signed, refused);
    }
    const notes: CallNote = {};
    const call: LambdaCall = {
      operation: route.operation,
      identity: auth.identity,
      region: auth.region,
      labels: labels.value,
      query: new URLSearchParams(request.rawQuery),
      request,
      requestId,
      // A session of a role in another account sees that account's functions.
      world: accountWorld(this.deps.world, auth.identity.accountId) ?? this.deps.world,
      now,
      stateTransitionMs: this.deps.stateTransitionMs,
      markers: this.markers,
      note: (fields) => Object.assign(notes, fields),
      downloads: this.deps.downloads,
    };
    const step =
      route.operation === "Invoke"
        ? this.invoke(call, false)
        : route.operation === "InvokeWithResponseStream"
          ? this.invoke(call, true)
          : CONTROL_PLANE[route.operation](call);
    const noted = { ...signed, ...notes };
    return step.ok ? this.answer(route.operation, noted, step.value) : finish(noted, step.reply);
  }

  /**
   * What the account answers before the operation looks at anything: a region its
   * service control policy denies (403), or a rate over its quota (429, Retry-After).
   */
  private refuseByAccount(
    operation: LambdaOperation,
    identity: { arn: string; accountId: string },
    region: string,
  ): Reply | undefined {
    const world = accountWorld(this.deps.world, identity.accountId) ?? this.deps.world;
    if (world.deniedRegions?.includes(region) === true) {
      return lambdaError(
        403,
        "AccessDeniedException",
        `User: ${identity.arn} is not authorized to perform: lambda:${operation} with an explicit deny in a service control policy`,
      );
    }
    const limiter = this.deps.rateLimiter;
    if (limiter?.applies(operation, region) === true) {
      const waitSeconds = limiter.admit(`${identity.accountId}/${region}/${operation}`);
      if (waitSeconds > 0) {
        return lambdaError(429, "TooManyRequestsException", "Rate exceeded", {
          fields: { Reason: "CallerRateLimitExceeded" },
          headers: { "Retry-After": String(waitSeconds) },
        });
      }
    }
    return undefined;
  }

  /** Resolves when no Event invocation is running any more. */
  async idle(): Promise<void> {
    while (this.background.size > 0) {
      await Promise.all(this.background);
    }
  }

  /**
   * Invoke (`lambda:InvokeFunction`, allowed by the caller's identity policy or the
   * function's resource policy): a Pending function is a 409; reserved concurrency
   * throttles a synchronous call with 429 once that many run (so 0 throttles them all),
   * and keeps an Event call from ever running (Lambda would hold it queued). With
   * `streaming` it is InvokeWithResponseStream: RequestResponse or DryRun only, and the
   * answer is the event stream of what the handler writes. A function with tenant
   * isolation needs a TenantId; one without refuses it.
   */
  private invoke(call: LambdaCall, streaming: boolean): Step<Serve> {
    const located = locateFunction(call, {
      functionName: call.labels.FunctionName ?? "",
      qualifier: call.query.get("Qualifier") ?? undefined,
      iamAction: "lambda:InvokeFunction",
    });
    if (!located.ok) {
      return located;
    }
    const { target, resolved } = located.value;
    const { fn, version } = resolved;
    const invocationType =
      headerValue(call.request.headers, "x-amz-invocation-type") ?? "RequestResponse";
    call.note({ executedVersion: version, invocationType });
    if (streaming && invocationType === "Event") {
      return refuse(
        lambdaError(
          400,
          "ValidationException",
          "1 validation error detected: Value 'Event' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [RequestResponse, DryRun]",
        ),
      );
    }
    const checked = checkInvocation(call.request, invocationType);
    if (!checked.ok) {
      return checked;
    }
    const tenant = checkTenant(call.request, fn);
    if (!tenant.ok) {
      return tenant;
    }
    if (fn.pendingUntil !== undefined && call.now < fn.pendingUntil) {
      return refuse(
        lambdaError(
          409,
          "ResourceConflictException",
          "The operation cannot be performed at this time. The function is currently in the following state: Pending",
        ),
      );
    }
    const { eventJson, clientContext, tail } = checked.value;
    const run = (streamed: Pick<RunRequest, "onChunk" | "signal"> = {}) =>
      this.track(
        fn,
        this.deps.runner.run({
          fn,
          region: fn.region,
          version,
          invokedFunctionArn: target.resourceArn,
          requestId: call.requestId,
          eventJson,
          clientContext,
          tenantId: tenant.value,
          onStart: () => this.deps.runs.add(fn.name, version),
          ...streamed,
        }),
      );

    return serve(async () => {
      if (invocationType === "DryRun") {
        return { kind: "respond", status: 204, headers: {}, body: "" };
      }
      const reserved = fn.reservedConcurrency;
      if (invocationType === "Event") {
        if (reserved !== 0) {
          this.inBackground(run());
        }
        return { kind: "respond", status: 202, headers: {}, body: "" };
      }
      if (reserved !== undefined && (this.running.get(fn) ?? 0) >= reserved) {
        return lambdaError(429, "TooManyRequestsException", "Rate Exceeded.", {
          fields: { Reason: "ReservedFunctionConcurrentInvocationLimitExceeded" },
        });
      }
      if (streaming) {
        return streamReply((onChunk, signal) => run({ onChunk, signal }), version, tail);
      }
      return syncReply(await run(), version, tail);
    });
  }

  /** Counts an invocation as running until it ends. */
  private track(fn: FunctionDefinition, outcome: Promise<RunOutcome>): Promise<RunOutcome> {
    this.running.set(fn, (this.running.get(fn) ?? 0) + 1);
    return outcome.finally(() => {
      const left = (this.running.get(fn) ?? 1) - 1;
      if (left === 0) {
        this.running.delete(fn);
      } else {
        this.running.set(fn, left);
      }
    });
  }

  /**
   * Serves a call that passed authentication, validation and authorization, unless a
   * fault queued for its operation answers first; a reset or delay fault strikes after
   * `serve` did its work (for Invoke: after the function really ran).
   */
  private async answer(
    operation: LambdaOperation,
    record: RequestRecord,
    work: Serve,
  ): Promise<Handled> {
    const fault = this.deps.faults.take("lambda", operation);
    const instead = fault === undefined ? undefined : lambdaFaultReply(fault);
    if (instead !== undefined) {
      return finish(record, instead);
    }
    const served = await work();
    const latencyMs = operation === "Invoke" ? 0 : (this.deps.latencyMs ?? 0);
    const reply =
      latencyMs > 0 && served.kind === "respond"
        ? { ...served, delayMs: (served.delayMs ?? 0) + latencyMs }
        : served;
    if (fault?.kind === "reset") {
      return finish(record, { kind: "reset" });
    }
    if (fault?.kind === "delay" && reply.kind === "respond") {
      return finish(record, { ...reply, delayMs: (reply.delayMs ?? 0) + fault.ms });
    }
    return finish(record, reply);
  }

  private inBackground(outcome: Promise<RunOutcome>): void {
    const done = outcome.then(() => undefined);
    this.background.add(done);
    void done.finally(() => this.background.delete(done));
  }
}
