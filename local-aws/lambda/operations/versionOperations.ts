import { jsonReply } from "../../http/jsonReply.js";
import { describeFunction, revisionIdOf } from "../describeFunction.js";
import { locateForUpdate, publishLatest, staleRevisionId } from "../functionChanges.js";
import { functionPackage } from "../functionPackage.js";
import { type OperationTable, refuse, serve } from "../LambdaCall.js";
import { lambdaError } from "../lambdaError.js";
import { MemberReader } from "../MemberReader.js";
import { readJsonBody } from "../readJsonBody.js";
import { ValidationProblems } from "../ValidationProblems.js";

/**
 * PublishVersion (`lambda:PublishVersion`, 201): freezes `$LATEST`'s code and
 * configuration as a new version, numbered after the highest ever published; when
 * `$LATEST` has not changed since the latest version, that version is returned and
 * nothing new is published. `CodeSha256` and `RevisionId` guard it: a package or
 * revision other than the one given is refused (400 and 412), as is a function whose
 * update is still in progress (409).
 */
export const versionOperations = {
  PublishVersion(call) {
    const json = readJsonBody(call.request.body);
    if (!json.ok) {
      return json;
    }
    const problems = new ValidationProblems();
    const body = new MemberReader(json.value, problems);
    const codeSha256 = body.string("CodeSha256");
    body.string("Description", { max: 256 });
    const revisionId = body.string("RevisionId");
    const invalid = problems.reply();
    if (invalid !== undefined) {
      return refuse(invalid);
    }
    const located = locateForUpdate(call, "lambda:PublishVersion");
    if (!located.ok) {
      return located;
    }
    const { target, resolved } = located.value;
    const { fn } = resolved;
    const stale = staleRevisionId(revisionIdOf(fn), revisionId);
    if (stale !== undefined) {
      return stale;
    }
    const current = functionPackage(fn).sha256;
    if (codeSha256 !== undefined && codeSha256 !== current) {
      return refuse(
        lambdaError(
          400,
          "InvalidParameterValueException",
          `CodeSHA256 (${codeSha256}) is different from current CodeSHA256 in $LATEST (${current}). Please try again with the CodeSHA256 in $LATEST.`,
        ),
      );
    }
    return serve(() => {
      const version = publishLatest(fn);
      return jsonReply(
        describeFunction(
          { fn, version },
          {
            functionArn: `${target.functionArn}:${version}`,
            world: call.world,
            now: call.now,
            operation: "PublishVersion",
          },
        ),
        201,
      );
    });
  },
} satisfies OperationTable;
