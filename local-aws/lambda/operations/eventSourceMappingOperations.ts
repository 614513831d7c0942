import { jsonReply } from "../../http/jsonReply.js";
import type { Step } from "../../http/Reply.js";
import type { EventSourceMappingDefinition } from "../../World.js";
import { authorize } from "../authorize.js";
import { type LambdaCall, type OperationTable, refuse, serve } from "../LambdaCall.js";
import { lambdaError } from "../lambdaError.js";
import { MemberReader } from "../MemberReader.js";
import { paginate, readMaxItems } from "../paginate.js";
import { parseFunctionTarget } from "../parseFunctionTarget.js";
import { readJsonBody } from "../readJsonBody.js";
import { ValidationProblems } from "../ValidationProblems.js";

/** Lambda returns at most this many mappings a call, whatever `MaxItems` asks for. */
const PAGE_LIMIT = 100;
export const EVENT_SOURCE_ARN =
  "arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}(-gov)?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)";
/** Kinesis and DynamoDB streams are read in order, with a starting position and more knobs. */
export const STREAM_SOURCE = /^arn:[^:]+:(kinesis|dynamodb):/;
/** For SQS, a batch over this many records needs a batching window of at least one second. */
const SQS_UNBATCHED_LIMIT = 10;

export function mappingArn(call: LambdaCall, uuid: string): string {
  return `arn:aws:lambda:${call.region}:${call.world.accountId}:event-source-mapping:${uuid}`;
}

/** `Enabling`/`Disabling` until the mapping's transition time has passed, then where it went. */
function stateOf(mapping: EventSourceMappingDefinition, now: number): string {
  const moving = mapping.transitionUntil !== undefined && now < mapping.transitionUntil;
  if (mapping.enabled) {
    return moving ? "Enabling" : "Enabled";
  }
  return moving ? "Disabling" : "Disabled";
}

/** The mapping as Lambda's `EventSourceMappingConfiguration` describes it. */
export function describeMapping(call: LambdaCall, mapping: EventSourceMappingDefinition): object {
  const stream = STREAM_SOURCE.test(mapping.eventSourceArn);
  return {
    UUID: mapping.uuid,
    ...(mapping.startingPosition === undefined
      ? {}
      : { StartingPosition: mapping.startingPosition }),
    BatchSize: mapping.batchSize,
    MaximumBatchingWindowInSeconds: mapping.maximumBatchingWindowInSeconds,
    ...(stream ? { ParallelizationFactor: 1 } : {}),
    EventSourceArn: mapping.eventSourceArn,
    FunctionArn: `arn:aws:lambda:${mapping.region}:${call.world.accountId}:function:${mapping.functionName}`,
    // Timestamps travel as epoch seconds in Lambda's JSON.
    LastModified: mapping.lastModified / 1000,
    ...(stream ? { LastProcessingResult: "No records processed" } : {}),
    State: stateOf(mapping, call.now),
    StateTransitionReason: "USER_INITIATED",
    ...(stream
      ? {
          DestinationConfig: { OnFailure: {} },
          MaximumRecordAgeInSeconds: -1,
          BisectBatchOnFunctionError: false,
          MaximumRetryAttempts: -1,
          TumblingWindowInSeconds: 0,
        }
      : {}),
    FunctionResponseTypes: [],
    EventSourceMappingArn: mappingArn(call, mapping.uuid),
  };
}

/** Authorizes `iamAction` on the mapping the `UUID` label names and finds it; 404 when absent. */
export function locateMapping(
  call: LambdaCall,
  iamAction: string,
): Step<EventSourceMappingDefinition> {
  const uuid = call.labels.UUID ?? "";
  const denied = authorize(call, iamAction, mappingArn(call, uuid));
  if (denied !== undefined) {
    return refuse(denied);
  }
  const mapping = call.world.eventSourceMappings?.find(
    (candidate) => candidate.uuid === uuid && candidate.region === call.region,
  );
  if (mapping === undefined) {
    return refuse(
      lambdaError(404, "ResourceNotFoundException", "The resource you requested does not exist."),
    );
  }
  return { ok: true, value: mapping };
}

/**
 * Event source mappings (triggers): ListEventSourceMappings
 * (`lambda:ListEventSourceMappings` on `*`; filtered by FunctionName and EventSourceArn,
 * at most 100 a page), GetEventSourceMapping and UpdateEventSourceMapping
 * (`lambda:GetEventSourceMapping`, `lambda:UpdateEventSourceMapping` on the mapping's
 * ARN). Enabling or disabling a mapping passes through `Enabling` or `Disabling` for the
 * endpoint's state transition time (not at all when it is 0); no records flow either way.
 */
export const eventSourceMappingOperations = {
  ListEventSourceMappings(call) {
    const problems = new ValidationProblems();
    const maxItems = readMaxItems(call.query, problems, 10000, PAGE_LIMIT);
    const filters = new MemberReader(Object.fromEntries(call.query), problems);
    const functionName = filters.string("FunctionName", { min: 1, max: 140 });
    const eventSourceArn = filters.string("EventSourceArn", { pattern: EVENT_SOURCE_ARN });
    const invalid = problems.reply();
    if (invalid !== undefined) {
      return refuse(invalid);
    }
    const target =
      functionName === undefined
        ? undefined
        : parseFunctionTarget(functionName, undefined, call.region, call.world.accountId);
    if (target?.ok === false) {
      return target;
    }
    const denied = authorize(call, "lambda:ListEventSourceMappings", "*");
    if (denied !== undefined) {
      return refuse(denied);
    }
    const named = target?.target;
    const mappings = (call.world.eventSourceMappings ?? []).filter(
      (mapping) =>
        mapping.region === call.region &&
        (eventSourceArn === undefined || mapping.eventSourceArn === eventSourceArn) &&
        (named === undefined ||
          (named.name === mapping.functionName &&
            named.region === mapping.region &&
            named.accountId === call.world.accountId &&
            named.qualifier === undefined)),
    );
    const page = paginate(
      mappings,
      {
        scope: `ListEventSourceMappings:${call.region}:${functionName ?? ""}:${eventSourceArn ?? ""}`,
        marker: call.query.get("Marker") ?? undefined,
        maxItems,
        pageLimit: PAGE_LIMIT,
        keyOf: (mapping) => mapping.uuid,
      },
      call.markers,
    );
    if (!page.ok) {
      return page;
    }
    const { items, nextMarker } = page.value;
    return serve(() =>
      jsonReply({
        EventSourceMappings: items.map((mapping) => describeMapping(call, mapping)),
        ...(nextMarker === undefined ? {} : { NextMarker: nextMarker }),
      }),
    );
  },

  GetEventSourceMapping(call) {
    const located = locateMapping(call, "lambda:GetEventSourceMapping");
    if (!located.ok) {
      return located;
    }
    return serve(() => jsonReply(describeMapping(call, located.value)));
  },

  UpdateEventSourceMapping(call) {
    const json = readJsonBody(call.request.body);
    if (!json.ok) {
      return json;
    }
    const problems = new ValidationProblems();
    const body = new MemberReader(json.value, problems);
    const functionName = body.string("FunctionName", { min: 1, max: 140 });
    const enabled = body.boolean("Enabled");
    const batchSize = body.integer("BatchSize", { min: 1, max: 10000 });
    const window = body.integer("MaximumBatchingWindowInSeconds", { min: 0, max: 300 });
    const invalid = problems.reply();
    if (invalid !== undefined) {
      return refuse(invalid);
    }
    const located = locateMapping(call, "lambda:UpdateEventSourceMapping");
    if (!located.ok) {
      return located;
    }
    const mapping = located.value;
    let newFunction: string | undefined;
    if (functionName !== undefined) {
      const parsed = parseFunctionTarget(
        functionName,
        undefined,
        call.region,
        call.world.accountId,
      );
      if (!parsed.ok) {
        return parsed;
      }
      const exists = call.world.functions.some(
        (fn) => fn.name === parsed.target.name && fn.region === parsed.target.region,
      );
      if (!exists || parsed.target.accountId !== call.world.accountId) {
        return refuse(
          lambdaError(
            404,
            "ResourceNotFoundException",
            `Function not found: ${parsed.target.resourceArn}`,
          ),
        );
      }
      newFunction = parsed.target.name;
    }
    const size = batchSize ?? mapping.batchSize;
    const batchingWindow = window ?? mapping.maximumBatchingWindowInSeconds;
    if (
      !STREAM_SOURCE.test(mapping.eventSourceArn) &&
      size > SQS_UNBATCHED_LIMIT &&
      batchingWindow < 1
    ) {
      return refuse(
        lambdaError(
          400,
          "InvalidParameterValueException",
          `Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than ${SQS_UNBATCHED_LIMIT}`,
        ),
      );
    }
    return serve(() => {
      if (enabled !== undefined && enabled !== mapping.enabled) {
        mapping.enabled = enabled;
        if (call.stateTransitionMs > 0) {
          mapping.transitionUntil = call.now + call.stateTransitionMs;
        } else {
          delete mapping.transitionUntil;
        }
      }
      mapping.batchSize = size;
      mapping.maximumBatchingWindowInSeconds = batchingWindow;
      if (newFunction !== undefined) {
        mapping.functionName = newFunction;
      }
      mapping.lastModified = call.now;
      return jsonReply(describeMapping(call, mapping), 202);
    });
  },
} satisfies OperationTable;
