import { authenticate } from "../auth/authenticate.js";
import type { CredentialStore } from "../auth/CredentialStore.js";
import type { Identity } from "../auth/Identity.js";
import { isAllowed } from "../auth/isAllowed.js";
import type { ReceivedRequest } from "../auth/verifySignature.js";
import type { Faults } from "../Faults.js";
import { headerValue } from "../http/headerValue.js";
import { jsonReply } from "../http/jsonReply.js";
import type { Handled, Reply, Step } from "../http/Reply.js";
import type { World } from "../World.js";
import { accessDenied } from "./accessDenied.js";
import { accountSettings } from "./accountSettings.js";
import { checkInvocation } from "./checkInvocation.js";
import { describeFunction } from "./describeFunction.js";
import type { FunctionRunner, RunOutcome } from "./FunctionRunner.js";
import type { LambdaOperation } from "./LambdaOperation.js";
import { LAMBDA_AUTH_ERRORS, lambdaError } from "./lambdaError.js";
import { lambdaFaultReply } from "./lambdaFaultReply.js";
import { type LambdaRoute, lambdaRoute } from "./lambdaRoute.js";
import { listFunctions } from "./listFunctions.js";
import { PageMarkers } from "./PageMarkers.js";
import { type FunctionTarget, parseFunctionTarget } from "./parseFunctionTarget.js";
import { parseListFunctionsQuery } from "./parseListFunctionsQuery.js";
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

type RequestRecord = Handled["record"];

/** Who signed a request, and the region its signature is scoped to. */
interface Caller {
  identity: Identity;
  region: string;
}

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

/**
 * Lambda's REST-JSON API: Invoke (RequestResponse, Event, DryRun), GetFunction,
 * GetFunctionConfiguration, GetAccountSettings and ListFunctions, with SigV4
 * authentication, identity-based authorization, Lambda's error shapes, and the injected
 * faults.
 */
export class LambdaService {
  private readonly background = new Set<Promise<void>>();
  private readonly markers = new PageMarkers();

  constructor(private readonly deps: LambdaServiceDependencies) {}

  /** Serves one request whose path is under one of Lambda's dated API versions. */
  async handle(request: ReceivedRequest, requestId: string): Promise<Handled> {
    const route = lambdaRoute(request.method, request.rawPath);
    const auth = await authenticate(request, "lambda", this.deps.store);
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
    const caller = { identity: auth.identity, region: auth.region };
    const query = new URLSearchParams(request.rawQuery);
    switch (route.operation) {
      case "GetAccountSettings":
        return this.getAccountSettings(signed, caller);
      case "ListFunctions":
        return this.listFunctions(signed, caller, query);
      default:
        return this.functionOperation(request, requestId, route, signed, caller, query);
    }
  }

  /** Resolves when no Event invocation is running any more. */
  async idle(): Promise<void> {
    while (this.background.size > 0) {
      await Promise.all(this.background);
    }
  }

  private async getAccountSettings(record: RequestRecord, caller: Caller): Promise<Handled> {
    const iamAction = "lambda:GetAccountSettings";
    if (!isAllowed(caller.identity.policy, iamAction, "*")) {
      return finish(record, accessDenied(caller.identity, iamAction, "*"));
    }
    return this.answer("GetAccountSettings", record, () =>
      jsonReply(accountSettings(this.deps.world, caller.region)),
    );
  }

  /** Checks the parameters, then IAM, then the marker: only this endpoint's markers can be read. */
  private async listFunctions(
    record: RequestRecord,
    caller: Caller,
    query: URLSearchParams,
  ): Promise<Handled> {
    const parsed = parseListFunctionsQuery(query);
    if (!parsed.ok) {
      return finish(record, parsed.reply);
    }
    const iamAction = "lambda:ListFunctions";
    if (!isAllowed(caller.identity.policy, iamAction, "*")) {
      return finish(record, accessDenied(caller.identity, iamAction, "*"));
    }
    const page = listFunctions(this.deps.world, caller.region, parsed.value, this.markers);
    if (!page.ok) {
      return finish(record, page.reply);
    }
    return this.answer("ListFunctions", record, () => jsonReply(page.value));
  }

  /** Invoke, GetFunction and GetFunctionConfiguration: the operations on one function. */
  private async functionOperation(
    request: ReceivedRequest,
    requestId: string,
    route: Extract<LambdaRoute, { encodedName: string }>,
    record: RequestRecord,
    caller: Caller,
    query: URLSearchParams,
  ): Promise<Handled> {
    let functionName: string;
    try {
      functionName = decodeURIComponent(route.encodedName);
    } catch {
      return finish(
        record,
        lambdaError(400, "ValidationException", "The function name is not valid URL encoding."),
      );
    }
    const { operation } = route;
    const located = this.locate(
      functionName,
      query.get("Qualifier") ?? undefined,
      caller,
      operation === "Invoke" ? "lambda:InvokeFunction" : `lambda:${operation}`,
    );
    const named = { ...record, functionName };
    if (!located.ok) {
      return finish(named, located.reply);
    }
    const { target, resolved } = located.value;
    const qualified = {
      ...named,
      ...(target.qualifier === undefined ? {} : { qualifier: target.qualifier }),
      executedVersion: resolved.version,
    };
    if (operation !== "Invoke") {
      return this.answer(operation, qualified, () =>
        jsonReply(
          describeFunction(
            resolved,
            { functionArn: target.resourceArn, accountId: target.accountId },
            operation,
          ),
        ),
      );
    }
    return this.invoke(request, requestId, target, resolved, qualified);
  }

  /**
   * Parses the function name, authorizes the action on the exact ARN and qualifier, and
   * finds the function in the signed region, in that order: IAM answers before Lambda
   * says whether a function exists.
   */
  private locate(
    functionName: string,
    qualifier: string | undefined,
    { identity, region }: Caller,
    iamAction: string,
  ): Step<{ target: FunctionTarget; resolved: ResolvedFunction }> {
    const parsed = parseFunctionTarget(functionName, qualifier, region, this.deps.world.accountId);
    if (!parsed.ok) {
      return parsed;
    }
    const { target } = parsed;
    if (!isAllowed(identity.policy, iamAction, target.resourceArn)) {
      return { ok: false, reply: accessDenied(identity, iamAction, target.resourceArn) };
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

    return this.answer("Invoke", withType, async () => {
      if (invocationType === "DryRun") {
        return { kind: "respond", status: 204, headers: {}, body: "" };
      }
      if (invocationType === "Event") {
        this.inBackground(run());
        return { kind: "respond", status: 202, headers: {}, body: "" };
      }
      return syncReply(await run(), resolved.version, tail);
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
    serve: () => Reply | Promise<Reply>,
  ): Promise<Handled> {
    const fault = this.deps.faults.take("lambda", operation);
    const instead = fault === undefined ? undefined : lambdaFaultReply(fault);
    if (instead !== undefined) {
      return finish(record, instead);
    }
    const reply = await serve();
    if (fault?.kind === "reset") {
      return finish(record, { kind: "reset" });
    }
    if (fault?.kind === "delay" && reply.kind === "respond") {
      return finish(record, { ...reply, delayMs: fault.ms });
    }
    return finish(record, reply);
  }

  private inBackground(outcome: Promise<RunOutcome>): void {
    const done = outcome.then(() => undefined);
    this.background.add(done);
    void done.finally(() => this.background.delete(done));
  }
}
