import { Readable } from "node:stream";
import type { NodeHttpHandler } from "@smithy/node-http-handler";
import { invokeFunctionAction } from "./actions/invoke_function/invoke_function.js";
import { ASSET_FIELD_NAMES, assetSchema } from "./asset/schema.js";
import { Executor } from "./aws/executor.js";
import { splitDocument } from "./turbine/contract.js";
import { parseInputText } from "./turbine/parseInputText.js";
import { parseDocument } from "./validation.js";

/**
 * Walks a typical run without a network: parse and split a document, validate the
 * asset and an invoke's inputs, assume a role and invoke, with answers from a canned
 * transport. The code cache written after it holds the functions of that path
 * compiled (validation, signing, serialisation, parsing), so a real run starts
 * without compiling them.
 *
 * @example
 * ```ts
 * await warmUp();
 * const cache = script.createCachedData();
 * ```
 */
export async function warmUp(): Promise<void> {
  const document = parseInputText(
    JSON.stringify({
      access_key: "AKIAIOSFODNN7EXAMPLE",
      secret_key: "warm-up-secret-not-used-for-anything-0000",
      region_name: "us-east-1",
      role_arn: "arn:aws:iam::123456789012:role/WarmUp",
      endpoint_url: "http://warm-up.invalid",
      sts_endpoint_url: "http://warm-up.invalid",
      function_name: "warm-up",
      payload: { warm: true },
    }),
  );
  const split = splitDocument(document, {
    declaredAssetKeys: ASSET_FIELD_NAMES,
    assetKeysVariable: undefined,
  });
  if (typeof split === "string") {
    return;
  }
  const asset = parseDocument(assetSchema, split.asset, "asset");
  const inputs = parseDocument(invokeFunctionAction.inputs, split.inputs, "inputs");
  const executor = new Executor(asset, { env: {}, transport: cannedTransport() });
  try {
    await invokeFunctionAction.run(inputs, executor);
  } finally {
    executor.destroy();
  }
}

const EXPIRY = "2099-01-01T00:00:00Z";

/** Answers AssumeRole and Invoke as AWS would, without a network. */
function cannedTransport(): NodeHttpHandler {
  const answer = (headers: Record<string, string>, body: string) => ({
    response: {
      statusCode: 200,
      headers: { "x-amzn-requestid": "00000000-0000-4000-8000-000000000000", ...headers },
      body: Readable.from([Buffer.from(body)]),
    },
  });
  const transport = {
    metadata: { handlerProtocol: "http/1.1" },
    handle: async (request: { path: string }) =>
      request.path.includes("/functions/")
        ? answer(
            { "content-type": "application/json", "x-amz-executed-version": "$LATEST" },
            '{"warm":true}',
          )
        : answer(
            { "content-type": "text/xml" },
            `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAWARMUPWARMUPWARM</AccessKeyId><SecretAccessKey>warm-up</SecretAccessKey><SessionToken>warm-up</SessionToken><Expiration>${EXPIRY}</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/WarmUp/warm-up</Arn><AssumedRoleId>AROAWARMUP:warm-up</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>00000000-0000-4000-8000-000000000000</RequestId></ResponseMetadata></AssumeRoleResponse>`,
          ),
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
    destroy: () => undefined,
  };
  return transport as unknown as NodeHttpHandler;
}
