/**
 * Property tests of the actions that contain, provision and recover (see actionProperties.ts);
 * the actions that run and inspect are in runAndInspectActions.test.ts.
 */
import { ACTION_LIST } from "../../src/actions/actionList.js";
import { describeActionProperties } from "./actionProperties.js";

describeActionProperties(
  "contain, provision and recover actions",
  ACTION_LIST.filter(({ group }) => ["contain", "provision", "recover"].includes(group)).map(
    ({ name }) => name,
  ),
);
