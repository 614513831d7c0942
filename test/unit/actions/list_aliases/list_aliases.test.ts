import {
  type AliasConfiguration,
  LambdaClient,
  ListAliasesCommand,
  type ListAliasesCommandInput,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { listAliasesAction } from "../../../../src/actions/list_aliases/list_aliases.js";
import { FUNCTION_ARN, FUNCTION_NAME, listPage, useActionRun } from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

function alias(name: string, version: string, extra: Partial<AliasConfiguration> = {}) {
  return {
    Name: name,
    AliasArn: `${FUNCTION_ARN}:${name}`,
    FunctionVersion: version,
    Description: "",
    RevisionId: `rev-${name}`,
    ...extra,
  };
}

/** A fake ListAliases over `all`, paging by Marker = index, filtering by FunctionVersion. */
function serve(all: AliasConfiguration[]): void {
  lambdaMock.on(ListAliasesCommand).callsFake((input: ListAliasesCommandInput) => {
    const matching = all.filter(
      (a) => input.FunctionVersion === undefined || a.FunctionVersion === input.FunctionVersion,
    );
    return listPage("Aliases", matching, input);
  });
}

describe("list_aliases", () => {
  const { run } = useActionRun(listAliasesAction, { mock: lambdaMock });

  it("lists the aliases with the version each points to and any shifted traffic", async () => {
    // Prepare
    serve([
      alias("live", "3", {
        Description: "production traffic",
        RoutingConfig: { AdditionalVersionWeights: { "4": 0.1 } },
      }),
      alias("staging", "4"),
    ]);

    // Act
    const output = await run({ function_name: FUNCTION_NAME });

    // Assess
    expect(lambdaMock).toReceiveCommandExactlyOnceWith(ListAliasesCommand, {
      FunctionName: FUNCTION_NAME,
      MaxItems: 50,
    });
    expect(output).toEqual({
      function_name: FUNCTION_NAME,
      aliases: [
        {
          name: "live",
          arn: `${FUNCTION_ARN}:live`,
          function_version: "3",
          description: "production traffic",
          routing_weights: { "4": 0.1 },
          revision_id: "rev-live",
        },
        {
          name: "staging",
          arn: `${FUNCTION_ARN}:staging`,
          function_version: "4",
          description: null,
          routing_weights: {},
          revision_id: "rev-staging",
        },
      ],
      count: 2,
      truncated: false,
      next_marker: null,
    });
  });

  it("asks AWS for the aliases of function_version only", async () => {
    serve([alias("live", "3"), alias("staging", "4")]);

    const output = await run({ function_name: FUNCTION_NAME, function_version: "4" });

    expect(lambdaMock).toReceiveCommandWith(ListAliasesCommand, { FunctionVersion: "4" });
    expect(output.aliases.map((a) => a.name)).toEqual(["staging"]);
  });

  it("stops at max_items and says more exist", async () => {
    serve(Array.from({ length: 5 }, (_, i) => alias(`canary-${i}`, "2")));

    const output = await run({ function_name: FUNCTION_NAME, max_items: 3 });

    expect(output).toMatchObject({ count: 3, truncated: true, next_marker: "3" });
    expect(lambdaMock).toReceiveCommandExactlyOnceWith(ListAliasesCommand, { MaxItems: 3 });
  });
});
