import { LLAMA_ARG_KEYS } from "../backends/index.js";
import { SAMPLING_KEYS } from "../config/index.js";

/**
 * What to write instead of an unknown option that is a key of --sampling-params or --backend-args
 * (vLLM's and llama.cpp's own CLIs spell those as flags: `--max-tokens`, `--n-ctx`); "" otherwise.
 *
 * @param message commander's error line, e.g. `error: unknown option '--max-tokens'`
 */
export function unknownOptionHint(message: string): string {
  const flag = /unknown option '--([\w-]+)(?:=[^']*)?'/.exec(message)?.[1];
  if (flag === undefined) return "";
  const key = flag.replaceAll("-", "_");
  if (SAMPLING_KEYS.includes(key)) return `hint: sampling parameters go in one option: --sampling-params ${key}=VALUE\n`;
  if (LLAMA_ARG_KEYS.includes(key)) return `hint: engine settings go in one option: --backend-args ${key}=VALUE\n`;
  if (key === "task_args") return "hint: --task-args is an option of generate (upstream's), not of evaluate\n";
  return "";
}
