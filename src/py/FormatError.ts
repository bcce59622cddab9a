import { SkyThoughtError } from "../errors.js";

/** A template that Python's str.format would reject (unbalanced braces, a missing field...). */
export class FormatError extends SkyThoughtError {
  override name = "FormatError";
}
