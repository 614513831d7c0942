import { randomBytes } from "node:crypto";
import { jsonReply } from "../../http/jsonReply.js";
import type { Step } from "../../http/Reply.js";
import type { FunctionUrlDefinition } from "../../World.js";
import {
  type LambdaCall,
  noContent,
  type OperationHandler,
  type OperationTable,
  refuse,
  type Serve,
  serve,
} from "../LambdaCall.js";
import { lambdaError } from "../lambdaError.js";
import { type LocatedFunction, locateFunction, qualifierKey } from "../locateFunction.js";
import { MemberReader } from "../MemberReader.js";
import { readJsonBody } from "../readJsonBody.js";
import { ValidationProblems } from "../ValidationProblems.js";

const AUTH_TYPES = ["NONE", "AWS_IAM"] as const;
const INVOKE_MODES = ["BUFFERED", "RESPONSE_STREAM"] as const;
/** A URL belongs to the function or one of its aliases, never to a numbered version. */
const URL_QUALIFIER = "(^\\$LATEST$)|((?!^[0-9]+$)([a-zA-Z0-9-_]+))";
const URL_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

/** What a URL call sent, once it passed the model's constraints. */
interface UrlSettings {
  authType: FunctionUrlDefinition["authType"] | undefined;
  cors: Record<string, unknown> | undefined;
  invokeMode: FunctionUrlDefinition["invokeMode"] | undefined;
}

/** The CORS settings as sent, keeping only the members the model knows. */
function readCors(cors: MemberReader): Record<string, unknown> {
  const settings: Record<string, unknown> = {
    AllowCredentials: cors.boolean("AllowCredentials"),
    AllowHeaders: cors.strings("AllowHeaders", { maxItems: 100, max: 1024 }),
    AllowMethods: cors.strings("AllowMethods", { maxItems: 6, max: 6, pattern: ".*" }),
    AllowOrigins: cors.strings("AllowOrigins", { maxItems: 100, min: 1, max: 253 }),
    ExposeHeaders: cors.strings("ExposeHeaders", { maxItems: 100, max: 1024 }),
    MaxAge: cors.integer("MaxAge", { min: 0, max: 86400 }),
  };
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
}

/** Reads the URL's settings from the body and checks the Qualifier parameter. */
function readSettings(call: LambdaCall, authTypeRequired: boolean): Step<UrlSettings> {
  const json = readJsonBody(call.request.body);
  if (!json.ok) {
    return json;
  }
  const problems = new ValidationProblems();
  const body = new MemberReader(json.value, problems);
  const authType = body.string("AuthType", { required: authTypeRequired, values: AUTH_TYPES });
  const cors = body.structure("Cors");
  const settings = {
    authType: authType as UrlSettings["authType"],
    cors: cors === undefined ? undefined : readCors(cors),
    invokeMode: body.string("InvokeMode", { values: INVOKE_MODES }) as UrlSettings["invokeMode"],
  };
  const qualifier = call.query.get("Qualifier");
  if (qualifier !== null) {
    new MemberReader({ Qualifier: qualifier }, problems).string("Qualifier", {
      min: 1,
      max: 128,
      pattern: URL_QUALIFIER,
    });
  }
  const invalid = problems.reply();
  return invalid === undefined ? { ok: true, value: settings } : refuse(invalid);
}

function locate(call: LambdaCall, iamAction: string): Step<LocatedFunction> {
  return locateFunction(call, {
    functionName: call.labels.FunctionName ?? "",
    qualifier: call.query.get("Qualifier") ?? undefined,
    iamAction,
  });
}

/** `https://<32 characters>.lambda-url.<region>.on.aws/`, as Lambda makes them up. */
function newUrl(region: string): string {
  const id = Array.from(randomBytes(32), (byte) => URL_ID_ALPHABET[byte % 32]).join("");
  return `https://${id}.lambda-url.${region}.on.aws/`;
}

function describeUrl(
  url: FunctionUrlDefinition,
  functionArn: string,
  withLastModified: boolean,
): object {
  return {
    FunctionUrl: url.url,
    FunctionArn: functionArn,
    AuthType: url.authType,
    ...(url.cors === undefined ? {} : { Cors: url.cors }),
    CreationTime: url.creationTime,
    ...(withLastModified ? { LastModifiedTime: url.lastModifiedTime } : {}),
    InvokeMode: url.invokeMode,
  };
}

const notFound = () =>
  refuse(
    lambdaError(404, "ResourceNotFoundException", "The resource you requested does not exist."),
  );

/** Reads or removes the URL of the function or alias a call names; 404 when it has none. */
function onExistingUrl(
  iamAction: string,
  act: (located: LocatedFunction, url: FunctionUrlDefinition) => Step<Serve>,
): OperationHandler {
  return (call) => {
    const checked = readSettings(call, false);
    if (!checked.ok) {
      return checked;
    }
    const located = locate(call, iamAction);
    if (!located.ok) {
      return located;
    }
    const url = located.value.resolved.fn.urls?.[qualifierKey(located.value.target)];
    return url === undefined ? notFound() : act(located.value, url);
  };
}

/**
 * Function URLs, one for the function and one per alias: GetFunctionUrlConfig
 * (`lambda:GetFunctionUrlConfig`; 404 ResourceNotFoundException when there is none),
 * CreateFunctionUrlConfig (`lambda:CreateFunctionUrlConfig`; 201, 409 when one exists),
 * UpdateFunctionUrlConfig (`lambda:UpdateFunctionUrlConfig`: AuthType, Cors, InvokeMode)
 * and DeleteFunctionUrlConfig (`lambda:DeleteFunctionUrlConfig`; 204). The URLs are made
 * up: nothing answers on them.
 */
export const functionUrlOperations = {
  GetFunctionUrlConfig: onExistingUrl("lambda:GetFunctionUrlConfig", ({ target }, url) =>
    serve(() => jsonReply(describeUrl(url, target.resourceArn, true))),
  ),

  CreateFunctionUrlConfig(call) {
    const settings = readSettings(call, true);
    if (!settings.ok) {
      return settings;
    }
    const located = locate(call, "lambda:CreateFunctionUrlConfig");
    if (!located.ok) {
      return located;
    }
    const { target, resolved } = located.value;
    const { fn } = resolved;
    const key = qualifierKey(target);
    if (fn.urls?.[key] !== undefined) {
      return refuse(
        lambdaError(
          409,
          "ResourceConflictException",
          `Failed to create function url config for [functionArn = ${target.resourceArn}]. Error message:  FunctionUrlConfig exists for this Lambda function`,
        ),
      );
    }
    const { authType, cors, invokeMode } = settings.value;
    const created = new Date(call.now).toISOString();
    const url: FunctionUrlDefinition = {
      url: newUrl(fn.region),
      authType: authType ?? "AWS_IAM",
      ...(cors === undefined ? {} : { cors }),
      invokeMode: invokeMode ?? "BUFFERED",
      creationTime: created,
      lastModifiedTime: created,
    };
    return serve(() => {
      fn.urls = { ...fn.urls, [key]: url };
      return jsonReply(describeUrl(url, target.resourceArn, false), 201);
    });
  },

  UpdateFunctionUrlConfig(call) {
    const settings = readSettings(call, false);
    if (!settings.ok) {
      return settings;
    }
    const located = locate(call, "lambda:UpdateFunctionUrlConfig");
    if (!located.ok) {
      return located;
    }
    const { target, resolved } = located.value;
    const { fn } = resolved;
    const key = qualifierKey(target);
    const current = fn.urls?.[key];
    if (current === undefined) {
      return notFound();
    }
    const { authType, cors, invokeMode } = settings.value;
    return serve(() => {
      const updated: FunctionUrlDefinition = {
        ...current,
        ...(authType === undefined ? {} : { authType }),
        ...(cors === undefined ? {} : { cors }),
        ...(invokeMode === undefined ? {} : { invokeMode }),
        lastModifiedTime: new Date(call.now).toISOString(),
      };
      fn.urls = { ...fn.urls, [key]: updated };
      return jsonReply(describeUrl(updated, target.resourceArn, true));
    });
  },

  DeleteFunctionUrlConfig: onExistingUrl("lambda:DeleteFunctionUrlConfig", ({ target, resolved }) =>
    serve(() => {
      const urls = { ...resolved.fn.urls };
      delete urls[qualifierKey(target)];
      resolved.fn.urls = urls;
      return noContent();
    }),
  ),
} satisfies OperationTable;
