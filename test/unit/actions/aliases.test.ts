import {
  CreateAliasCommand,
  DeleteAliasCommand,
  GetAliasCommand,
  LambdaClient,
  UpdateAliasCommand,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { createAliasAction } from "../../../src/actions/create_alias/create_alias.js";
import { deleteAliasAction } from "../../../src/actions/delete_alias/delete_alias.js";
import { updateAliasAction } from "../../../src/actions/update_alias/update_alias.js";
import { FUNCTION_NAME, metadata, resourceNotFound, useActionRun } from "../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);
const LIVE = {
  Name: "live",
  AliasArn: `arn:aws:lambda:us-east-1:123456789012:function:${FUNCTION_NAME}:live`,
  FunctionVersion: "4",
  Description: "production",
  RoutingConfig: { AdditionalVersionWeights: { "3": 0.1 } },
  RevisionId: "a1",
  $metadata: metadata,
};
const alias = { function_name: FUNCTION_NAME, alias_name: "live" };

describe("update_alias", () => {
  const { run } = useActionRun(updateAliasAction, { mock: lambdaMock });

  it("rolls back, guarded by revision_id, and its undo restores version, weights and description", async () => {
    lambdaMock.on(GetAliasCommand).resolves(LIVE);
    lambdaMock.on(UpdateAliasCommand).resolves({
      ...LIVE,
      FunctionVersion: "3",
      RoutingConfig: { AdditionalVersionWeights: {} },
      RevisionId: "a2",
    });

    const output = await run({
      ...alias,
      function_version: "3",
      routing_weights: {},
      revision_id: "a1",
    });

    expect(lambdaMock.commandCalls(UpdateAliasCommand)[0]?.args[0].input).toEqual({
      FunctionName: FUNCTION_NAME,
      Name: "live",
      FunctionVersion: "3",
      RoutingConfig: { AdditionalVersionWeights: {} },
      RevisionId: "a1",
    });
    expect(output.undo).toEqual([
      {
        action: "update_alias",
        inputs: {
          ...alias,
          function_version: "4",
          routing_weights: { "3": 0.1 },
          description: "production",
        },
      },
    ]);
  });

  it("sends nothing when the alias already points where asked", async () => {
    lambdaMock.on(GetAliasCommand).resolves(LIVE);

    const output = await run({ ...alias, function_version: "4" });

    expect(output).toMatchObject({ changed: false, undo: [] });
    expect(lambdaMock.commandCalls(UpdateAliasCommand)).toHaveLength(0);
  });
});

describe("create_alias and delete_alias", () => {
  const create = useActionRun(createAliasAction, { mock: lambdaMock });
  const remove = useActionRun(deleteAliasAction, { mock: lambdaMock });

  it("create_alias of an alias that does not exist is undone by delete_alias", async () => {
    lambdaMock.on(GetAliasCommand).rejects(resourceNotFound());
    lambdaMock.on(CreateAliasCommand).resolves({ ...LIVE, RoutingConfig: undefined });

    const output = await create.run({ ...alias, function_version: "4" });

    expect(output).toMatchObject({
      changed: true,
      previous: { function_name: FUNCTION_NAME, alias: null },
      undo: [{ action: "delete_alias", inputs: alias }],
    });
  });

  it("delete_alias is undone by create_alias with everything the alias had", async () => {
    lambdaMock.on(GetAliasCommand).resolves(LIVE);
    lambdaMock.on(DeleteAliasCommand).resolves({ $metadata: metadata });

    const output = await remove.run(alias);

    expect(output.undo).toEqual([
      {
        action: "create_alias",
        inputs: {
          ...alias,
          function_version: "4",
          routing_weights: { "3": 0.1 },
          description: "production",
        },
      },
    ]);
  });

  it("delete_alias of an alias that is gone changes nothing and sends no deletion", async () => {
    lambdaMock.on(GetAliasCommand).rejects(resourceNotFound());

    const output = await remove.run(alias);

    expect(output).toMatchObject({ changed: false, undo: [], previous: { alias: null } });
    expect(lambdaMock.commandCalls(DeleteAliasCommand)).toHaveLength(0);
  });
});
