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
 * - `maxAttempts`, the attempts the client's retry strategy makes. An executor client
 *   is given its strategy, which alone decides the retries: there the value only fills
 *   the `max=` of the amz-sdk-request header, which a lookup of AWS_MAX_ATTEMPTS and
 *   max_attempts (another read of ~/.aws/config a run) could make disagree with the
 *   strategy. STS's standard strategy makes this many attempts, as it did before.
 * - answer bodies collected by {@link collectBody}.
 *
 * Three lookups of ~/.aws/config remain, each for a setting that has a say: the
 * signer's disable_clock_skew_correction (true would stop the SDK correcting a skewed
 * clock and retrying the call it refused), the retry_mode of STS's client (adaptive
 * changes how AssumeRole is retried), and the region fromTemporaryCredentials looks up
 * before it takes the asset's (its value is unused, but the provider's option to skip
 * the lookup is not public).
 *
 * @example
 * ```ts
 * new LambdaClient({ region, credentials, retryStrategy, ...explicitClientSettings(3) });
 * ```
 */
export function explicitClientSettings(maxAttempts: number) {
  return {
    useFipsEndpoint: false,
    useDualstackEndpoint: false,
    customUserAgent: connectorUserAgent(),
    authSchemePreference: [] as string[],
    userAgentAppId: () => Promise.resolve(process.env.AWS_SDK_UA_APP_ID),
    maxAttempts,
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
