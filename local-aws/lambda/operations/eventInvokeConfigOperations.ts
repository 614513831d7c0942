import { jsonReply } from "../../http/jsonReply.js";
import type { Step } from "../../http/Reply.js";
import type { EventInvokeConfigDefinition } from "../../World.js";
import { type LambdaCall, noContent, type OperationTable, refuse, serve } from "../LambdaCall.js";
import { lambdaError } from "../lambdaError.js";
import { type LocatedFunction, locateFunction, qualifierKey } from "../locateFunction.js";
import { MemberReader } from "../MemberReader.js";
import { readJsonBody } from "../readJsonBody.js";
import { ValidationProblems } from "../ValidationProblems.js";

const DESTINATION_PATTERN =
  "^$|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}(-gov)?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)";

function locateConfig(call: LambdaCall, iamAction: string): Step<LocatedFunction> {
  return locateFunction(call, {
    functionName: call.labels.FunctionName ?? "",
    qualifier: call.query.get("Qualifier") ?? undefined,
    iamAction,
  });
}

/** The settings as Lambda answers them (`FunctionEventInvokeConfig`); `LastModified` in epoch seconds. */
export function describeConfig(config: EventInvokeConfigDefinition, functionArn: string) {
  const destination = (arn: string | undefined) => (arn === undefined ? {} : { Destination: arn });
  return {
    FunctionArn: functionArn,
    LastModified: config.lastModified / 1000,
    ...(config.maximumRetryAttempts === undefined
      ? {}
      : { MaximumRetryAttempts: config.maximumRetryAttempts }),
    ...(config.maximumEventAgeInSeconds === undefined
      ? {}
      : { MaximumEventAgeInSeconds: config.maximumEventAgeInSeconds }),
    DestinationConfig: {
      OnSuccess: destination(config.onSuccess),
      OnFailure: destination(config.onFailure),
    },
  };
}

function noConfig(functionArn: string) {
  return refuse(
    lambdaError(
      404,
      "ResourceNotFoundException",
      `The function ${functionArn} doesn't have an EventInvokeConfig`,
    ),
  );
}

/**
 * A function's (or version's or alias's) asynchronous invocation settings: retries,
 * maximum event age and the destinations results go to, a data path out of the account.
 * GetFunctionEventInvokeConfig (`lambda:GetFunctionEventInvokeConfig`; 404 when none is
 * set), PutFunctionEventInvokeConfig (`lambda:PutFunctionEventInvokeConfig`; replaces all
 * the settings: what is not given is unset) and DeleteFunctionEventInvokeConfig
 * (`lambda:DeleteFunctionEventInvokeConfig`; 204, 404 when none is set).
 */
export const eventInvokeConfigOperations = {
  GetFunctionEventInvokeConfig(call) {
    const located = locateConfig(call, "lambda:GetFunctionEventInvokeConfig");
    if (!located.ok) {
      return located;
    }
    const { target, resolved } = located.value;
    const config = resolved.fn.eventInvokeConfigs?.[qualifierKey(target)];
    if (config === undefined) {
      return noConfig(target.resourceArn);
    }
    return serve(() => jsonReply(describeConfig(config, target.resourceArn)));
  },

  PutFunctionEventInvokeConfig(call) {
    const json = readJsonBody(call.request.body);
    if (!json.ok) {
      return json;
    }
    const problems = new ValidationProblems();
    const body = new MemberReader(json.value, problems);
    const retries = body.integer("MaximumRetryAttempts", { min: 0, max: 2 });
    const maxAge = body.integer("MaximumEventAgeInSeconds", { min: 60, max: 21600 });
    const destinations = body.structure("DestinationConfig");
    const onSuccess = destinations
      ?.structure("OnSuccess")
      ?.string("Destination", { max: 350, pattern: DESTINATION_PATTERN });
    const onFailure = destinations
      ?.structure("OnFailure")
      ?.string("Destination", { max: 350, pattern: DESTINATION_PATTERN });
    const invalid = problems.reply();
    if (invalid !== undefined) {
      return refuse(invalid);
    }
    const located = locateConfig(call, "lambda:PutFunctionEventInvokeConfig");
    if (!located.ok) {
      return located;
    }
    const { target, resolved } = located.value;
    const { fn } = resolved;
    return serve(() => {
      const config: EventInvokeConfigDefinition = {
        lastModified: call.now,
        ...(retries === undefined ? {} : { maximumRetryAttempts: retries }),
        ...(maxAge === undefined ? {} : { maximumEventAgeInSeconds: maxAge }),
        ...(onSuccess === undefined || onSuccess === "" ? {} : { onSuccess }),
        ...(onFailure === undefined || onFailure === "" ? {} : { onFailure }),
      };
      fn.eventInvokeConfigs = { ...fn.eventInvokeConfigs, [qualifierKey(target)]: config };
      return jsonReply(describeConfig(config, target.resourceArn));
    });
  },

  DeleteFunctionEventInvokeConfig(call) {
    const located = locateConfig(call, "lambda:DeleteFunctionEventInvokeConfig");
    if (!located.ok) {
      return located;
    }
    const { target, resolved } = located.value;
    const configs = resolved.fn.eventInvokeConfigs;
    if (configs?.[qualifierKey(target)] === undefined) {
      return noConfig(target.resourceArn);
    }
    return serve(() => {
      delete configs[qualifierKey(target)];
      return noContent();
    });
  },
} satisfies OperationTable;
