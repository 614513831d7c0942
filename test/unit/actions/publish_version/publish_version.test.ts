import {
  LambdaClient,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { publishVersionAction } from "../../../../src/actions/publish_version/publish_version.js";
import {
  accessDenied,
  FUNCTION_ARN,
  FUNCTION_NAME,
  metadata,
  useActionRun,
} from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);
const SHA256 = "HNpuUGpx22ff5mRO4KNFtXTqnnI+3d4axUxAdNM9GV4=";

describe("publish_version", () => {
  const { run } = useActionRun(publishVersionAction, { mock: lambdaMock });

  function versionsBefore(...versions: string[]) {
    lambdaMock.on(ListVersionsByFunctionCommand).resolves({
      Versions: ["$LATEST", ...versions].map((Version) => ({ Version })),
      $metadata: metadata,
    });
  }

  it("publishes with the guards, and its undo deletes exactly the new version", async () => {
    versionsBefore("1", "2");
    lambdaMock.on(PublishVersionCommand).resolves({
      FunctionName: FUNCTION_NAME,
      Version: "3",
      CodeSha256: SHA256,
      $metadata: metadata,
    });

    const output = await run({
      function_name: FUNCTION_NAME,
      code_sha256: SHA256,
      revision_id: "r1",
    });

    expect(lambdaMock.commandCalls(PublishVersionCommand)[0]?.args[0].input).toEqual({
      FunctionName: FUNCTION_NAME,
      CodeSha256: SHA256,
      RevisionId: "r1",
    });
    expect(output).toMatchObject({
      changed: true,
      function: { version: "3", code_sha256: SHA256 },
      previous: { published_versions: ["1", "2"] },
      undo: [
        {
          action: "delete_function",
          inputs: {
            function_name: FUNCTION_NAME,
            qualifier: "3",
            confirm_function_name: FUNCTION_NAME,
          },
        },
      ],
    });
  });

  it("says nothing changed when AWS returns a version that existed ($LATEST unchanged)", async () => {
    versionsBefore("1", "2");
    lambdaMock.on(PublishVersionCommand).resolves({ Version: "2", $metadata: metadata });

    const output = await run({ function_name: FUNCTION_NAME });

    expect(output).toMatchObject({ changed: false, undo: [] });
  });

  it("publishes when the versions cannot be read, and never offers to delete a version it cannot tell is new", async () => {
    lambdaMock
      .on(ListVersionsByFunctionCommand)
      .rejects(accessDenied("lambda:ListVersionsByFunction", FUNCTION_ARN));
    lambdaMock.on(PublishVersionCommand).resolves({ Version: "2", $metadata: metadata });

    const output = await run({ function_name: FUNCTION_NAME });

    expect(output).toMatchObject({
      changed: true,
      previous: null,
      undo: [],
      previous_state_known: false,
    });
  });
});
