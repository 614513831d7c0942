import type { World } from "../World.js";

const LAMBDA_SERVICE = "lambda.amazonaws.com";

/**
 * Whether `roleArn` is a role of the world's account that trusts Lambda: what
 * CreateFunction and UpdateFunctionConfiguration require of an execution role.
 */
export function roleTrustsLambda(world: World, roleArn: string): boolean {
  const role = world.roles.find(
    (candidate) => `arn:aws:iam::${world.accountId}:role/${candidate.name}` === roleArn,
  );
  return role?.trustedServices?.includes(LAMBDA_SERVICE) === true;
}
