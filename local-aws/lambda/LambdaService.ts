import { authenticate } from "../auth/authenticate.js";
import type { CredentialStore } from "../auth/CredentialStore.js";
import type { Identity } from "../auth/Identity.js";
import { isAllowed } from "../auth/isAllowed.js";
import type { ReceivedRequest } from "../auth/verifySignature.js";
import type { Faults } from "../Faults.js";
import { headerValue } from "../http/headerValue.js";
import type { Handled, Reply, Step } from "../http/Reply.js";
import type { World } from "../World.js";
import { checkInvocation } from "./checkInvocation.js";
import { describeFunction } from "./describeFunction.js";
import type { FunctionRunner, RunOutcome } from "./FunctionRunner.js";
import { LAMBDA_AUTH_ERRORS, lambdaError } from "./lambdaError.js";
import { type FunctionTarget, parseFunctionTarget } from "./parseFunctionTarget.js";
import type { RunCounts } from "./RunCounts.js";
import { type ResolvedFunction, resolveFunctionTarget } from "./resolveFunctionTarget.js";
import { syncReply } from "./syncReply.js";

/** What the Lambda service needs from the endpoint around it. */
export interface LambdaServiceDependencies {
  world: World;
  store: CredentialStore;
  faults: Faults;
  runner: FunctionRunner;
  runs: RunCounts;
}

const ROUTE = /^\/2015-03-31\/functions\/(?<name>[^/]+)(?<rest>\/invocations|\/configuration)?\/?$/;

type RequestRecord = Handled["record"];

function errorCodeOf(reply: Reply): string | undefined {
  return reply.kind === "respond" ? reply.headers["x-amzn-ErrorType"] : undefined;
}

function finish(record: RequestRecord, reply: Reply): Handled {
  const errorCode = errorCodeOf(reply);
  return { reply, record: errorCode === undefined ? record : { ...record, errorCode } };
}

/**
 * Lambda's REST-JSON API: Invoke (RequestResponse, Event, DryRun) and GetFunction, with
 * SigV4 authentication, identity-based authorization, Lambda's error shapes, and the
 * injected faults.
 */
export class LambdaService {
  private readonly background = new Set<Promise<void>>();

  constructor(private readonly deps: LambdaServiceDependencies) {}

  /** Serves one request whose path is under `/2015-03-31/`. */
  async handle(request: ReceivedRequest, requestId: string): Promise<Handled> {
    const match = ROUTE.exec(request.rawPath)?.groups;
    const action =
      match?.rest === "/invocations" && request.method === "POST"
        ? "Invoke"
        : match?.rest === undefined && request.method === "GET"
          ? "GetFunction"
          : match?.rest === "/configuration" && request.method === "GET"
            ? "GetFunctionConfiguration"
            : "Unknown";
    const auth = await authenticate(request, "lambda", this.deps.store);
    const record: RequestRecord = {
      service: "lambda",
      action,
      region: auth.region,
      accessKeyId: auth.accessKeyId,
    };
    if (!auth.ok) {
      const { status, code } = LAMBDA_AUTH_ERRORS[auth.failure];
      return finish(record, lambdaError(status, code, auth.message));
    }
    const signed = { ...record, principalArn: auth.identity.arn };
    if (match?.name === undefined || action === "Unknown") {
      return finish(
        signed,
        lambdaError(
          404,
          "UnknownOperationException",
          `Unknown operation ${request.method} ${request.rawPath}`,
        ),
      );
    }
    let functionName: string;
    try {
      functionName = decodeURIComponent(match.name);
    } catch {
      return finish(
        signed,
        lambdaError(400, "ValidationException", "The function name is not valid URL encoding."),
      );
    }
    const query = new URLSearchParams(request.rawQuery);
    const located = this.locate(
      functionName,
      query.get("Qualifier") ?? undefined,
      auth.region,
      auth.identity,
      action === "Invoke" ? "lambda:InvokeFunction" : `lambda:${action}`,
    );
    const named = { ...signed, functionName };
    if (!located.ok) {
      return finish(named, located.reply);
    }
    const { target, resolved } = located.value;
    const qualified = {
      ...named,
      ...(target.qualifier === undefined ? {} : { qualifier: target.qualifier }),
      executedVersion: resolved.version,
    };
    if (action !== "Invoke") {
      const description = describeFunction(resolved, target, action === "GetFunction");
      return finish(qualified, {
        kind: "respond",
        status: 200,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(description),
      });
    }
    return this.invoke(request, requestId, target, resolved, qualified);
  }

  /** Resolves when no Event invocation is running any more. */
  async idle(): Promise<void> {
    while (this.background.size > 0) {
      await Promise.all(this.background);
    }
  }

  /**
   * Parses the function name, authorizes the action on the exact ARN and qualifier, and
   * finds the function in the signed region, in that order: IAM answers before Lambda
   * says whether a function exists.
   */
  private locate(
    functionName: string,
    qualifier: string | undefined,
    region: string,
    identity: Identity,
    iamAction: string,
  ): Step<{ target: FunctionTarget; resolved: ResolvedFunction }> {
    const parsed = parseFunctionTarget(functionName, qualifier, region, this.deps.world.accountId);
    if (!parsed.ok) {
      return parsed;
    }
    const { target } = parsed;
    if (!isAllowed(identity.policy, iamAction, target.resourceArn)) {
      return {
        ok: false,
        reply: lambdaError(
          403,
          "AccessDeniedException",
          `User: ${identity.arn} is not authorized to perform: ${iamAction} on resource: ${target.resourceArn} because no identity-based policy allows the ${iamAction} action`,
        ),
      };
    }
    if (target.region !== region) {
      return {
        ok: false,
        reply: lambdaError(
          404,
          "ResourceNotFoundException",
          `Functions from '${target.region}' are not reachable in this region ('${region}')`,
        ),
      };
    }
    const resolved = resolveFunctionTarget(this.deps.world, target);
    if (resolved === undefined) {
      return {
        ok: false,
        reply: lambdaError(
          404,
          "ResourceNotFoundException",
          `Function not found: ${target.resourceArn}`,
        ),
      };
    }
    return { ok: true, value: { target, resolved } };
  }

  private async invoke(
    request: ReceivedRequest,
    requestId: string,
    target: FunctionTarget,
    resolved: ResolvedFunction,
    record: RequestRecord,
  ): Promise<Handled> {
    const invocationType =
      headerValue(request.headers, "x-amz-invocation-type") ?? "RequestResponse";
    const withType = { ...record, invocationType };
    const checked = checkInvocation(request, invocationType);
    if (!checked.ok) {
      return finish(withType, checked.reply);
    }
    const { eventJson, clientContext, tail } = checked.value;

    const fault = this.deps.faults.take("lambda");
    if (fault?.kind === "throttle") {
      return finish(
        withType,
        lambdaError(429, "TooManyRequestsException", "Rate Exceeded.", {
          fields: { Reason: fault.reason },
          headers: { "Retry-After": String(fault.retryAfterSeconds) },
        }),
      );
    }
    if (fault?.kind === "fail") {
      return finish(
        withType,
        lambdaError(
          fault.status,
          fault.code ?? "ServiceException",
          fault.message ?? "An internal error occurred; please try again.",
        ),
      );
    }
    if (fault?.kind === "reset" && fault.when === "before") {
      return { reply: { kind: "reset" }, record: { ...withType, errorCode: "ConnectionReset" } };
    }

    const run = () =>
      this.deps.runner.run({
        fn: resolved.fn,
        region: resolved.fn.region,
        version: resolved.version,
        invokedFunctionArn: target.resourceArn,
        requestId,
        eventJson,
        clientContext,
        onStart: () => this.deps.runs.add(resolved.fn.name, resolved.version),
      });

    let reply: Reply;
    if (invocationType === "DryRun") {
      reply = { kind: "respond", status: 204, headers: {}, body: "" };
    } else if (invocationType === "Event") {
      this.inBackground(run());
      reply = { kind: "respond", status: 202, headers: {}, body: "" };
    } else {
      reply = syncReply(await run(), resolved.version, tail);
    }

    if (fault?.kind === "reset") {
      return { reply: { kind: "reset" }, record: { ...withType, errorCode: "ConnectionReset" } };
    }
    if (fault?.kind === "delay" && reply.kind === "respond") {
      reply = { ...reply, delayMs: fault.ms };
    }
    return finish(withType, reply);
  }

  private inBackground(outcome: Promise<RunOutcome>): void {
    const done = outcome.then(() => undefined);
    this.background.add(done);
    void done.finally(() => this.background.delete(done));
  }
}
