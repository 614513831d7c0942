import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import {
  type FunctionConfiguration,
  GetAccountSettingsCommand,
  type GetAccountSettingsCommandOutput,
  InvokeCommand,
  LambdaClient,
  LambdaServiceException,
  ListFunctionsCommand,
  type ListFunctionsCommandOutput,
  ResourceNotFoundException,
} from "@aws-sdk/client-lambda";
import {
  GetCallerIdentityCommand,
  type GetCallerIdentityCommandOutput,
  STSClient,
} from "@aws-sdk/client-sts";
import { AssumeRoleCommand, STSClient as RoleSTSClient } from "@aws-sdk/nested-clients/sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import { type AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { createProxy } from "proxy";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { pageMembers } from "../../../src/actions/pagination.js";
import type { AwsCall } from "../../../src/aws/call.js";
import { Executor, PAGINATION_DEADLINE_MS, type Pagination } from "../../../src/aws/executor.js";
import { CONTROL_PLANE_TIMEOUT_MS } from "../../../src/aws/httpHandler.js";
import { ConnectorError } from "../../../src/errors.js";
import {
  ACCESS_KEY_ID,
  ACCOUNT_ID,
  assumeRoleResponse,
  FUNCTION_ARN,
  FUNCTION_NAME,
  jsonInvokeResponse,
  keysAsset,
  type LocalServer,
  manualClock,
  PROXY_PASSWORD,
  proxyAsset,
  REGION,
  REQUEST_ID,
  ROLE_ARN,
  rejectedConnectorError,
  roleAsset,
  SECRET_ACCESS_KEY,
  SESSION_TOKEN,
  startLocalServer,
  temporaryKeysAsset,
  validAsset,
  withoutProxyEnvironment,
} from "../../fixtures.js";

const accountSettings: AwsCall = {
  service: "lambda",
  operation: "GetAccountSettings",
  iamAction: "lambda:GetAccountSettings",
  resource: "*",
  retry: "idempotent",
};

const putConcurrency: AwsCall = {
  service: "lambda",
  operation: "PutFunctionConcurrency",
  iamAction: "lambda:PutFunctionConcurrency",
  resource: FUNCTION_ARN,
  target: `function ${FUNCTION_NAME}`,
  retry: "idempotent",
  inputs: ["function_name", "reserved_concurrent_executions"],
};

const callerIdentity: AwsCall = {
  service: "sts",
  operation: "GetCallerIdentity",
  iamAction: "sts:GetCallerIdentity",
  resource: "*",
  retry: "idempotent",
};

const invoke = (retry: "at-most-once" | "at-least-once"): AwsCall => ({
  service: "lambda",
  operation: "Invoke",
  iamAction: "lambda:InvokeFunction",
  resource: FUNCTION_ARN,
  target: `function ${FUNCTION_NAME}`,
  retry,
});

const listFunctions: AwsCall = {
  service: "lambda",
  operation: "ListFunctions",
  iamAction: "lambda:ListFunctions",
  resource: "*",
  retry: "idempotent",
};

type Signer = () => Promise<AwsCredentialIdentity>;

const okAnswer = (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(200, { "content-type": "application/json", "x-amzn-requestid": REQUEST_ID });
  res.end("{}");
};

describe("Executor", () => {
  const executors: Executor[] = [];
  const executorFor = (raw: Record<string, unknown>, now?: () => number) => {
    const executor = new Executor(validAsset(raw), now === undefined ? {} : { now });
    executors.push(executor);
    return executor;
  };

  beforeEach(() => {
    withoutProxyEnvironment();
  });

  afterEach(() => {
    for (const executor of executors.splice(0)) {
      executor.destroy();
    }
    vi.unstubAllEnvs();
  });

  describe("with AWS mocked", () => {
    let lambdaMock: AwsClientStub<LambdaClient>;
    let stsMock: AwsClientStub<STSClient>;
    // fromTemporaryCredentials assumes the role with the STS client of @aws-sdk/nested-clients.
    let roleStsMock: AwsClientStub<RoleSTSClient>;

    beforeAll(() => {
      lambdaMock = mockClient(LambdaClient);
      stsMock = mockClient(STSClient);
      roleStsMock = mockClient(RoleSTSClient);
    });

    afterAll(() => {
      lambdaMock.restore();
      stsMock.restore();
      roleStsMock.restore();
    });

    beforeEach(() => {
      lambdaMock.reset();
      stsMock.reset();
      roleStsMock.reset();
    });

    describe("send", () => {
      it("gives AWS's answer, sending a Lambda spec to Lambda and an STS spec to STS", async () => {
        // Prepare
        lambdaMock.on(GetAccountSettingsCommand).resolves({
          AccountUsage: { FunctionCount: 7 },
          $metadata: { httpStatusCode: 200, requestId: REQUEST_ID },
        });
        stsMock.on(GetCallerIdentityCommand).resolves({
          Account: ACCOUNT_ID,
          $metadata: { httpStatusCode: 200 },
        });
        const executor = executorFor(keysAsset);

        // Act
        const settings = await executor.send<GetAccountSettingsCommandOutput>(
          accountSettings,
          new GetAccountSettingsCommand({}),
        );
        const identity = await executor.send<GetCallerIdentityCommandOutput>(
          callerIdentity,
          new GetCallerIdentityCommand({}),
        );

        // Assess
        expect(settings.AccountUsage?.FunctionCount).toBe(7);
        expect(identity.Account).toBe(ACCOUNT_ID);
        expect(lambdaMock).toHaveReceivedCommandTimes(GetAccountSettingsCommand, 1);
        expect(stsMock).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 1);
      });

      it.each([
        [accountSettings, "*"],
        [putConcurrency, FUNCTION_ARN],
      ])(
        "wraps an AccessDeniedException naming $iamAction on the spec's resource",
        async (spec, resource) => {
          // Prepare
          lambdaMock.onAnyCommand().rejects(
            new LambdaServiceException({
              name: "AccessDeniedException",
              $fault: "client",
              message: "Access denied",
              $metadata: { httpStatusCode: 403, requestId: REQUEST_ID },
            }),
          );
          const executor = executorFor(keysAsset);

          // Act
          const error = await rejectedConnectorError(
            executor.send(spec, new GetAccountSettingsCommand({})),
          );

          // Assess
          expect(error.code).toBe("access_denied");
          expect(error.message).toBe(
            `the caller may not call ${spec.iamAction} on ${resource}: Access denied`,
          );
          expect(error.hint).toContain(`Grant ${spec.iamAction} on exactly ${resource}`);
          expect(error.toErrorLine()).toMatchObject({ http_status: 403, request_id: REQUEST_ID });
        },
      );

      it("wraps a not-found with the spec's target, inputs and hints", async () => {
        lambdaMock.onAnyCommand().rejects(
          new ResourceNotFoundException({
            message: "Function not found",
            $metadata: { httpStatusCode: 404, requestId: REQUEST_ID },
          }),
        );
        const executor = executorFor(keysAsset);
        const hints = { ResourceNotFoundException: "List the functions with list_functions." };

        const plain = await rejectedConnectorError(
          executor.send(putConcurrency, new GetAccountSettingsCommand({})),
        );
        const hinted = await rejectedConnectorError(
          executor.send({ ...putConcurrency, hints }, new GetAccountSettingsCommand({})),
        );

        expect(plain.message).toContain(
          `Function ${FUNCTION_NAME} was not found in region ${REGION}`,
        );
        expect(plain.hint).toContain("Check function_name and reserved_concurrent_executions");
        expect(hinted.hint).toBe(hints.ResourceNotFoundException);
      });
    });

    describe("paginate", () => {
      const names = Array.from({ length: 120 }, (_, i) => `fn-${String(i).padStart(3, "0")}`);
      const configuration = (name: string): FunctionConfiguration => ({
        FunctionName: name,
        FunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${name}`,
      });

      /** A ListFunctions that pages by Marker = index and honours MaxItems (at most 50). */
      function serve(count = names.length, lastMarker?: string): void {
        lambdaMock
          .on(ListFunctionsCommand)
          .callsFake((input: { Marker?: string; MaxItems?: number }) => {
            const start = Number(input.Marker ?? 0);
            const end = Math.min(count, start + Math.min(input.MaxItems ?? 50, 50));
            const next = end < count ? String(end) : lastMarker;
            return {
              Functions: names.slice(start, end).map(configuration),
              ...(next === undefined ? {} : { NextMarker: next }),
              $metadata: { httpStatusCode: 200 },
            };
          });
      }

      const pagesAsked = () =>
        lambdaMock
          .commandCalls(ListFunctionsCommand)
          .map((call) => (call.args[0].input as { MaxItems?: number }).MaxItems);

      const walk = (
        options: Partial<Pagination<ListFunctionsCommandOutput, string>> & { maxItems: number },
        now?: () => number,
      ) =>
        executorFor(keysAsset, now).paginate<ListFunctionsCommandOutput, string>(listFunctions, {
          command: (page) => new ListFunctionsCommand(pageMembers(page)),
          items: (response) => (response.Functions ?? []).map((f) => f.FunctionName ?? ""),
          nextMarker: (response) => response.NextMarker,
          ...options,
        });

      it("collects every page and says the list is complete", async () => {
        // Prepare
        serve();

        // Act
        const page = await walk({ maxItems: 1000 });

        // Assess
        expect(page).toEqual({ items: names, truncated: false, next_marker: null });
        expect(pagesAsked()).toEqual([50, 50, 50]);
      });

      it("stops at maxItems without asking for more than it still wants", async () => {
        serve();

        const page = await walk({ maxItems: 70 });

        expect(page).toEqual({ items: names.slice(0, 70), truncated: true, next_marker: "70" });
        expect(pagesAsked()).toEqual([50, 20]);
      });

      it("resumes exactly after the last item returned", async () => {
        serve();

        const first = await walk({ maxItems: 70 });
        const rest = await walk({ maxItems: 1000, marker: first.next_marker ?? undefined });

        expect([...first.items, ...rest.items]).toEqual(names);
        expect(lambdaMock.commandCalls(ListFunctionsCommand)[2]?.args[0].input).toMatchObject({
          Marker: "70",
        });
        expect(rest).toMatchObject({ truncated: false, next_marker: null });
      });

      it("asks pages of at most pageSize", async () => {
        serve();

        await walk({ maxItems: 25, pageSize: 10 });

        expect(pagesAsked()).toEqual([10, 10, 5]);
      });

      it("counts only kept items, and asks each page for no more than are still wanted", async () => {
        // Prepare
        serve();
        const everyThird = (name: string) => Number(name.slice(3)) % 3 === 0;

        // Act
        const page = await walk({ maxItems: 10, keep: everyThird });

        // Assess
        expect(page.items).toEqual(names.filter(everyThird).slice(0, 10));
        expect(page).toMatchObject({ truncated: true, next_marker: "28" });
        expect(pagesAsked()).toEqual([10, 6, 4, 3, 2, 1, 1, 1]);
      });

      /** A ListFunctions that answers each page with `answer(call number)`. */
      function serveEndless(
        answer: (call: number) => { Functions: FunctionConfiguration[]; NextMarker?: string },
      ): void {
        let calls = 0;
        lambdaMock.on(ListFunctionsCommand).callsFake(() => {
          calls += 1;
          return { ...answer(calls), $metadata: { httpStatusCode: 200 } };
        });
      }

      it.each([
        ["the marker it was just sent", undefined, 2],
        ["the marker the walk resumed from", "start", 1],
      ])(
        "stops with endpoint_error when the endpoint repeats %s",
        async (_label, marker, calls) => {
          // Prepare
          serveEndless(() => ({ Functions: [configuration("fn-a")], NextMarker: "start" }));

          // Act
          const failure = await walk({ maxItems: 1000, marker }).catch((error: unknown) => error);

          // Assess
          expect(failure).toBeInstanceOf(ConnectorError);
          expect((failure as ConnectorError).code).toBe("endpoint_error");
          expect((failure as ConnectorError).message).toContain('the marker "start" a second time');
          expect(lambdaMock.commandCalls(ListFunctionsCommand)).toHaveLength(calls);
        },
      );

      it("stops at an empty page that keeps a marker, truncated, with that marker", async () => {
        serveEndless((call) => ({ Functions: [], NextMarker: `m-${call}` }));

        const page = await walk({ maxItems: 1000 });

        expect(page).toEqual({ items: [], truncated: true, next_marker: "m-1" });
        expect(lambdaMock.commandCalls(ListFunctionsCommand)).toHaveLength(1);
      });

      it("returns at most maxItems, truncated, when a page holds more than asked", async () => {
        serveEndless(() => ({ Functions: names.slice(0, 3).map(configuration) }));

        const page = await walk({ maxItems: 1 });

        expect(page).toEqual({ items: [names[0]], truncated: true, next_marker: null });
      });

      it("stops after the walk's deadline by the executor's clock, with the marker to resume", async () => {
        // Prepare: every page is full of items the filter drops, and has a new marker;
        // each page takes 10 s by the injected clock.
        const clock = manualClock();
        serveEndless((call) => {
          clock.advance(10_000);
          return { Functions: [configuration("other")], NextMarker: `m-${call}` };
        });

        // Act
        const page = await walk({ keep: (name) => name !== "other", maxItems: 10 }, clock.now);

        // Assess
        const pages = PAGINATION_DEADLINE_MS / 10_000;
        expect(lambdaMock.commandCalls(ListFunctionsCommand)).toHaveLength(pages);
        expect(page).toEqual({ items: [], truncated: true, next_marker: `m-${pages}` });
      });

      it.each([
        ["no marker", undefined],
        ["an empty marker", ""],
      ])(
        "takes %s after the last page as the end, even at exactly maxItems",
        async (_label, lastMarker) => {
          serve(50, lastMarker);

          const page = await walk({ maxItems: 50 });

          expect(page).toMatchObject({ truncated: false, next_marker: null });
          expect(page.items).toHaveLength(50);
        },
      );

      it("wraps a failing page like any call", async () => {
        lambdaMock
          .on(ListFunctionsCommand)
          .resolvesOnce({ Functions: [configuration("fn-000")], NextMarker: "1", $metadata: {} })
          .rejectsOnce(
            new LambdaServiceException({
              name: "ThrottlingException",
              $fault: "client",
              message: "Rate exceeded",
              $metadata: { httpStatusCode: 429, requestId: REQUEST_ID },
            }),
          );

        const error = await rejectedConnectorError(walk({ maxItems: 10 }));

        expect(error.code).toBe("throttled");
        expect(error.hint).toContain("lambda:ListFunctions");
      });
    });

    describe("role credentials", () => {
      /** Makes a mocked call sign as its client would: record the key its credentials give. */
      const signedBy =
        <Answer>(seen: string[], answer: Answer) =>
        async (_input: unknown, getClient: () => { config: { credentials: Signer } }) => {
          seen.push((await getClient().config.credentials()).accessKeyId);
          return answer;
        };

      it("assumes the role once for a run that calls STS and Lambda under several retry policies", async () => {
        // Prepare
        const clock = manualClock(Date.now());
        const seen: string[] = [];
        roleStsMock
          .on(AssumeRoleCommand)
          .resolves(assumeRoleResponse(clock.now() + 3_600_000, "ASIAROLECREDENTIALS1"));
        stsMock.on(GetCallerIdentityCommand).callsFake(signedBy(seen, { $metadata: {} }));
        lambdaMock.on(GetAccountSettingsCommand).callsFake(signedBy(seen, { $metadata: {} }));
        lambdaMock.on(InvokeCommand).callsFake(signedBy(seen, jsonInvokeResponse({ ok: true })));
        const executor = executorFor(roleAsset, clock.now);

        // Act
        await executor.send(callerIdentity, new GetCallerIdentityCommand({}));
        await executor.send(accountSettings, new GetAccountSettingsCommand({}));
        await executor.send(
          invoke("at-most-once"),
          new InvokeCommand({ FunctionName: FUNCTION_NAME }),
        );
        await executor.send(
          invoke("at-least-once"),
          new InvokeCommand({ FunctionName: FUNCTION_NAME }),
        );

        // Assess
        expect(seen).toEqual(Array(4).fill("ASIAROLECREDENTIALS1"));
        expect(executor.assumeRoleCalls).toBe(1);
        expect(roleStsMock).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
        expect(executor.roleAssumed).toBe(true);
      });

      it("signs a spec with signAs 'asset' with the asset's own keys, even with a role", async () => {
        const seen: string[] = [];
        stsMock.on(GetCallerIdentityCommand).callsFake(signedBy(seen, { $metadata: {} }));
        const executor = executorFor(roleAsset);

        await executor.send(
          { ...callerIdentity, signAs: "asset" },
          new GetCallerIdentityCommand({}),
        );

        expect(seen).toEqual([ACCESS_KEY_ID]);
        expect(executor.assumeRoleCalls).toBe(0);
        expect(roleStsMock).not.toHaveReceivedAnyCommand();
      });

      it("signs with the asset's keys, and assumes nothing, without a role", async () => {
        const seen: string[] = [];
        lambdaMock.on(GetAccountSettingsCommand).callsFake(signedBy(seen, { $metadata: {} }));
        const executor = executorFor(keysAsset);

        await executor.send(accountSettings, new GetAccountSettingsCommand({}));

        expect(seen).toEqual([ACCESS_KEY_ID]);
        expect(executor.assumeRoleCalls).toBe(0);
        expect(executor.roleAssumed).toBe(false);
        expect(roleStsMock).not.toHaveReceivedAnyCommand();
      });

      it("reports a refused AssumeRole as assume_role_failed, naming the caller and role", async () => {
        const caller = "arn:aws:iam::123456789012:user/turbine-svc";
        roleStsMock
          .on(AssumeRoleCommand)
          .rejects(
            Object.assign(
              new Error(
                `User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${ROLE_ARN}`,
              ),
              { name: "AccessDenied", $metadata: { httpStatusCode: 403, requestId: "sts-req-1" } },
            ),
          );
        lambdaMock.on(GetAccountSettingsCommand).callsFake(signedBy([], { $metadata: {} }));
        const executor = executorFor(roleAsset);

        const error = await rejectedConnectorError(
          executor.send(accountSettings, new GetAccountSettingsCommand({})),
        );

        expect(error.code).toBe("assume_role_failed");
        expect(error.message).toContain(`${caller} may not assume role ${ROLE_ARN}`);
        expect(error.requestId).toBe("sts-req-1");
      });
    });
  });

  describe("context", () => {
    it("describes the default endpoints, the key in use and the spec", () => {
      const executor = executorFor(roleAsset);

      const context = executor.context(accountSettings);

      expect(context).toEqual({
        service: "lambda",
        operation: "GetAccountSettings",
        iamAction: "lambda:GetAccountSettings",
        resource: "*",
        target: undefined,
        inputs: [],
        hints: {},
        qualifier: undefined,
        region: REGION,
        accessKeyId: ACCESS_KEY_ID,
        credentialKind: "keys",
        roleArn: ROLE_ARN,
        signer: "role",
        proxy: undefined,
        endpoint: undefined,
        timeoutMs: CONTROL_PLANE_TIMEOUT_MS,
      });
    });

    it.each([
      ["long-term keys", keysAsset, "keys"],
      ["temporary keys", temporaryKeysAsset, "temporary-keys"],
      ["no keys", { region_name: REGION }, "chain"],
      ["no keys and a role", { region_name: REGION, role_arn: ROLE_ARN }, "chain"],
    ] as const)("tells %s apart as %s", (_label, raw, kind) => {
      expect(executorFor(raw).context(accountSettings).credentialKind).toBe(kind);
    });

    it("names each service's custom endpoint", () => {
      const executor = executorFor({
        ...keysAsset,
        endpoint_url: "http://127.0.0.1:4566",
        sts_endpoint_url: "https://sts-fips.us-east-1.amazonaws.com",
      });

      expect(executor.context(accountSettings).endpoint).toBe("http://127.0.0.1:4566");
      expect(executor.context(callerIdentity).endpoint).toBe(
        "https://sts-fips.us-east-1.amazonaws.com",
      );
    });

    it("names the proxy with its password masked and holds no secret", () => {
      const executor = executorFor({
        ...proxyAsset,
        ...temporaryKeysAsset,
        role_arn: ROLE_ARN,
        external_id: "swimlane-tenant-7f3a9c",
      });

      const context = executor.context(putConcurrency);

      expect(context.proxy).toBe("http://turbine:***@proxy.example.com:3128");
      for (const secret of [
        PROXY_PASSWORD,
        SECRET_ACCESS_KEY,
        SESSION_TOKEN,
        "swimlane-tenant-7f3a9c",
      ]) {
        expect(JSON.stringify(context)).not.toContain(secret);
      }
    });

    it("names a proxy from the environment, masked", () => {
      vi.stubEnv("HTTPS_PROXY", `http://envuser:${PROXY_PASSWORD}@env-proxy.example.com:8080`);

      const context = executorFor(keysAsset).context(accountSettings);

      expect(context.proxy).toBe("http://envuser:***@env-proxy.example.com:8080");
    });
  });

  describe("over real HTTP", () => {
    let server: LocalServer | undefined;
    let proxy: Server | undefined;

    afterEach(async () => {
      vi.useRealTimers();
      await server?.close();
      server = undefined;
      proxy?.closeAllConnections();
      proxy?.close();
      proxy = undefined;
    });

    it("gives up on a call after the spec's timeoutMs", async () => {
      // Prepare
      server = await startLocalServer();
      const executor = executorFor({ ...keysAsset, endpoint_url: server.url });
      const started = Date.now();

      // Act
      const error = await rejectedConnectorError(
        executor.send(
          { ...accountSettings, retry: "at-most-once", timeoutMs: 200 },
          new GetAccountSettingsCommand({}),
        ),
      );

      // Assess
      expect(error.code).toBe("request_timeout");
      expect(error.message).toBe(
        "No answer from Lambda to GetAccountSettings within the 0.2 s request timeout.",
      );
      expect(Date.now() - started).toBeLessThan(CONTROL_PLANE_TIMEOUT_MS / 2);
    });

    it("gives up on an answer whose body stalls after the headers, at the same deadline", async () => {
      // Prepare
      server = await startLocalServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/json", "x-amzn-requestid": REQUEST_ID });
        res.write('{"AccountUsage":');
      });
      const executor = executorFor({ ...keysAsset, endpoint_url: server.url });

      // Act
      const error = await rejectedConnectorError(
        executor.send(
          { ...accountSettings, retry: "at-most-once", timeoutMs: 200 },
          new GetAccountSettingsCommand({}),
        ),
      );

      // Assess
      expect(error.code).toBe("request_timeout");
    });

    it("refuses a success from a custom endpoint that carries no AWS request ID", async () => {
      server = await startLocalServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end("{}");
      });
      const executor = executorFor({ ...keysAsset, endpoint_url: server.url });

      const error = await rejectedConnectorError(
        executor.send(accountSettings, new GetAccountSettingsCommand({})),
      );

      expect(error.code).toBe("endpoint_error");
      expect(error.message).toBe(
        `${server.url} answered GetAccountSettings with HTTP 200 but without an AWS request ID: it is not AWS Lambda, so its answer was not used.`,
      );
      expect(error.toErrorLine()).toMatchObject({ http_status: 200 });
    });

    it("gives a call without timeoutMs 30 s, and not a moment less", async () => {
      // Prepare
      server = await startLocalServer();
      const executor = executorFor({ ...keysAsset, endpoint_url: server.url });
      vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
      let settled = false;
      const outcome = rejectedConnectorError(
        executor.send(
          { ...accountSettings, retry: "at-most-once" },
          new GetAccountSettingsCommand({}),
        ),
      ).finally(() => {
        settled = true;
      });
      await once(server.server, "request");

      // Act
      await vi.advanceTimersByTimeAsync(CONTROL_PLANE_TIMEOUT_MS - 1);
      const settledBefore = settled;
      await vi.advanceTimersByTimeAsync(1);

      // Assess
      expect(settledBefore).toBe(false);
      expect((await outcome).code).toBe("request_timeout");
    });

    it("keeps to the asset's endpoint whatever AWS_ENDPOINT_URL_LAMBDA and AWS_USE_FIPS_ENDPOINT say", async () => {
      server = await startLocalServer(okAnswer);
      vi.stubEnv("AWS_ENDPOINT_URL_LAMBDA", "http://127.0.0.1:9");
      vi.stubEnv("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
      vi.stubEnv("AWS_USE_FIPS_ENDPOINT", "true");
      const executor = executorFor({ ...keysAsset, endpoint_url: server.url });

      const answer = await executor.send(accountSettings, new GetAccountSettingsCommand({}));

      expect(answer.$metadata.requestId).toBe(REQUEST_ID);
    });

    it("destroy closes the connections it keeps open through a proxy", async () => {
      // Prepare
      const tlsDir = resolve(import.meta.dirname, "..", "..", "fixtures", "tls");
      server = await startLocalServer(okAnswer, {
        cert: readFileSync(join(tlsDir, "localhost.crt"), "utf8"),
        key: readFileSync(join(tlsDir, "localhost.key"), "utf8"),
      });
      const tunnelling = createProxy(createServer());
      proxy = tunnelling;
      tunnelling.listen(0, "127.0.0.1");
      await once(tunnelling, "listening");
      const proxyUrl = `http://127.0.0.1:${(tunnelling.address() as AddressInfo).port}`;
      const tunnels: Array<Promise<unknown>> = [];
      tunnelling.on("connection", (socket) => {
        tunnels.push(once(socket, "close", { signal: AbortSignal.timeout(5_000) }));
      });
      const executor = new Executor(
        validAsset({
          ...keysAsset,
          endpoint_url: server.url,
          http_proxy: proxyUrl,
          verify_ssl: false,
        }),
      );
      await executor.send(accountSettings, new GetAccountSettingsCommand({}));
      await executor.send(accountSettings, new GetAccountSettingsCommand({}));

      // Act
      executor.destroy();

      // Assess
      expect(tunnels).toHaveLength(1);
      await expect(Promise.all(tunnels)).resolves.toBeDefined();
    });
  });
});
