import { invokeFunctionAction } from "./actions/invoke_function/invoke_function.js";
import { ASSET_FIELD_NAMES, assetSchema } from "./asset/schema.js";
import { Executor } from "./aws/executor.js";
import { splitDocument } from "./turbine/contract.js";
import { parseInputText } from "./turbine/parseInputText.js";
import { parseDocument } from "./validation.js";

/**
 * Walks the start of a run without sending anything: parse and split a document,
 * validate the asset and an invoke's inputs, build the executor and its clients.
 * The code cache written after it holds those functions compiled, so a real run
 * starts without compiling them.
 *
 * @example
 * ```ts
 * warmUp();
 * const cache = script.createCachedData();
 * ```
 */
export function warmUp(): void {
  const document = parseInputText(
    JSON.stringify({
      access_key: "AKIAIOSFODNN7EXAMPLE",
      secret_key: "warm-up-secret-not-used-for-anything-0000",
      region_name: "us-east-1",
      role_arn: "arn:aws:iam::123456789012:role/WarmUp",
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
  parseDocument(invokeFunctionAction.inputs, split.inputs, "inputs");
  const executor = new Executor(asset, { env: {} });
  executor.destroy();
}
