import { authenticate } from "../auth/authenticate.js";
import type { CredentialStore } from "../auth/CredentialStore.js";
import { evaluateAccess } from "../auth/evaluateAccess.js";
import type { ReceivedRequest } from "../auth/verifySignature.js";
import type { Handled, Reply } from "../http/Reply.js";
import { xmlEscape } from "../sts/stsXml.js";
import { accountWorld, enabledRegions, type World } from "../World.js";

const NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";

/** What the EC2 service needs from the endpoint around it. */
export interface Ec2ServiceDependencies {
  world: World;
  store: CredentialStore;
  now: () => number;
}

/**
 * The one EC2 action a sweep needs: DescribeRegions (query protocol, `Action=DescribeRegions`,
 * signed for `ec2`), answering the account's enabled regions in EC2's XML, or 403
 * `UnauthorizedOperation` when the caller's identity policy does not allow
 * `ec2:DescribeRegions`.
 */
export class Ec2Service {
  constructor(private readonly deps: Ec2ServiceDependencies) {}

  async handle(request: ReceivedRequest, requestId: string): Promise<Handled> {
    const params = new URLSearchParams(request.rawQuery);
    for (const [key, value] of new URLSearchParams(request.body.toString("utf8"))) {
      params.append(key, value);
    }
    const action = params.get("Action") ?? "Unknown";
    const auth = await authenticate(request, "ec2", this.deps.store, new Date(this.deps.now()));
    const record = {
      service: "ec2" as const,
      action,
      region: auth.region,
      accessKeyId: auth.accessKeyId,
    };
    if (!auth.ok) {
      const code = auth.failure === "SignatureMismatch" ? "SignatureDoesNotMatch" : "AuthFailure";
      return {
        reply: ec2Error(401, code, auth.message, requestId),
        record: { ...record, errorCode: code },
      };
    }
    const signed = { ...record, principalArn: auth.identity.arn };
    if (action !== "DescribeRegions") {
      const message = `The action ${action} is not valid for this web service.`;
      return {
        reply: ec2Error(400, "InvalidAction", message, requestId),
        record: { ...signed, errorCode: "InvalidAction" },
      };
    }
    const decision = evaluateAccess(auth.identity, "ec2:DescribeRegions", "*", []);
    if (decision !== "Allow") {
      const message = "You are not authorized to perform this operation.";
      return {
        reply: ec2Error(403, "UnauthorizedOperation", message, requestId),
        record: { ...signed, errorCode: "UnauthorizedOperation" },
      };
    }
    const world = accountWorld(this.deps.world, auth.identity.accountId) ?? this.deps.world;
    const items = enabledRegions(world)
      .map(
        (region) =>
          `<item><regionName>${xmlEscape(region)}</regionName><regionEndpoint>ec2.${xmlEscape(region)}.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>`,
      )
      .join("");
    return {
      reply: {
        kind: "respond",
        status: 200,
        headers: { "content-type": "text/xml;charset=UTF-8" },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<DescribeRegionsResponse xmlns="${NAMESPACE}"><requestId>${requestId}</requestId><regionInfo>${items}</regionInfo></DescribeRegionsResponse>`,
      },
      record: signed,
    };
  }
}

/** EC2's error shape: `<Response><Errors><Error><Code><Message>…</Errors><RequestID>`. */
function ec2Error(status: number, code: string, message: string, requestId: string): Reply {
  return {
    kind: "respond",
    status,
    headers: { "content-type": "text/xml;charset=UTF-8" },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
  };
}
