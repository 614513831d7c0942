/**
 * What the bundle exports to its loader (`dist/main.js`): the run itself, and a
 * warm-up that the code-cache writer runs so that the functions of a typical run are
 * compiled into the cache.
 */
export { main } from "./main.js";
export { warmUp } from "./warmUp.js";
