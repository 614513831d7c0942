import {
  type FunctionConfiguration,
  LambdaClient,
  ListVersionsByFunctionCommand,
  type ListVersionsByFunctionCommandInput,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { listVersionsByFunctionAction } from "../../../../src/actions/list_versions_by_function/list_versions_by_function.js";
import {
  FUNCTION_ARN,
  FUNCTION_NAME,
  functionConfiguration,
  listPage,
  useActionRun,
} from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

/** $LATEST and published versions 1 to `published`. */
function versions(published: number): FunctionConfiguration[] {
  return [
    functionConfiguration({ CodeSha256: "sha-latest" }),
    ...Array.from({ length: published }, (_, i) =>
      functionConfiguration({
        Version: String(i + 1),
        FunctionArn: `${FUNCTION_ARN}:${i + 1}`,
        Description: i === 0 ? "first release" : "",
        CodeSha256: `sha-${i + 1}`,
      }),
    ),
  ];
}

/** A fake ListVersionsByFunction over `all`, paging by Marker = index, honouring MaxItems. */
function serve(all: FunctionConfiguration[]): void {
  lambdaMock
    .on(ListVersionsByFunctionCommand)
    .callsFake((input: ListVersionsByFunctionCommandInput) => listPage("Versions", all, input));
}

describe("list_versions_by_function", () => {
  const { run } = useActionRun(listVersionsByFunctionAction, { mock: lambdaMock });

  it("collects every page, $LATEST first, and says the list is complete", async () => {
    // Prepare
    serve(versions(60));

    // Act
    const output = await run({ function_name: FUNCTION_NAME });

    // Assess
    expect(
      lambdaMock.commandCalls(ListVersionsByFunctionCommand).map((c) => c.args[0].input),
    ).toEqual([
      { FunctionName: FUNCTION_NAME, MaxItems: 50 },
      { FunctionName: FUNCTION_NAME, MaxItems: 50, Marker: "50" },
    ]);
    expect(output).toMatchObject({
      function_name: FUNCTION_NAME,
      count: 61,
      truncated: false,
      next_marker: null,
    });
    expect(output.versions.slice(0, 2)).toEqual([
      {
        version: "$LATEST",
        arn: FUNCTION_ARN,
        description: null,
        runtime: "python3.12",
        last_modified: "2026-02-27T09:14:03.000Z",
        code_sha256: "sha-latest",
      },
      {
        version: "1",
        arn: `${FUNCTION_ARN}:1`,
        description: "first release",
        runtime: "python3.12",
        last_modified: "2026-02-27T09:14:03.000Z",
        code_sha256: "sha-1",
      },
    ]);
  });

  it("stops at max_items and gives the marker that resumes after the last version returned", async () => {
    serve(versions(9));

    const first = await run({ function_name: FUNCTION_NAME, max_items: 4 });
    const rest = await run({ function_name: FUNCTION_NAME, marker: first.next_marker });

    expect(first).toMatchObject({ count: 4, truncated: true, next_marker: "4" });
    expect(rest).toMatchObject({ count: 6, truncated: false, next_marker: null });
    expect([...first.versions, ...rest.versions].map((v) => v.version)).toEqual([
      "$LATEST",
      ...Array.from({ length: 9 }, (_, i) => String(i + 1)),
    ]);
  });
});
