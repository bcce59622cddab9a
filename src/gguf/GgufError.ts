import { SkyThoughtError } from "../errors.js";

/** A GGUF file that cannot be read or written: missing, not a GGUF, truncated or malformed. */
export class GgufError extends SkyThoughtError {
  override name = "GgufError";
}
