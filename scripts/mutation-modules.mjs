/**
 * The guard modules under mutation testing, each with the only tests that judge it: Stryker
 * runs one module at a time against these files, so a mutant costs seconds, not the suite.
 */
export const MUTATION_MODULES = [
  {
    name: "redaction",
    mutate: ["src/redaction.ts"],
    tests: ["test/unit/redaction.test.ts"],
  },
  {
    name: "retry-policy",
    mutate: ["src/aws/retryPolicy.ts"],
    tests: ["test/unit/aws/retryPolicy.test.ts"],
  },
  {
    name: "turbine-contract",
    mutate: ["src/turbine/contract.ts"],
    tests: ["test/unit/turbine/contract.test.ts"],
  },
  {
    name: "validation",
    mutate: ["src/validation.ts"],
    tests: ["test/unit/validation.test.ts"],
  },
  {
    name: "exposure-judge",
    mutate: [
      "src/actions/assess_function_exposure/exposure.ts",
      "src/actions/assess_function_exposure/conditionReach.ts",
    ],
    tests: [
      "test/unit/actions/assess_function_exposure/exposure.test.ts",
      "test/unit/actions/assess_function_exposure/conditionReach.test.ts",
    ],
  },
  {
    name: "environment-secrets",
    mutate: ["src/actions/assess_function_security/environmentSecrets.ts"],
    tests: ["test/unit/actions/assess_function_security/environmentSecrets.test.ts"],
  },
  {
    // Only the body cap and the deadline: the agents and TLS settings are another concern.
    name: "http-cap-and-deadline",
    mutate: ["src/aws/httpHandler.ts:85-158"],
    tests: ["test/unit/aws/httpHandler.test.ts"],
  },
];
