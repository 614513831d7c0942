import { Runtime } from "@aws-sdk/client-lambda";
import { jsonReply } from "../../http/jsonReply.js";
import { authorize } from "../authorize.js";
import { describeFunction, revisionIdOf } from "../describeFunction.js";
import { roleTrustsLambda } from "../executionRole.js";
import {
  locateForUpdate,
  publishLatest,
  recordUpdate,
  staleRevisionId,
} from "../functionChanges.js";
import { type LambdaCall, type OperationTable, refuse, serve } from "../LambdaCall.js";
import { lambdaError } from "../lambdaError.js";
import { findLayerVersion } from "../layerArns.js";
import type { LocatedFunction } from "../locateFunction.js";
import { MemberReader } from "../MemberReader.js";
import { readCodeMembers, readCodeSource } from "../readCodeSource.js";
import { readJsonBody } from "../readJsonBody.js";
import { ValidationProblems } from "../ValidationProblems.js";
import { LAYER_VERSION_PATTERN, ROLE_PATTERN } from "./createFunction.js";

const DEAD_LETTER_PATTERN = "(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()";

function invalidParameter(message: string) {
  return refuse(lambdaError(400, "InvalidParameterValueException", message));
}

/** The answer to an update: `$LATEST` (or the version it published) as it is now. */
function describeUpdated(
  call: LambdaCall,
  { target, resolved }: LocatedFunction,
  version: string,
  operation: "UpdateFunctionConfiguration" | "UpdateFunctionCode",
) {
  return jsonReply(
    describeFunction(
      { fn: resolved.fn, version },
      {
        functionArn:
          version === "$LATEST" ? target.functionArn : `${target.functionArn}:${version}`,
        world: call.world,
        now: call.now,
        operation,
      },
    ),
  );
}

/**
 * Changes to `$LATEST`: UpdateFunctionConfiguration (`lambda:UpdateFunctionConfiguration`,
 * with `iam:PassRole` on a new role and `lambda:GetLayerVersion` on each layer; the
 * environment given replaces the whole environment) and UpdateFunctionCode
 * (`lambda:UpdateFunctionCode`; a base64 zip or an S3 object, optionally published as a
 * new version). Each gives the function a new RevisionId (412 for a stale one) and a
 * `LastUpdateStatus` of `InProgress` for the endpoint's state transition time, then
 * `Successful` (or `Failed`, with the reason planted in the function's `failNextUpdate`);
 * an update while one is in progress is refused (409).
 */
export const functionUpdateOperations = {
  UpdateFunctionConfiguration(call) {
    const json = readJsonBody(call.request.body);
    if (!json.ok) {
      return json;
    }
    const problems = new ValidationProblems();
    const body = new MemberReader(json.value, problems);
    const role = body.string("Role", { pattern: ROLE_PATTERN });
    const handler = body.string("Handler", { max: 128, pattern: "[^\\s]+" });
    const description = body.string("Description", { max: 256 });
    const timeout = body.integer("Timeout", { min: 1, max: 900 });
    const memorySize = body.integer("MemorySize", { min: 128, max: 10240 });
    const runtime = body.string("Runtime", { values: Object.values(Runtime) });
    const environment = body.structure("Environment");
    const variables = environment?.stringMap("Variables");
    const layers = body.strings("Layers", { maxItems: 5, pattern: LAYER_VERSION_PATTERN });
    const deadLetter = body.structure("DeadLetterConfig")?.string("TargetArn", {
      pattern: DEAD_LETTER_PATTERN,
    });
    const revisionId = body.string("RevisionId");
    const invalid = problems.reply();
    if (invalid !== undefined) {
      return refuse(invalid);
    }
    const located = locateForUpdate(call, "lambda:UpdateFunctionConfiguration");
    if (!located.ok) {
      return located;
    }
    const denied =
      (role === undefined ? undefined : authorize(call, "iam:PassRole", role)) ??
      (layers ?? []).map((arn) => authorize(call, "lambda:GetLayerVersion", arn)).find(Boolean);
    if (denied !== undefined) {
      return refuse(denied);
    }
    const { fn } = located.value.resolved;
    const stale = staleRevisionId(revisionIdOf(fn), revisionId);
    if (stale !== undefined) {
      return stale;
    }
    if (role !== undefined && !roleTrustsLambda(call.world, role)) {
      return invalidParameter("The role defined for the function cannot be assumed by Lambda.");
    }
    const missingLayer = (layers ?? []).find(
      (arn) => findLayerVersion(call.world, arn) === undefined,
    );
    if (missingLayer !== undefined) {
      return invalidParameter(`Layer version ${missingLayer} does not exist.`);
    }
    return serve(() => {
      if (role !== undefined) fn.role = role;
      if (handler !== undefined) fn.handler = handler;
      if (description !== undefined) fn.description = description;
      if (timeout !== undefined) fn.timeoutSeconds = timeout;
      if (memorySize !== undefined) fn.memorySizeMb = memorySize;
      if (runtime !== undefined) fn.runtime = runtime;
      if (environment !== undefined) fn.environment = variables ?? {};
      if (layers !== undefined) fn.layers = layers;
      if (deadLetter === "") {
        delete fn.deadLetterTargetArn;
      } else if (deadLetter !== undefined) {
        fn.deadLetterTargetArn = deadLetter;
      }
      recordUpdate(call, fn);
      return describeUpdated(call, located.value, "$LATEST", "UpdateFunctionConfiguration");
    });
  },

  UpdateFunctionCode(call) {
    const json = readJsonBody(call.request.body);
    if (!json.ok) {
      return json;
    }
    const problems = new ValidationProblems();
    const body = new MemberReader(json.value, problems);
    const source = readCodeMembers(body);
    const publish = body.boolean("Publish");
    const dryRun = body.boolean("DryRun");
    const revisionId = body.string("RevisionId");
    const invalid = problems.reply();
    if (invalid !== undefined) {
      return refuse(invalid);
    }
    const located = locateForUpdate(call, "lambda:UpdateFunctionCode");
    if (!located.ok) {
      return located;
    }
    const { fn } = located.value.resolved;
    const stale = staleRevisionId(revisionIdOf(fn), revisionId);
    if (stale !== undefined) {
      return stale;
    }
    const codePackage = readCodeSource(source);
    if (!codePackage.ok) {
      return codePackage;
    }
    if (dryRun === true) {
      return serve(() => describeUpdated(call, located.value, "$LATEST", "UpdateFunctionCode"));
    }
    return serve(() => {
      fn.codePackage = codePackage.value;
      recordUpdate(call, fn);
      const version = publish === true ? publishLatest(fn) : "$LATEST";
      return describeUpdated(call, located.value, version, "UpdateFunctionCode");
    });
  },
} satisfies OperationTable;
