import packageJson from "../../package.json" with { type: "json" };
import { CONNECTOR } from "../connector.js";

/**
 * The product this connector names itself as in every AWS call's user agent, so that
 * CloudTrail's `userAgent` shows which changes the connector made.
 */
export const USER_AGENT_NAME = `swimlane-turbine-${CONNECTOR.name}`;

/** The connector's version, as package.json holds it. */
export const CONNECTOR_VERSION: string = packageJson.version;

/**
 * The SDK's `customUserAgent` for every client the executor builds: one
 * `name/version` pair that the SDK appends to its own user agent.
 *
 * @example
 * ```ts
 * new LambdaClient({ customUserAgent: connectorUserAgent() }); // "… swimlane-turbine-amazon_aws_lambda/0.1.0"
 * ```
 */
export function connectorUserAgent(): [name: string, version: string][] {
  return [[USER_AGENT_NAME, CONNECTOR_VERSION]];
}
