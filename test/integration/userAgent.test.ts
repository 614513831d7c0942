/**
 * Every AWS call names the connector and its version in its user agent, so that
 * CloudTrail shows which calls (and which changes) were the connector's: checked on what
 * the local endpoint received over real HTTP, STS's AssumeRole included.
 */
import { describe, expect, it } from "vitest";
import { demoAsset } from "../../local-aws/defaultWorld.js";
import { CONNECTOR_VERSION, USER_AGENT_NAME } from "../../src/aws/userAgent.js";
import { runAction, useLocalAws } from "./harness.js";

describe("the user agent of every AWS call", () => {
  const aws = useLocalAws();

  it("names the connector and its version, on Lambda's calls and on STS's AssumeRole", async () => {
    const from = aws().requests.length;

    const run = await runAction("get_account_settings", {
      asset: demoAsset(aws().url),
      inputs: {},
    });

    const served = aws().requests.slice(from);
    expect(run.error).toBeUndefined();
    expect(served.map((request) => request.action)).toEqual(["AssumeRole", "GetAccountSettings"]);
    for (const request of served) {
      expect(request.userAgent).toContain(`${USER_AGENT_NAME}/${CONNECTOR_VERSION}`);
    }
    expect(USER_AGENT_NAME).toBe("swimlane-turbine-amazon_aws_lambda");
    expect(CONNECTOR_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });
});
