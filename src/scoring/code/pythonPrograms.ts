import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SkyThoughtError } from "../../errors.js";

/**
 * The Python programs the code scorers run, kept as real files next to this module (the build
 * copies them into dist/) so that Python tools read them as Python: the sandbox's zygote and the
 * two test harnesses. The harnesses read one JSON object on stdin and end by printing one line that
 * starts with VERDICT_MARK followed by JSON.
 */
export type PythonProgram = "zygote.py" | "callHarness.py" | "compareHarness.py";

export const VERDICT_MARK = "\u0000skythought-verdict:";

/** The import prelude APPS and TACO put before every solution (names the solutions may rely on). */
export const APPS_PRELUDE =
  "import sys\nimport time\nimport itertools\nfrom itertools import accumulate, product, permutations, combinations\n" +
  "import collections\nfrom collections import Counter, OrderedDict, deque, defaultdict, ChainMap\n" +
  "from functools import lru_cache\nimport math\nfrom math import sqrt, sin, cos, tan, ceil, fabs, floor, gcd, exp, log, log2\n" +
  "import fractions\nfrom typing import List, Tuple\nimport numpy as np\nimport random\nimport heapq\nfrom heapq import *\n";

const texts = new Map<PythonProgram, string>();

/** A program's text, read on first use. */
export function pythonProgram(file: PythonProgram): string {
  let text = texts.get(file);
  if (text === undefined) {
    const path = fileURLToPath(new URL(`./${file}`, import.meta.url));
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      throw new SkyThoughtError(
        `cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): the installed package is incomplete; ` +
          "reinstall skythought, or run `npm run build` in a checkout",
      );
    }
    texts.set(file, text);
  }
  return text;
}

/** A harness with the mark (and prelude) put before it as Python literals. */
export function harnessProgram(file: "callHarness.py" | "compareHarness.py", prelude = ""): string {
  return `MARK = ${JSON.stringify(VERDICT_MARK)}\nPRELUDE = ${JSON.stringify(prelude)}\n${pythonProgram(file)}`;
}
