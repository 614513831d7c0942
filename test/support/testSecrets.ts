/**
 * The secrets the suite's test data holds, by name: what the suite-wide secret scan
 * (`test/setup.ts`) looks for in everything the tests produce.
 */
import { DEMO_ROLE, DEMO_USER, INTRUDER_USER } from "../../local-aws/defaultWorld.js";
import {
  assumeRoleResponse,
  EXTERNAL_ID,
  PROXY_PASSWORD,
  SECRET_ACCESS_KEY,
  SESSION_TOKEN,
} from "../fixtures.js";
import type { NamedSecret } from "./secretScan.js";

/** The STS answer of the fixtures: its secret key, and the fixed start of every session token it issues. */
const assumed = assumeRoleResponse(0, "").Credentials;

/**
 * Every test secret: the fixtures' keys, session tokens, external ID and proxy password,
 * the secrets of the fixtures' STS answer, and the local endpoint's demo identities. The
 * same value under two names (the demo user reuses the fixtures' key) is looked for once.
 */
export const TEST_SECRETS: readonly NamedSecret[] = dedupe([
  { name: "fixtures SECRET_ACCESS_KEY", value: SECRET_ACCESS_KEY },
  { name: "fixtures SESSION_TOKEN", value: SESSION_TOKEN },
  { name: "fixtures EXTERNAL_ID", value: EXTERNAL_ID },
  { name: "fixtures PROXY_PASSWORD", value: PROXY_PASSWORD },
  { name: "fixtures assumeRoleResponse SecretAccessKey", value: assumed?.SecretAccessKey ?? "" },
  { name: "fixtures assumeRoleResponse SessionToken", value: assumed?.SessionToken ?? "" },
  { name: "defaultWorld DEMO_USER.secretAccessKey", value: DEMO_USER.secretAccessKey },
  { name: "defaultWorld INTRUDER_USER.secretAccessKey", value: INTRUDER_USER.secretAccessKey },
  { name: "defaultWorld DEMO_ROLE.externalId", value: DEMO_ROLE.externalId },
]);

function dedupe(secrets: NamedSecret[]): NamedSecret[] {
  return secrets.filter(
    (secret, index) =>
      secret.value !== "" && secrets.findIndex((s) => s.value === secret.value) === index,
  );
}
