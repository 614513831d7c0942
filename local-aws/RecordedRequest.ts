/** One AWS request the endpoint served, kept for assertions. Control calls are not kept. */
export interface RecordedRequest {
  /** The `x-amzn-RequestId` the endpoint answered with. */
  requestId: string;
  service: "lambda" | "sts" | "iam" | "ec2";
  /** The operation: `Invoke`, `GetFunction`, `AssumeRole`, `GetCallerIdentity`, `GetRole`, … */
  action: string;
  /** The region of the signature's credential scope, when the request was signed. */
  region: string | undefined;
  /** The key that signed the request, when it was signed. */
  accessKeyId: string | undefined;
  /** Who the key belongs to, when it was accepted. */
  principalArn?: string;
  /** The HTTP status sent; 0 when the connection was reset instead. */
  status: number;
  /** The AWS error code sent (`x-amzn-ErrorType` or the XML `Code`). */
  errorCode?: string;
  /** Lambda: the function as the caller named it. */
  functionName?: string;
  /** Lambda: the version or alias asked for, from the name or the `Qualifier` parameter. */
  qualifier?: string;
  /** Lambda: the version that alias or qualifier resolved to (`$LATEST` when unqualified). */
  executedVersion?: string;
  /** Lambda Invoke: RequestResponse, Event or DryRun. */
  invocationType?: string;
  /** The `x-amz-user-agent` header (or `user-agent` without it): who says it made the call. */
  userAgent?: string;
}
