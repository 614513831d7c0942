import { createHash } from "node:crypto";
import { evaluateAccess } from "../../auth/evaluateAccess.js";
import { jsonReply } from "../../http/jsonReply.js";
import type { FunctionDefinition } from "../../World.js";
import { accessDeniedMessage } from "../accessDenied.js";
import { describeAlias } from "../describeAlias.js";
import { describeFunction } from "../describeFunction.js";
import {
  type LambdaCall,
  noContent,
  type OperationHandler,
  type OperationTable,
  refuse,
  serve,
} from "../LambdaCall.js";
import { lambdaError } from "../lambdaError.js";
import { type LocatedFunction, locateFunction } from "../locateFunction.js";
import { paginate, readMaxItems } from "../paginate.js";
import { removeWhere } from "../removeWhere.js";
import { stableUuid } from "../stableUuid.js";
import { ValidationProblems } from "../ValidationProblems.js";

/** Lambda returns at most this many versions or aliases a call, whatever `MaxItems` asks for. */
const PAGE_LIMIT = 50;
const MAX_ITEMS_LIMIT = 10000;

function versionRank(version: string): number {
  return version === "$LATEST" ? -1 : Number(version);
}

/** `20250101T000000Z`, as SigV4 prints dates. */
function amzDate(epochMs: number): string {
  return new Date(epochMs)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/**
 * Where GetFunction says the deployment package can be downloaded for the next ten
 * minutes: a presigned-style URL on the endpoint itself when it serves downloads (the
 * code file, or the `packageFile`), else shaped like Lambda's and made up.
 */
function codeLocation(call: LambdaCall, { resolved }: LocatedFunction): string {
  const { fn, version } = resolved;
  if (call.downloads !== undefined) {
    const file = fn.codePackage === undefined ? fn.code : fn.packageFile;
    return call.downloads.issue(file === undefined ? undefined : { file }, fn.region);
  }
  const snapshot = stableUuid(`snapshot:${fn.name}:${version}`);
  const signature = createHash("sha256").update(`${snapshot}:${call.requestId}`).digest("hex");
  const date = amzDate(call.now);
  const credential = `ASIAQ4LOCALAWS0EXAMP%2F${date.slice(0, 8)}%2F${fn.region}%2Fs3%2Faws4_request`;
  return (
    `https://awslambda-${fn.region}-tasks.s3.${fn.region}.amazonaws.com/snapshots/${call.world.accountId}/` +
    `${fn.name}-${snapshot}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=${date}` +
    `&X-Amz-SignedHeaders=host&X-Amz-Expires=600&X-Amz-Credential=${credential}&X-Amz-Signature=${signature}`
  );
}

/**
 * GetFunction's `Tags` (only when the function has some) or, when the caller may not
 * `lambda:ListTags` on the function, `TagsError` instead, as Lambda answers since it
 * checks that permission for the tags it returns.
 */
function tagsOf(call: LambdaCall, fn: FunctionDefinition, functionArn: string): object {
  const decision = evaluateAccess(call.identity, "lambda:ListTags", functionArn, fn.policies?.[""]);
  if (decision !== "Allow") {
    return {
      TagsError: {
        ErrorCode: "AccessDeniedException",
        Message: accessDeniedMessage(call.identity, "lambda:ListTags", functionArn, decision),
      },
    };
  }
  return fn.tags === undefined || Object.keys(fn.tags).length === 0 ? {} : { Tags: fn.tags };
}

function describeOne(operation: "GetFunction" | "GetFunctionConfiguration"): OperationHandler {
  return (call) => {
    const located = locateFunction(call, {
      functionName: call.labels.FunctionName ?? "",
      qualifier: call.query.get("Qualifier") ?? undefined,
      iamAction: `lambda:${operation}`,
    });
    if (!located.ok) {
      return located;
    }
    const { target, resolved } = located.value;
    call.note({ executedVersion: resolved.version });
    const configuration = describeFunction(resolved, {
      functionArn: target.resourceArn,
      world: call.world,
      now: call.now,
      operation,
    });
    if (operation === "GetFunctionConfiguration") {
      return serve(() => jsonReply(configuration));
    }
    const { fn } = resolved;
    return serve(() =>
      jsonReply({
        Configuration: configuration,
        Code: { RepositoryType: "S3", Location: codeLocation(call, located.value) },
        ...tagsOf(call, fn, target.functionArn),
        ...(fn.reservedConcurrency === undefined
          ? {}
          : { Concurrency: { ReservedConcurrentExecutions: fn.reservedConcurrency } }),
      }),
    );
  };
}

/** The aliases that send any invocations to `version`, primary or by routing weight. */
function aliasesOf(fn: FunctionDefinition, version: string): string[] {
  return Object.entries(fn.aliases ?? {})
    .filter(
      ([alias, target]) => target === version || fn.aliasRouting?.[alias]?.[version] !== undefined,
    )
    .map(([alias]) => alias)
    .sort();
}

/**
 * The reads and the delete of one function: GetFunction (`lambda:GetFunction`, with
 * `Code`, `Tags` and `Concurrency`), GetFunctionConfiguration
 * (`lambda:GetFunctionConfiguration`), DeleteFunction (`lambda:DeleteFunction`: the
 * function with everything attached to it, or one published version), and the paginated
 * ListVersionsByFunction (`lambda:ListVersionsByFunction`) and ListAliases
 * (`lambda:ListAliases`), each on the function's ARN (qualified when the call is).
 */
export const functionOperations = {
  GetFunction: describeOne("GetFunction"),
  GetFunctionConfiguration: describeOne("GetFunctionConfiguration"),

  DeleteFunction(call) {
    const located = locateFunction(call, {
      functionName: call.labels.FunctionName ?? "",
      qualifier: call.query.get("Qualifier") ?? undefined,
      iamAction: "lambda:DeleteFunction",
    });
    if (!located.ok) {
      return located;
    }
    const { target, resolved } = located.value;
    const { fn } = resolved;
    const { qualifier } = target;
    if (qualifier === undefined) {
      return serve(() => {
        removeWhere(call.world.functions, (candidate) => candidate === fn);
        removeWhere(
          call.world.eventSourceMappings,
          (mapping) => mapping.functionName === fn.name && mapping.region === fn.region,
        );
        return noContent();
      });
    }
    if (qualifier === "$LATEST") {
      return refuse(
        lambdaError(
          409,
          "ResourceConflictException",
          "$LATEST version cannot be deleted without deleting the function.",
        ),
      );
    }
    if (fn.aliases?.[qualifier] !== undefined) {
      return refuse(
        lambdaError(
          400,
          "InvalidParameterValueException",
          `DeleteFunction deletes versions, and ${qualifier} is an alias: delete it with DeleteAlias.`,
        ),
      );
    }
    const referencing = aliasesOf(fn, qualifier);
    if (referencing.length > 0) {
      return refuse(
        lambdaError(
          409,
          "ResourceConflictException",
          `Unable to delete version because the following aliases reference it: [${referencing.join(", ")}]`,
        ),
      );
    }
    return serve(() => {
      fn.versions = (fn.versions ?? []).filter((version) => version !== qualifier);
      delete fn.policies?.[qualifier];
      delete fn.urls?.[qualifier];
      return noContent();
    });
  },

  ListVersionsByFunction(call) {
    const problems = new ValidationProblems();
    const maxItems = readMaxItems(call.query, problems, MAX_ITEMS_LIMIT, PAGE_LIMIT);
    const invalid = problems.reply();
    if (invalid !== undefined) {
      return refuse(invalid);
    }
    const located = locateFunction(call, {
      functionName: call.labels.FunctionName ?? "",
      qualifier: undefined,
      iamAction: "lambda:ListVersionsByFunction",
      unqualifiedOnly: true,
    });
    if (!located.ok) {
      return located;
    }
    const { target, resolved } = located.value;
    const { fn } = resolved;
    const versions = ["$LATEST", ...(fn.versions ?? [])].sort(
      (a, b) => versionRank(a) - versionRank(b),
    );
    const page = paginate(
      versions,
      {
        scope: `ListVersionsByFunction:${target.functionArn}`,
        marker: call.query.get("Marker") ?? undefined,
        maxItems,
        pageLimit: PAGE_LIMIT,
        keyOf: (version) => version,
      },
      call.markers,
    );
    if (!page.ok) {
      return page;
    }
    const { items, nextMarker } = page.value;
    return serve(() =>
      jsonReply({
        Versions: items.map((version) =>
          describeFunction(
            { fn, version },
            {
              functionArn: `${target.functionArn}:${version}`,
              world: call.world,
              now: call.now,
              operation: "ListVersionsByFunction",
            },
          ),
        ),
        ...(nextMarker === undefined ? {} : { NextMarker: nextMarker }),
      }),
    );
  },

  ListAliases(call) {
    const problems = new ValidationProblems();
    const maxItems = readMaxItems(call.query, problems, MAX_ITEMS_LIMIT, PAGE_LIMIT);
    const functionVersion = call.query.get("FunctionVersion") ?? undefined;
    if (functionVersion !== undefined && !/^(\$LATEST|[0-9]+)$/.test(functionVersion)) {
      problems.add(
        functionVersion,
        "functionVersion",
        "Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)",
      );
    }
    const invalid = problems.reply();
    if (invalid !== undefined) {
      return refuse(invalid);
    }
    const located = locateFunction(call, {
      functionName: call.labels.FunctionName ?? "",
      qualifier: undefined,
      iamAction: "lambda:ListAliases",
      unqualifiedOnly: true,
    });
    if (!located.ok) {
      return located;
    }
    const { target, resolved } = located.value;
    const { fn } = resolved;
    const names = Object.entries(fn.aliases ?? {})
      .filter(([, version]) => functionVersion === undefined || version === functionVersion)
      .map(([name]) => name)
      .sort();
    const page = paginate(
      names,
      {
        scope: `ListAliases:${target.functionArn}:${functionVersion ?? ""}`,
        marker: call.query.get("Marker") ?? undefined,
        maxItems,
        pageLimit: PAGE_LIMIT,
        keyOf: (name) => name,
      },
      call.markers,
    );
    if (!page.ok) {
      return page;
    }
    const { items, nextMarker } = page.value;
    return serve(() =>
      jsonReply({
        Aliases: items.map((name) => describeAlias(fn, name, target.functionArn)),
        ...(nextMarker === undefined ? {} : { NextMarker: nextMarker }),
      }),
    );
  },
} satisfies OperationTable;
