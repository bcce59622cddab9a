import { TaskError } from "../../errors.js";
import type { Handler } from "../types.js";
import { arcHandler } from "./arc.js";
import { codeHandlers } from "./code/index.js";
import { gsm8kHandler } from "./gsm8k.js";
import {
  aimeHandler,
  amc23Handler,
  liveAopsHandler,
  mathHandler,
  minervaMathHandler,
  olympiadBenchMathHandler,
  omniMathHandler,
} from "./math.js";
import { gpqaDiamondHandler, mmluHandler, mmluProHandler } from "./multipleChoice.js";
import { numinaHandler } from "./numina.js";

/** The `handler` field of a task YAML -> its handler. Names are upstream's. */
export const handlers: Readonly<Record<string, Handler>> = {
  numina: numinaHandler,
  math: mathHandler,
  aime: aimeHandler,
  gpqa_diamond: gpqaDiamondHandler,
  mmlu: mmluHandler,
  mmlu_pro: mmluProHandler,
  gsm8k: gsm8kHandler,
  arc_c: arcHandler,
  amc23: amc23Handler,
  minervamath: minervaMathHandler,
  olympiadbench_math: olympiadBenchMathHandler,
  omni_math: omniMathHandler,
  liveaops: liveAopsHandler,
  apps: codeHandlers["apps"]!,
  taco: codeHandlers["taco"]!,
  livecodebench: codeHandlers["livecodebench"]!,
};

export function handlerNames(): string[] {
  return Object.keys(handlers).sort();
}

export function getHandler(name: string, where: string): Handler {
  const handler = Object.hasOwn(handlers, name) ? handlers[name] : undefined;
  if (!handler) {
    throw new TaskError(`${where}: unknown handler "${name}"; known handlers: ${handlerNames().join(", ")}`);
  }
  return handler;
}
