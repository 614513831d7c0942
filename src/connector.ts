/**
 * What Turbine shows about the connector package, besides the version (which
 * package.json holds). `connector.yaml` is generated from this and the schemas.
 */
export const CONNECTOR = {
  name: "amazon_aws_lambda",
  title: "Amazon AWS Lambda",
  description:
    "Run, inspect, contain and provision AWS Lambda from Turbine playbooks: invoke functions, list and describe functions, versions, aliases, policies, URLs, triggers and layers, judge a function's public exposure, and contain it (throttle, revoke permissions, close or delete its URL, disable triggers, tag, delete) with the state before and the steps that undo each change; with access keys or an assumed IAM role, through a proxy if needed.",
  vendor: "Amazon",
  product: "AWS Lambda",
  author: "Swimlane Turbine community (not affiliated with Amazon)",
  homepage: "https://docs.aws.amazon.com/lambda/latest/api/welcome.html",
  keywords: [
    "aws",
    "lambda",
    "serverless",
    "amazon",
    "function",
    "invoke",
    "incident response",
    "containment",
    "exposure",
  ],
  logo: "image/logo.png",
  /** Node major version of the container; the code also runs on Node 24. */
  runtime: "22",
  asset: {
    name: "amazon_aws_lambda",
    title: "Amazon AWS Lambda",
    description:
      "How to reach AWS: access keys (or the machine's credential chain), region, an optional IAM role to assume, proxy, TLS and endpoint settings.",
  },
} as const;
