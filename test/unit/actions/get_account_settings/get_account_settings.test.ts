import { GetAccountSettingsCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { getAccountSettingsAction } from "../../../../src/actions/get_account_settings/get_account_settings.js";
import { REQUEST_ID, useActionRun } from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

describe("get_account_settings", () => {
  const { run } = useActionRun(getAccountSettingsAction, {
    mock: lambdaMock,
    executorOptions: () => ({}),
  });

  it("maps the account's limits and usage to snake_case", async () => {
    // Prepare
    lambdaMock.on(GetAccountSettingsCommand).resolves({
      AccountLimit: {
        TotalCodeSize: 80_530_636_800,
        CodeSizeUnzipped: 262_144_000,
        CodeSizeZipped: 52_428_800,
        ConcurrentExecutions: 1000,
        UnreservedConcurrentExecutions: 900,
      },
      AccountUsage: { TotalCodeSize: 1_048_576, FunctionCount: 7 },
      $metadata: { httpStatusCode: 200, requestId: REQUEST_ID },
    });

    // Act
    const output = await run({});

    // Assess
    expect(output).toEqual({
      account_limit: {
        total_code_size: 80_530_636_800,
        code_size_unzipped: 262_144_000,
        code_size_zipped: 52_428_800,
        concurrent_executions: 1000,
        unreserved_concurrent_executions: 900,
      },
      account_usage: { total_code_size: 1_048_576, function_count: 7 },
    });
    expect(getAccountSettingsAction.output.safeParse(output).success).toBe(true);
  });

  it("gives null for what AWS leaves out", async () => {
    lambdaMock.on(GetAccountSettingsCommand).resolves({ $metadata: {} });

    const output = await run({});

    expect(output.account_limit.concurrent_executions).toBeNull();
    expect(output.account_usage.function_count).toBeNull();
  });
});
