import { statSync } from "node:fs";
import {
  type FunctionConfiguration,
  GetAccountSettingsCommand,
  GetFunctionConfigurationCommand,
  type LambdaClient,
  ListFunctionsCommand,
  type ListFunctionsCommandInput,
  paginateListFunctions,
} from "@aws-sdk/client-lambda";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USER, defaultWorld, INTRUDER_USER } from "../../local-aws/defaultWorld.js";
import { type LocalAws, startLocalAws } from "../../local-aws/LocalAws.js";
import { numberedFunctions } from "../../local-aws/numberedFunctions.js";
import {
  ASSUME_DEMO_ROLE,
  INTRUDER_KEYS,
  lambdaClient,
  rejectionOf,
  stsClient,
} from "./fixtures.js";

const ACCOUNT = "123456789012";
const NUMBERED = 120;
/** The demo world's own functions in us-east-1, besides the numbered ones. */
const DEMO_EAST = defaultWorld().functions.filter((fn) => fn.region === "us-east-1").length;

/** The sizes of the pages of `total` items at most `size` a page. */
function pageSizes(total: number, size: number): number[] {
  return Array.from({ length: Math.ceil(total / size) }, (_, i) =>
    Math.min(size, total - i * size),
  );
}

/** Every page of a listing, following NextMarker until Lambda leaves it out. */
async function allPages(
  lambda: LambdaClient,
  input: ListFunctionsCommandInput = {},
): Promise<FunctionConfiguration[][]> {
  const pages: FunctionConfiguration[][] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(new ListFunctionsCommand({ ...input, Marker: marker }));
    pages.push(page.Functions ?? []);
    marker = page.NextMarker;
  } while (marker !== undefined && pages.length <= 100);
  return pages;
}

function namesOf(functions: FunctionConfiguration[]): string[] {
  return functions.map((fn) => fn.FunctionName ?? "");
}

describe("local AWS: Lambda GetAccountSettings and ListFunctions", () => {
  let aws: LocalAws;
  /** Every function of us-east-1, by name. */
  let eastNames: string[];

  beforeAll(async () => {
    const world = defaultWorld();
    world.functions.push(...numberedFunctions(NUMBERED));
    eastNames = world.functions
      .filter((fn) => fn.region === "us-east-1")
      .map((fn) => fn.name)
      .sort();
    aws = await startLocalAws({ world });
  });

  afterAll(async () => {
    await aws.close();
  });

  it("reports Lambda's default limits and the signed region's usage", async () => {
    // Prepare
    const regionalOnlySize = statSync(
      new URL("../../local-aws/functions/regional-only.js", import.meta.url),
    ).size;

    // Act
    const east = await lambdaClient(aws).send(new GetAccountSettingsCommand({}));
    const west = await lambdaClient(aws, { region: "us-west-2" }).send(
      new GetAccountSettingsCommand({}),
    );

    // Assess
    expect(east.AccountLimit).toEqual({
      TotalCodeSize: 80530636800,
      CodeSizeUnzipped: 262144000,
      CodeSizeZipped: 52428800,
      ConcurrentExecutions: 1000,
      UnreservedConcurrentExecutions: 1000,
    });
    expect(east.AccountUsage?.FunctionCount).toBe(eastNames.length);
    expect(east.AccountUsage?.TotalCodeSize).toBeGreaterThan(0);
    expect(west.AccountUsage).toEqual({ TotalCodeSize: regionalOnlySize, FunctionCount: 1 });
    expect(aws.requests.at(-1)).toMatchObject({ action: "GetAccountSettings", status: 200 });
  });

  it("pages through ListFunctions with MaxItems and Marker, listing each function once, by name", async () => {
    // Act
    const pages = await allPages(lambdaClient(aws), { MaxItems: 30 });

    // Assess
    expect(eastNames).toHaveLength(NUMBERED + DEMO_EAST);
    expect(pages.map((page) => page.length)).toEqual(pageSizes(NUMBERED + DEMO_EAST, 30));
    expect(namesOf(pages.flat())).toEqual(eastNames);
    expect(aws.requests.at(-1)).toMatchObject({ action: "ListFunctions", status: 200 });
  });

  it("returns at most 50 functions a page, whatever MaxItems asks for, as Lambda does", async () => {
    // Prepare
    const lambda = lambdaClient(aws);

    // Act
    const unbounded = await allPages(lambda, { MaxItems: 10000 });
    const byDefault = await lambda.send(new ListFunctionsCommand({}));
    const paginated: string[] = [];
    for await (const page of paginateListFunctions({ client: lambda }, {})) {
      paginated.push(...namesOf(page.Functions ?? []));
    }

    // Assess
    expect(unbounded.map((page) => page.length)).toEqual(pageSizes(NUMBERED + DEMO_EAST, 50));
    expect(byDefault.Functions).toHaveLength(50);
    expect(byDefault.NextMarker).toEqual(expect.any(String));
    expect(paginated).toEqual(eastNames);
  });

  it("describes a listed function as GetFunctionConfiguration does, without the state fields", async () => {
    // Act
    const { Functions = [] } = await lambdaClient(aws).send(new ListFunctionsCommand({}));
    const listed = Functions.find((fn) => fn.FunctionName === "enrich-indicator");
    const described = await lambdaClient(aws).send(
      new GetFunctionConfigurationCommand({ FunctionName: "enrich-indicator" }),
    );

    // Assess
    expect(listed).toEqual({
      FunctionName: "enrich-indicator",
      FunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:enrich-indicator`,
      Runtime: "nodejs20.x",
      Role: `arn:aws:iam::${ACCOUNT}:role/service-role/enrich-indicator-role`,
      Handler: "enrich-indicator.handler",
      CodeSize: expect.any(Number),
      CodeSha256: expect.any(String),
      Description: "",
      Timeout: 10,
      MemorySize: 128,
      LastModified: "2025-01-01T00:00:00.000+0000",
      Version: "$LATEST",
      Environment: { Variables: { FEED_NAME: "local-demo-feed" } },
      RevisionId: expect.any(String),
      PackageType: "Zip",
      Architectures: ["x86_64"],
    });
    expect(described).toMatchObject({ ...listed, State: "Active" });
  });

  it("lists $LATEST and every published version under qualified ARNs with FunctionVersion ALL", async () => {
    // Act
    const pages = await allPages(lambdaClient(aws), { FunctionVersion: "ALL" });

    // Assess
    const all = pages.flat();
    expect(all).toHaveLength(eastNames.length + 2);
    expect(
      all.filter((fn) => fn.FunctionName === "echo").map((fn) => [fn.Version, fn.FunctionArn]),
    ).toEqual([
      ["$LATEST", `arn:aws:lambda:us-east-1:${ACCOUNT}:function:echo:$LATEST`],
      ["1", `arn:aws:lambda:us-east-1:${ACCOUNT}:function:echo:1`],
      ["2", `arn:aws:lambda:us-east-1:${ACCOUNT}:function:echo:2`],
    ]);
  });

  it("lists only the functions of the region the request was signed for", async () => {
    // Act
    const west = await lambdaClient(aws, { region: "us-west-2" }).send(
      new ListFunctionsCommand({}),
    );

    // Assess
    expect(namesOf(west.Functions ?? [])).toEqual(["regional-only"]);
    expect(west.Functions?.[0]?.FunctionArn).toBe(
      `arn:aws:lambda:us-west-2:${ACCOUNT}:function:regional-only`,
    );
    expect(west.NextMarker).toBeUndefined();
  });

  it("refuses a marker it did not issue, an edited one, and one from another listing", async () => {
    // Prepare
    const east = lambdaClient(aws, { maxAttempts: 1 });
    const { NextMarker = "" } = await east.send(new ListFunctionsCommand({ MaxItems: 5 }));
    const edited = `${NextMarker.slice(0, -2)}${NextMarker.endsWith("AA") ? "BB" : "AA"}`;

    // Act
    const madeUp = await rejectionOf(east.send(new ListFunctionsCommand({ Marker: "fn-050" })));
    const tampered = await rejectionOf(east.send(new ListFunctionsCommand({ Marker: edited })));
    const otherRegion = await rejectionOf(
      lambdaClient(aws, { region: "us-west-2", maxAttempts: 1 }).send(
        new ListFunctionsCommand({ Marker: NextMarker }),
      ),
    );
    const otherVersions = await rejectionOf(
      east.send(new ListFunctionsCommand({ Marker: NextMarker, FunctionVersion: "ALL" })),
    );

    // Assess
    for (const error of [madeUp, tampered, otherRegion, otherVersions]) {
      expect(error).toMatchObject({
        name: "InvalidParameterValueException",
        $metadata: { httpStatusCode: 400 },
      });
    }
    expect(madeUp.message).toBe("Invalid marker: fn-050");
  });

  it("refuses MaxItems outside 1 to 10000 with the model's ValidationException", async () => {
    // Prepare
    const lambda = lambdaClient(aws, { maxAttempts: 1 });

    // Act
    const zero = await rejectionOf(lambda.send(new ListFunctionsCommand({ MaxItems: 0 })));
    const tooMany = await rejectionOf(lambda.send(new ListFunctionsCommand({ MaxItems: 10001 })));

    // Assess
    expect(zero).toMatchObject({
      name: "ValidationException",
      message:
        "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1",
      $metadata: { httpStatusCode: 400 },
    });
    expect(tooMany.message).toContain("Member must have value less than or equal to 10000");
  });

  it("denies both calls to a caller whose policy lacks them, in AWS's words", async () => {
    // Prepare
    const intruder = lambdaClient(aws, { credentials: INTRUDER_KEYS, maxAttempts: 1 });
    const deniedMessage = (action: string) =>
      `User: ${INTRUDER_USER.arn} is not authorized to perform: ${action} on resource: * because no identity-based policy allows the ${action} action`;

    // Act
    const settings = await rejectionOf(intruder.send(new GetAccountSettingsCommand({})));
    const listing = await rejectionOf(intruder.send(new ListFunctionsCommand({})));

    // Assess
    expect(settings).toMatchObject({
      name: "AccessDeniedException",
      message: deniedMessage("lambda:GetAccountSettings"),
      $metadata: { httpStatusCode: 403 },
    });
    expect(listing).toMatchObject({
      name: "AccessDeniedException",
      message: deniedMessage("lambda:ListFunctions"),
      $metadata: { httpStatusCode: 403 },
    });
    expect(aws.requests.at(-1)).toMatchObject({
      action: "ListFunctions",
      principalArn: INTRUDER_USER.arn,
      errorCode: "AccessDeniedException",
    });
  });

  it("denies a call once the user's policy no longer allows it", async () => {
    // Prepare
    const user = aws.world.users.find((candidate) => candidate.name === DEMO_USER.name);
    user?.policy.push({ effect: "Deny", actions: ["lambda:List*"], resources: ["*"] });

    // Act
    const denied = await rejectionOf(lambdaClient(aws).send(new ListFunctionsCommand({})));
    user?.policy.pop();
    const allowed = await lambdaClient(aws).send(new ListFunctionsCommand({ MaxItems: 1 }));

    // Assess
    expect(denied).toMatchObject({ name: "AccessDeniedException" });
    expect(allowed.Functions).toHaveLength(1);
  });

  it("lets the demo role's sessions call both", async () => {
    // Prepare
    const { Credentials } = await stsClient(aws).send(new AssumeRoleCommand(ASSUME_DEMO_ROLE));
    const session = lambdaClient(aws, {
      credentials: {
        accessKeyId: Credentials?.AccessKeyId ?? "",
        secretAccessKey: Credentials?.SecretAccessKey ?? "",
        sessionToken: Credentials?.SessionToken ?? "",
      },
    });

    // Act
    const settings = await session.send(new GetAccountSettingsCommand({}));
    const listing = await session.send(new ListFunctionsCommand({ MaxItems: 3 }));

    // Assess
    expect(settings.AccountUsage?.FunctionCount).toBe(eastNames.length);
    expect(namesOf(listing.Functions ?? [])).toEqual(eastNames.slice(0, 3));
  });
});
