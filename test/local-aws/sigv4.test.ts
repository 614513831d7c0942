import { InvokeCommand } from "@aws-sdk/client-lambda";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { DEMO_USER } from "../../local-aws/defaultWorld.js";
import {
  lambdaClient,
  payloadOf,
  rejectionOf,
  signRequest,
  stsClient,
  USER_KEYS,
  useLocalAws,
} from "./fixtures.js";

const WRONG_SECRET = { ...USER_KEYS, secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGKEY00" };
const UNKNOWN_KEY = { accessKeyId: "AKIAUNKNOWNKEY123456", secretAccessKey: "x".repeat(40) };
const INVOKE_ECHO = "/2015-03-31/functions/echo/invocations";

describe("local AWS: SigV4 verification", () => {
  const aws = useLocalAws();

  it("accepts what the SDK signs, for STS and for Lambda, and records the caller", async () => {
    // Prepare
    const sts = stsClient(aws);
    const lambda = lambdaClient(aws);

    // Act
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    const invoked = await lambda.send(new InvokeCommand({ FunctionName: "echo", Payload: "{}" }));

    // Assess
    expect(identity).toMatchObject({ Arn: DEMO_USER.arn, Account: "123456789012" });
    expect(identity.UserId).toMatch(/^AIDA[A-Z0-9]{17}$/);
    expect(invoked.StatusCode).toBe(200);
    expect(aws.requests.slice(-2)).toMatchObject([
      {
        service: "sts",
        action: "GetCallerIdentity",
        region: "us-east-1",
        accessKeyId: DEMO_USER.accessKeyId,
        principalArn: DEMO_USER.arn,
        status: 200,
      },
      { service: "lambda", action: "Invoke", principalArn: DEMO_USER.arn, status: 200 },
    ]);
  });

  it("answers a wrong secret with SignatureDoesNotMatch (STS) and InvalidSignatureException (Lambda)", async () => {
    // Prepare
    const sts = stsClient(aws, { credentials: WRONG_SECRET });
    const lambda = lambdaClient(aws, { credentials: WRONG_SECRET });
    const runsBefore = aws.runCount("echo");

    // Act
    const stsError = await rejectionOf(sts.send(new GetCallerIdentityCommand({})));
    const lambdaError = await rejectionOf(lambda.send(new InvokeCommand({ FunctionName: "echo" })));

    // Assess
    expect(stsError).toMatchObject({
      name: "SignatureDoesNotMatch",
      $metadata: { httpStatusCode: 403 },
    });
    expect(stsError.message).toContain("does not match the signature you provided");
    expect(lambdaError).toMatchObject({
      name: "InvalidSignatureException",
      $metadata: { httpStatusCode: 403 },
    });
    expect(aws.runCount("echo")).toBe(runsBefore);
  });

  it("answers an unknown key with InvalidClientTokenId (STS) and UnrecognizedClientException (Lambda)", async () => {
    // Prepare
    const sts = stsClient(aws, { credentials: UNKNOWN_KEY });
    const lambda = lambdaClient(aws, { credentials: UNKNOWN_KEY });

    // Act
    const stsError = await rejectionOf(sts.send(new GetCallerIdentityCommand({})));
    const lambdaError = await rejectionOf(lambda.send(new InvokeCommand({ FunctionName: "echo" })));

    // Assess
    expect(stsError).toMatchObject({
      name: "InvalidClientTokenId",
      message: "The security token included in the request is invalid.",
      $metadata: { httpStatusCode: 403 },
    });
    expect(lambdaError).toMatchObject({
      name: "UnrecognizedClientException",
      message: "The security token included in the request is invalid.",
    });
    expect(aws.requests.at(-1)).toMatchObject({
      accessKeyId: UNKNOWN_KEY.accessKeyId,
      status: 403,
      errorCode: "UnrecognizedClientException",
    });
  });

  it("rejects a session token sent with a long-term key", async () => {
    // Prepare
    const lambda = lambdaClient(aws, { credentials: { ...USER_KEYS, sessionToken: "forged" } });

    // Act
    const error = await rejectionOf(lambda.send(new InvokeCommand({ FunctionName: "echo" })));

    // Assess
    expect(error.name).toBe("UnrecognizedClientException");
  });

  it("checks only the headers the client signed: unsigned extras pass, a changed signed header fails", async () => {
    // Prepare
    const request = await signRequest(aws, {
      method: "POST",
      path: INVOKE_ECHO,
      body: '{"signed":true}',
      headers: { "content-type": "application/json", "x-amz-log-type": "None" },
      service: "lambda",
    });
    const tampered = await signRequest(aws, {
      method: "POST",
      path: INVOKE_ECHO,
      body: "{}",
      headers: { "x-amz-invocation-type": "RequestResponse" },
      service: "lambda",
    });
    tampered.init.headers["x-amz-invocation-type"] = "Event";

    // Act
    const accepted = await fetch(request.url, {
      ...request.init,
      headers: { ...request.init.headers, "x-added-by-a-proxy": "unsigned" },
    });
    const refused = await fetch(tampered.url, tampered.init);

    // Assess
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ event: { signed: true } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("x-amzn-ErrorType")).toBe("InvalidSignatureException");
  });

  it("rejects a body changed after signing", async () => {
    // Prepare
    const request = await signRequest(aws, {
      method: "POST",
      path: INVOKE_ECHO,
      body: '{"amount":1}',
      service: "lambda",
    });

    // Act
    const response = await fetch(request.url, { ...request.init, body: '{"amount":1000}' });

    // Assess
    expect(response.status).toBe(403);
    expect(response.headers.get("x-amzn-ErrorType")).toBe("InvalidSignatureException");
  });

  it("signs qualified names and query strings the way the SDK encodes them", async () => {
    // Prepare
    const lambda = lambdaClient(aws);

    // Act
    const invoked = await lambda.send(
      new InvokeCommand({
        FunctionName: "arn:aws:lambda:us-east-1:123456789012:function:echo",
        Qualifier: "$LATEST",
        Payload: JSON.stringify({ text: "ünïcödé & spaces / slashes" }),
      }),
    );

    // Assess
    expect(payloadOf(invoked.Payload)).toMatchObject({
      event: { text: "ünïcödé & spaces / slashes" },
    });
  });

  it("rejects a signature scoped to another service", async () => {
    // Prepare
    const request = await signRequest(aws, {
      method: "POST",
      path: INVOKE_ECHO,
      body: "{}",
      service: "sts",
    });

    // Act
    const response = await fetch(request.url, request.init);

    // Assess
    expect(response.status).toBe(403);
    expect(response.headers.get("x-amzn-ErrorType")).toBe("InvalidSignatureException");
    expect(await response.json()).toMatchObject({
      message: "Credential should be scoped to correct service: 'lambda'.",
    });
  });

  it("rejects a signature dated more than 15 minutes away", async () => {
    // Prepare
    const request = await signRequest(aws, {
      method: "POST",
      path: "/",
      body: "Action=GetCallerIdentity&Version=2011-06-15",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      service: "sts",
      signingDate: new Date(Date.now() - 20 * 60 * 1000),
    });

    // Act
    const response = await fetch(request.url, request.init);

    // Assess
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("<Code>SignatureDoesNotMatch</Code>");
  });

  it("answers an unsigned request with the service's missing-token error", async () => {
    // Act
    const lambda = await fetch(`${aws.url}${INVOKE_ECHO}`, { method: "POST", body: "{}" });
    const sts = await fetch(`${aws.url}/`, {
      method: "POST",
      body: "Action=GetCallerIdentity&Version=2011-06-15",
    });

    // Assess
    expect(lambda.status).toBe(403);
    expect(lambda.headers.get("x-amzn-ErrorType")).toBe("MissingAuthenticationTokenException");
    expect(sts.status).toBe(403);
    expect(await sts.text()).toMatch(
      /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type><Code>MissingAuthenticationToken<\/Code>/,
    );
  });
});
