// The benchmark's raw-SDK contender: the job the connector's invoke_function does,
// written as a developer would with the AWS SDK v3 and nothing else (unbundled, no
// validation, no error mapping): AssumeRole with the asset's keys, then one synchronous
// Invoke with the role's credentials, the result printed as one `::set-output` line.
//
//   BENCH_ASSET='{"access_key":…}' node scripts/bench/raw-sdk.mjs echo < event.json
//
// BENCH_ASSET holds the connector's asset fields (keys, region, role, ExternalId,
// endpoints); the event, JSON, comes on stdin and the function name as the argument.
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";

const asset = JSON.parse(process.env.BENCH_ASSET ?? "{}");
const functionName = process.argv[2] ?? "echo";

const chunks = [];
for await (const chunk of process.stdin) {
  chunks.push(chunk);
}
const event = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");

const sts = new STSClient({
  region: asset.region_name,
  endpoint: asset.sts_endpoint_url,
  credentials: { accessKeyId: asset.access_key, secretAccessKey: asset.secret_key },
});
const { Credentials } = await sts.send(
  new AssumeRoleCommand({
    RoleArn: asset.role_arn,
    RoleSessionName: "raw-sdk-bench",
    ExternalId: asset.external_id,
  }),
);

const lambda = new LambdaClient({
  region: asset.region_name,
  endpoint: asset.endpoint_url,
  credentials: {
    accessKeyId: Credentials.AccessKeyId,
    secretAccessKey: Credentials.SecretAccessKey,
    sessionToken: Credentials.SessionToken,
  },
});
const response = await lambda.send(
  new InvokeCommand({ FunctionName: functionName, Payload: JSON.stringify(event) }),
);
const payload = JSON.parse(Buffer.from(response.Payload ?? []).toString("utf8") || "null");

process.stdout.write(
  `::set-output ${JSON.stringify({ status_code: response.StatusCode, function_error: response.FunctionError ?? null, payload })}\n`,
);
sts.destroy();
lambda.destroy();
