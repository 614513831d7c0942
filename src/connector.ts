/**
 * What Turbine shows about the connector package, besides the version (which
 * package.json holds). `connector.yaml` is generated from this and the schemas.
 */
export const CONNECTOR = {
  name: "amazon_aws_lambda",
  title: "Amazon AWS Lambda",
  description:
    "Invoke AWS Lambda functions from Turbine playbooks: synchronously, asynchronously or as a dry run, with access keys or an assumed IAM role, through a proxy if needed.",
  vendor: "Amazon",
  product: "AWS Lambda",
  author: "Amazon AWS Lambda connector team",
  homepage: "https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html",
  keywords: ["aws", "lambda", "serverless", "amazon", "function", "invoke"],
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
