/**
 * Property tests of the recover actions (see actionProperties.ts): generated assets and
 * inputs, valid and hostile, through the same path as Turbine.
 */
import { ACTION_LIST } from "../../src/actions/actionList.js";
import { describeActionProperties } from "./actionProperties.js";

describeActionProperties(
  "recover actions",
  ACTION_LIST.filter(({ group }) => group === "recover").map(({ name }) => name),
);
