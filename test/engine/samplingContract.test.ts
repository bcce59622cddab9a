import { describe, expect, test } from "vitest";
import { z } from "zod";
import { loadAddon } from "../../src/engine/loadAddon.js";
import type { AddonSamplingField } from "../../src/engine/native.js";
import { SamplingParamsSchema } from "../../src/sampling/index.js";

// One set of bounds: the zod schema the command line validates with (src/sampling/params.ts) and
// the SAMPLING_FIELDS table the engine reads requests with (native/src/sampler.h) must accept and
// refuse the same values, so nothing passes the CLI and then fails after the model has loaded.

const addon = await loadAddon("cpu", () => {});
const fields = addon.bindings.samplingFields();
const shape = SamplingParamsSchema.shape as Record<string, z.ZodType>;

/** Values at each end of a field's range and just outside it: [value, accepted]. */
function probes(f: AddonSamplingField): [number, boolean][] {
  const step = (x: number) => (f.kind === "integer" ? 1 : Math.max(Math.abs(x) * 1e-9, 1e-9));
  return [
    [f.min, !f.minExclusive],
    [f.min - step(f.min), false],
    [f.max, true],
    [f.max + step(f.max), false],
  ];
}

/** A field's schema without `.optional()`. */
function bare(name: string): z.ZodType {
  const s = shape[name]!;
  return s instanceof z.ZodOptional ? (s.unwrap() as z.ZodType) : s;
}

/** The schema of a field's numeric values (a logit_bias entry's value for token_biases). */
function numericSchema(name: string): z.ZodType {
  const s = bare(name);
  return s instanceof z.ZodRecord ? (s.valueType as z.ZodType) : s;
}

describe("zod and the engine share one sampling contract", () => {
  test("the same keys", () => {
    expect(fields.map((f) => f.name).sort()).toEqual(Object.keys(shape).sort());
  });

  test.each(fields.filter((f) => f.kind === "number" || f.kind === "integer" || f.kind === "token_biases"))("$name: the same bounds", async (f) => {
    for (const [value, accepted] of probes(f)) {
      const sampling = f.kind === "token_biases" ? { [f.name]: { "0": value } } : { max_tokens: 2 ** 31 - 1, [f.name]: value };
      expect(numericSchema(f.name).safeParse(value).success, `zod, ${f.name}=${value}`).toBe(accepted);
      // A bad value throws synchronously; the draw itself resolves.
      const drawn = Promise.resolve().then(() => addon.bindings.sampleTokens(new Float32Array(4), sampling, 1, 0)).then(() => true, () => false);
      expect(await drawn, `engine, ${f.name}=${value}`).toBe(accepted);
    }
  });

  test.each(fields)("$name: the same kind of value", (f) => {
    const s = bare(f.name);
    const kind = s instanceof z.ZodBoolean ? "boolean"
      : s instanceof z.ZodArray ? "strings"
      : s instanceof z.ZodRecord ? "token_biases"
      : s instanceof z.ZodNumber ? (s.isInt ? "integer" : "number")
      : "unknown";
    expect(kind).toBe(f.kind);
  });
});
