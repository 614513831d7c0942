import { randomUUID } from "node:crypto";
import { jsonReply } from "../../http/jsonReply.js";
import { authorize } from "../authorize.js";
import { type LambdaCall, noContent, type OperationTable, refuse, serve } from "../LambdaCall.js";
import { lambdaError } from "../lambdaError.js";
import { locateFunction } from "../locateFunction.js";
import { MemberReader } from "../MemberReader.js";
import { parseFunctionTarget } from "../parseFunctionTarget.js";
import { readJsonBody } from "../readJsonBody.js";
import { ValidationProblems } from "../ValidationProblems.js";
import { locateWhole } from "./concurrencyOperations.js";
import {
  describeMapping,
  EVENT_SOURCE_ARN,
  locateMapping,
  STREAM_SOURCE,
} from "./eventSourceMappingOperations.js";

const RECURSIVE_LOOP = ["Allow", "Terminate"] as const;

/** The `Qualifier` query parameter provisioned concurrency needs (a version or alias), checked. */
function locateQualified(call: LambdaCall, iamAction: string) {
  const problems = new ValidationProblems();
  const qualifier = new MemberReader(Object.fromEntries(call.query), problems).string("Qualifier", {
    required: true,
    min: 1,
    max: 128,
    pattern: "(|[a-zA-Z0-9$_-]+)",
  });
  const invalid = problems.reply();
  if (invalid !== undefined || qualifier === undefined) {
    return refuse(invalid ?? lambdaError(400, "ValidationException", "Qualifier is required"));
  }
  return locateFunction(call, {
    functionName: call.labels.FunctionName ?? "",
    qualifier,
    iamAction,
  });
}

const NO_PROVISIONED_CONFIG = lambdaError(
  404,
  "ProvisionedConcurrencyConfigNotFoundException",
  "No Provisioned Concurrency Config found for this function",
);

/**
 * What a responder recovers besides aliases and code: a function's recursive loop
 * detection (Get/PutFunctionRecursionConfig, `lambda:…` on the function; `Terminate` by
 * default), provisioned concurrency on a version or alias (Get/
 * DeleteProvisionedConcurrencyConfig, 404 ProvisionedConcurrencyConfigNotFoundException
 * when there is none; pre-warmed environments stay even at reserved concurrency 0), and
 * creating and deleting event source mappings (`lambda:CreateEventSourceMapping` on `*`,
 * `lambda:DeleteEventSourceMapping` on the mapping; both answer 202, a delete with the
 * mapping in state `Deleting`; one mapping per function and event source, else 409).
 */
export const recoveryOperations = {
  GetFunctionRecursionConfig(call) {
    const located = locateWhole(call, "lambda:GetFunctionRecursionConfig");
    if (!located.ok) {
      return located;
    }
    const { fn } = located.value.resolved;
    return serve(() => jsonReply({ RecursiveLoop: fn.recursiveLoop ?? "Terminate" }));
  },

  PutFunctionRecursionConfig(call) {
    const json = readJsonBody(call.request.body);
    if (!json.ok) {
      return json;
    }
    const problems = new ValidationProblems();
    const loop = new MemberReader(json.value, problems).string("RecursiveLoop", {
      required: true,
      values: RECURSIVE_LOOP,
    }) as (typeof RECURSIVE_LOOP)[number] | undefined;
    const invalid = problems.reply();
    if (invalid !== undefined || loop === undefined) {
      return refuse(invalid ?? lambdaError(400, "ValidationException", "Invalid request"));
    }
    const located = locateWhole(call, "lambda:PutFunctionRecursionConfig");
    if (!located.ok) {
      return located;
    }
    const { fn } = located.value.resolved;
    return serve(() => {
      fn.recursiveLoop = loop;
      return jsonReply({ RecursiveLoop: loop });
    });
  },

  GetProvisionedConcurrencyConfig(call) {
    const located = locateQualified(call, "lambda:GetProvisionedConcurrencyConfig");
    if (!located.ok) {
      return located;
    }
    const { fn } = located.value.resolved;
    const config = fn.provisionedConcurrency?.[located.value.target.qualifier ?? ""];
    if (config === undefined) {
      return refuse(NO_PROVISIONED_CONFIG);
    }
    return serve(() =>
      jsonReply({
        RequestedProvisionedConcurrentExecutions: config.requested,
        AvailableProvisionedConcurrentExecutions: config.requested,
        AllocatedProvisionedConcurrentExecutions: config.requested,
        Status: "READY",
        LastModified: config.lastModified,
      }),
    );
  },

  DeleteProvisionedConcurrencyConfig(call) {
    const located = locateQualified(call, "lambda:DeleteProvisionedConcurrencyConfig");
    if (!located.ok) {
      return located;
    }
    const { fn } = located.value.resolved;
    const qualifier = located.value.target.qualifier ?? "";
    if (fn.provisionedConcurrency?.[qualifier] === undefined) {
      return refuse(NO_PROVISIONED_CONFIG);
    }
    return serve(() => {
      delete fn.provisionedConcurrency?.[qualifier];
      return noContent();
    });
  },

  CreateEventSourceMapping(call) {
    const json = readJsonBody(call.request.body);
    if (!json.ok) {
      return json;
    }
    const problems = new ValidationProblems();
    const body = new MemberReader(json.value, problems);
    const functionName = body.string("FunctionName", { required: true, min: 1, max: 140 });
    const eventSourceArn = body.string("EventSourceArn", { pattern: EVENT_SOURCE_ARN });
    const enabled = body.boolean("Enabled");
    const batchSize = body.integer("BatchSize", { min: 1, max: 10000 });
    const window = body.integer("MaximumBatchingWindowInSeconds", { min: 0, max: 300 });
    const startingPosition = body.string("StartingPosition", {
      values: ["TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"],
    });
    const invalid = problems.reply();
    if (invalid !== undefined || functionName === undefined) {
      return refuse(invalid ?? lambdaError(400, "ValidationException", "Invalid request"));
    }
    const parsed = parseFunctionTarget(functionName, undefined, call.region, call.world.accountId);
    if (!parsed.ok) {
      return parsed;
    }
    const denied = authorize(call, "lambda:CreateEventSourceMapping", "*");
    if (denied !== undefined) {
      return refuse(denied);
    }
    if (eventSourceArn === undefined) {
      return refuse(
        lambdaError(400, "InvalidParameterValueException", "Unrecognized event source."),
      );
    }
    const stream = STREAM_SOURCE.test(eventSourceArn);
    if (stream && startingPosition === undefined) {
      return refuse(
        lambdaError(
          400,
          "InvalidParameterValueException",
          "StartingPosition is required for Kinesis and DynamoDB event sources.",
        ),
      );
    }
    const { target } = parsed;
    const fn = call.world.functions.find(
      (candidate) => candidate.name === target.name && candidate.region === target.region,
    );
    if (fn === undefined || target.accountId !== call.world.accountId) {
      return refuse(
        lambdaError(404, "ResourceNotFoundException", `Function not found: ${target.resourceArn}`),
      );
    }
    const taken = (call.world.eventSourceMappings ?? []).find(
      (mapping) =>
        mapping.region === call.region &&
        mapping.functionName === fn.name &&
        mapping.eventSourceArn === eventSourceArn,
    );
    if (taken !== undefined) {
      return refuse(
        lambdaError(
          409,
          "ResourceConflictException",
          `An event source mapping with event source ("${eventSourceArn}") and function ("${fn.name}") already exists. Please update or delete the existing mapping with UUID ${taken.uuid}`,
        ),
      );
    }
    return serve(() => {
      const mapping = {
        uuid: randomUUID(),
        region: call.region,
        functionName: fn.name,
        eventSourceArn,
        batchSize: batchSize ?? (stream ? 100 : 10),
        maximumBatchingWindowInSeconds: window ?? 0,
        ...(startingPosition === undefined ? {} : { startingPosition }),
        enabled: enabled ?? true,
        ...(call.stateTransitionMs > 0
          ? { transitionUntil: call.now + call.stateTransitionMs }
          : {}),
        lastModified: call.now,
      };
      call.world.eventSourceMappings = [...(call.world.eventSourceMappings ?? []), mapping];
      return jsonReply(describeMapping(call, mapping), 202);
    });
  },

  DeleteEventSourceMapping(call) {
    const located = locateMapping(call, "lambda:DeleteEventSourceMapping");
    if (!located.ok) {
      return located;
    }
    const mapping = located.value;
    return serve(() => {
      const described = { ...describeMapping(call, mapping), State: "Deleting" };
      call.world.eventSourceMappings = (call.world.eventSourceMappings ?? []).filter(
        (candidate) => candidate !== mapping,
      );
      return jsonReply(described, 202);
    });
  },
} satisfies OperationTable;
