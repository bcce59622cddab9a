import { InvalidArgumentError } from "commander";

/** A whole decimal integer (commander hands over the raw text). */
export function int(min: number): (value: string) => number {
  return (value) => {
    if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected an integer, got "${value}"`);
    const n = Number(value);
    if (n < min) throw new InvalidArgumentError(`expected an integer >= ${min}, got ${n}`);
    return n;
  };
}
