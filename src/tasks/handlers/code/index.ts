import type { Handler } from "../../types.js";
import { appsHandler } from "./apps.js";
import { livecodebenchHandler } from "./livecodebench.js";
import { tacoHandler } from "./taco.js";

export { decodePrivateTests, unpickleString, type LcbTest } from "./lcbTestCases.js";
export { NO_CODE, INCORRECT_CODE } from "./codeVerdict.js";

/** The code families, by upstream handler name. */
export const codeHandlers: Readonly<Record<string, Handler>> = {
  apps: { ...appsHandler, runsCode: true },
  taco: { ...tacoHandler, runsCode: true },
  livecodebench: { ...livecodebenchHandler, runsCode: true },
};
