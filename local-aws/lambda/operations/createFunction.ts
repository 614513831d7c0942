import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { Architecture, Runtime } from "@aws-sdk/client-lambda";
import { jsonReply } from "../../http/jsonReply.js";
import type { FunctionDefinition } from "../../World.js";
import { authorize } from "../authorize.js";
import { describeFunction } from "../describeFunction.js";
import { roleTrustsLambda } from "../executionRole.js";
import { type OperationHandler, refuse, serve } from "../LambdaCall.js";
import { lambdaError } from "../lambdaError.js";
import { lambdaTimestamp } from "../lambdaTimestamp.js";
import { findLayerVersion } from "../layerArns.js";
import { MemberReader } from "../MemberReader.js";
import { parseFunctionTarget } from "../parseFunctionTarget.js";
import { readCodeMembers, readCodeSource } from "../readCodeSource.js";
import { readJsonBody } from "../readJsonBody.js";
import { stableUuid } from "../stableUuid.js";
import { ValidationProblems } from "../ValidationProblems.js";

/** What a created function runs when invoked: its own code is never executed here. */
const ECHO_CODE = fileURLToPath(new URL("../../functions/echo.js", import.meta.url));
/** The model's pattern of an execution role ARN. */
export const ROLE_PATTERN = "arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+";
/** The model's pattern of a layer version ARN. */
export const LAYER_VERSION_PATTERN =
  "arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+";

function invalidParameter(message: string) {
  return refuse(lambdaError(400, "InvalidParameterValueException", message));
}

/**
 * CreateFunction (`POST /2015-03-31/functions`, 201): a Zip function from a base64
 * `ZipFile` or an S3 location, with Lambda's checks in its order: the model's
 * constraints; IAM (`lambda:CreateFunction` on the new function's ARN, `iam:PassRole` on
 * the execution role, `lambda:GetLayerVersion` on each layer); a name already taken (409
 * ResourceConflictException); the package; an execution role that exists and trusts
 * `lambda.amazonaws.com`; layers that exist. The function starts `Pending` and becomes
 * `Active` once the endpoint's state transition time has passed (at once when it is 0).
 * Invoked, it runs the demo's `echo`. `Publish` publishes version 1 and describes it.
 */
export const createFunction: OperationHandler = (call) => {
  const json = readJsonBody(call.request.body);
  if (!json.ok) {
    return json;
  }
  const problems = new ValidationProblems();
  const body = new MemberReader(json.value, problems);
  const functionName = body.string("FunctionName", { required: true, min: 1, max: 140 });
  const role = body.string("Role", { required: true, pattern: ROLE_PATTERN });
  const code = body.structure("Code", { required: true });
  const source = code === undefined ? undefined : readCodeMembers(code);
  const runtime = body.string("Runtime", { values: Object.values(Runtime) });
  const handler = body.string("Handler", { max: 128, pattern: "[^\\s]+" });
  const description = body.string("Description", { max: 256 });
  const timeout = body.integer("Timeout", { min: 1, max: 900 });
  const memorySize = body.integer("MemorySize", { min: 128, max: 10240 });
  const publish = body.boolean("Publish");
  const packageType = body.string("PackageType", { values: ["Zip", "Image"] });
  const variables = body.structure("Environment")?.stringMap("Variables");
  const tags = body.stringMap("Tags");
  const layers = body.strings("Layers", { maxItems: 5, pattern: LAYER_VERSION_PATTERN });
  const architectures = body.strings("Architectures", {
    minItems: 1,
    maxItems: 1,
    values: Object.values(Architecture),
  });
  const vpcConfig = body.structure("VpcConfig");
  const subnetIds = vpcConfig?.strings("SubnetIds", { maxItems: 16 });
  const securityGroupIds = vpcConfig?.strings("SecurityGroupIds", { maxItems: 5 });
  const invalid = problems.reply();
  if (
    invalid !== undefined ||
    functionName === undefined ||
    role === undefined ||
    source === undefined
  ) {
    return refuse(invalid ?? lambdaError(400, "ValidationException", "Invalid request"));
  }

  const parsed = parseFunctionTarget(functionName, undefined, call.region, call.world.accountId);
  if (!parsed.ok) {
    return parsed;
  }
  const { target } = parsed;
  call.note({ functionName });
  if (target.qualifier !== undefined) {
    return invalidParameter(`A new function's name takes no version or alias: ${functionName}`);
  }
  const denied =
    authorize(call, "lambda:CreateFunction", target.functionArn) ??
    authorize(call, "iam:PassRole", role) ??
    (layers ?? []).map((arn) => authorize(call, "lambda:GetLayerVersion", arn)).find(Boolean);
  if (denied !== undefined) {
    return refuse(denied);
  }
  if (target.region !== call.region || target.accountId !== call.world.accountId) {
    return invalidParameter(
      `A function can only be created in the region and account the request is signed for (${call.region}, ${call.world.accountId}).`,
    );
  }
  const exists = call.world.functions.some(
    (fn) => fn.name === target.name && fn.region === call.region,
  );
  if (exists) {
    return refuse(
      lambdaError(409, "ResourceConflictException", `Function already exist: ${target.name}`),
    );
  }
  if (packageType === "Image") {
    return invalidParameter(
      "local-aws runs Zip functions only: PackageType Image is not supported.",
    );
  }
  if (runtime === undefined || handler === undefined) {
    return invalidParameter(
      "Runtime and Handler are mandatory parameters for functions created with deployment packages.",
    );
  }
  const codePackage = readCodeSource(source);
  if (!codePackage.ok) {
    return codePackage;
  }
  if (!roleTrustsLambda(call.world, role)) {
    return invalidParameter("The role defined for the function cannot be assumed by Lambda.");
  }
  const missingLayer = (layers ?? []).find(
    (arn) => findLayerVersion(call.world, arn) === undefined,
  );
  if (missingLayer !== undefined) {
    return invalidParameter(`Layer version ${missingLayer} does not exist.`);
  }

  const fn: FunctionDefinition = {
    name: target.name,
    region: call.region,
    code: ECHO_CODE,
    timeoutSeconds: timeout ?? 3,
    memorySizeMb: memorySize ?? 128,
    runtime,
    handler,
    role,
    description: description ?? "",
    environment: variables ?? {},
    architectures: architectures ?? ["x86_64"],
    codePackage: codePackage.value,
    lastModified: lambdaTimestamp(call.now),
    revisionId: randomUUID(),
    ...(layers === undefined ? {} : { layers }),
    ...(tags === undefined ? {} : { tags }),
    ...(publish === true ? { versions: ["1"] } : {}),
    ...(subnetIds === undefined || subnetIds.length === 0
      ? {}
      : {
          vpc: {
            subnetIds,
            securityGroupIds: securityGroupIds ?? [],
            vpcId: `vpc-${stableUuid(subnetIds.join(",")).replaceAll("-", "").slice(0, 17)}`,
          },
        }),
    ...(call.stateTransitionMs > 0 ? { pendingUntil: call.now + call.stateTransitionMs } : {}),
  };
  return serve(() => {
    call.world.functions.push(fn);
    const version = publish === true ? "1" : "$LATEST";
    const described = describeFunction(
      { fn, version },
      {
        functionArn: publish === true ? `${target.functionArn}:1` : target.functionArn,
        world: call.world,
        now: call.now,
        operation: "CreateFunction",
      },
    );
    return jsonReply(described, 201);
  });
};
