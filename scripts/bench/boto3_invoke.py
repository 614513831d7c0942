"""The benchmark's boto3 contender: what a Python connector does for invoke_function.

AssumeRole with the asset's keys, then one synchronous Invoke with the role's
credentials, the result printed as one ``::set-output`` line, like raw-sdk.mjs:

    BENCH_ASSET='{"access_key": ...}' python3 scripts/bench/boto3_invoke.py echo < event.json

BENCH_ASSET holds the connector's asset fields (keys, region, role, ExternalId,
endpoints); the event, JSON, comes on stdin and the function name as the argument.
"""

import json
import os
import sys

import boto3

asset = json.loads(os.environ.get("BENCH_ASSET", "{}"))
function_name = sys.argv[1] if len(sys.argv) > 1 else "echo"
event = json.loads(sys.stdin.buffer.read() or b"{}")

sts = boto3.client(
    "sts",
    region_name=asset["region_name"],
    endpoint_url=asset.get("sts_endpoint_url"),
    aws_access_key_id=asset["access_key"],
    aws_secret_access_key=asset["secret_key"],
)
credentials = sts.assume_role(
    RoleArn=asset["role_arn"],
    RoleSessionName="boto3-bench",
    ExternalId=asset["external_id"],
)["Credentials"]

lambda_client = boto3.client(
    "lambda",
    region_name=asset["region_name"],
    endpoint_url=asset.get("endpoint_url"),
    aws_access_key_id=credentials["AccessKeyId"],
    aws_secret_access_key=credentials["SecretAccessKey"],
    aws_session_token=credentials["SessionToken"],
)
response = lambda_client.invoke(FunctionName=function_name, Payload=json.dumps(event))
payload = json.loads(response["Payload"].read() or b"null")

output = {
    "status_code": response["StatusCode"],
    "function_error": response.get("FunctionError"),
    "payload": payload,
}
sys.stdout.write("::set-output " + json.dumps(output, separators=(",", ":")) + "\n")
sys.stdout.flush()
