import { Readable } from "node:stream";
import { streamCollector as sdkStreamCollector } from "@smithy/node-http-handler";
import { connectorUserAgent } from "./userAgent.js";

/**
 * What every SDK client the connector builds for the asset is told outright instead of
 * looking it up in AWS_* variables and ~/.aws/config (the executor's clients and the STS
 * client of the role's provider; the machine's credential chain keeps its own):
 *
 * - no FIPS or dual-stack endpoint, so AWS_USE_FIPS_ENDPOINT and friends cannot
 *   redirect calls behind the asset's back;
 * - the connector's name and version in every call's user agent, so CloudTrail shows
 *   which changes it made;
 * - no auth scheme preference (Lambda and STS sign with SigV4 alone), and the
 *   application id of the user agent from AWS_SDK_UA_APP_ID only: looking either up
 *   also read ~/.aws/config and ~/.aws/credentials, on every run;
 * - answer bodies collected by {@link collectBody}.
 *
 * @example
 * ```ts
 * new LambdaClient({ region, credentials, ...explicitClientSettings() });
 * ```
 */
export function explicitClientSettings() {
  return {
    useFipsEndpoint: false,
    useDualstackEndpoint: false,
    customUserAgent: connectorUserAgent(),
    authSchemePreference: [] as string[],
    userAgentAppId: () => Promise.resolve(process.env.AWS_SDK_UA_APP_ID),
    streamCollector: collectBody,
  };
}

/**
 * An answer body as bytes. Node's HTTP handler always answers with a Node stream, read
 * here directly; anything else goes to the SDK's collector, whose first checks (for a
 * Blob, then a web ReadableStream) make Node load its whole web-streams implementation
 * (~2 ms of every run's start) for a body that is never one.
 */
export function collectBody(body: unknown): Promise<Uint8Array> {
  if (!(body instanceof Readable)) {
    return sdkStreamCollector(body as Parameters<typeof sdkStreamCollector>[0]);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    body.on("data", (chunk: Buffer) => chunks.push(chunk));
    body.once("error", reject);
    body.once("end", () =>
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)),
    );
  });
}
