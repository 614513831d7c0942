// The benchmark's floor: the two requests of invoke_function (AssumeRole with the
// asset's keys, then one synchronous Invoke with the role's credentials), signed with
// SigV4 and sent with Node's built-ins alone, no SDK, no validation. No real connector
// can start faster on this Node; the result is printed as one `::set-output` line.
//
//   BENCH_ASSET='{"access_key":…}' node scripts/bench/floor.mjs echo < event.json
import { createHash, createHmac } from "node:crypto";
import { request } from "node:http";

const asset = JSON.parse(process.env.BENCH_ASSET ?? "{}");
const functionName = process.argv[2] ?? "echo";
const chunks = [];
for await (const chunk of process.stdin) {
  chunks.push(chunk);
}
const event = Buffer.concat(chunks).toString("utf8") || "{}";

const sha256 = (data) => createHash("sha256").update(data).digest("hex");
const hmac = (key, data) => createHmac("sha256", key).update(data).digest();

/** Sends one SigV4-signed POST over plain HTTP (the local endpoint) and reads the answer. */
function signedPost(endpoint, service, path, headers, body, keys) {
  const url = new URL(path, endpoint);
  const amzDate = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "");
  const day = amzDate.slice(0, 8);
  const all = { ...headers, host: url.host, "x-amz-date": amzDate };
  if (keys.sessionToken !== undefined) {
    all["x-amz-security-token"] = keys.sessionToken;
  }
  const names = Object.keys(all).sort();
  const canonical = [
    "POST",
    url.pathname,
    "",
    ...names.map((name) => `${name}:${all[name]}`),
    "",
    names.join(";"),
    sha256(body),
  ].join("\n");
  const scope = `${day}/${asset.region_name}/${service}/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonical)].join("\n");
  let key = hmac(`AWS4${keys.secretAccessKey}`, day);
  for (const part of [asset.region_name, service, "aws4_request"]) {
    key = hmac(key, part);
  }
  const signature = createHmac("sha256", key).update(toSign).digest("hex");
  all.authorization = `AWS4-HMAC-SHA256 Credential=${keys.accessKeyId}/${scope}, SignedHeaders=${names.join(";")}, Signature=${signature}`;
  return new Promise((done, fail) => {
    const req = request(url, { method: "POST", headers: all }, (res) => {
      const parts = [];
      res.on("data", (part) => parts.push(part));
      res.on("end", () => done({ status: res.statusCode, body: Buffer.concat(parts).toString() }));
    });
    req.on("error", fail);
    req.end(body);
  });
}

const form = new URLSearchParams({
  Action: "AssumeRole",
  Version: "2011-06-15",
  RoleArn: asset.role_arn,
  RoleSessionName: "floor-bench",
  ...(asset.external_id === undefined ? {} : { ExternalId: asset.external_id }),
}).toString();
const assumed = await signedPost(
  asset.sts_endpoint_url,
  "sts",
  "/",
  { "content-type": "application/x-www-form-urlencoded" },
  form,
  { accessKeyId: asset.access_key, secretAccessKey: asset.secret_key },
);
const field = (name) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(assumed.body)?.[1];
const invoked = await signedPost(
  asset.endpoint_url,
  "lambda",
  `/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`,
  { "content-type": "application/json" },
  event,
  {
    accessKeyId: field("AccessKeyId"),
    secretAccessKey: field("SecretAccessKey"),
    sessionToken: field("SessionToken"),
  },
);
process.stdout.write(
  `::set-output ${JSON.stringify({ status_code: invoked.status, function_error: null, payload: JSON.parse(invoked.body || "null") })}\n`,
);
