/**
 * Python programs the code scorers run in the sandbox, kept as strings so that `tsc` output needs no
 * extra files. Both read one JSON object on stdin and end by printing one line that starts with
 * VERDICT_MARK followed by JSON.
 */

export const VERDICT_MARK = "\u0000skythought-verdict:";

/** The import prelude APPS and TACO put before every solution (names the solutions may rely on). */
export const APPS_PRELUDE =
  "import sys\nimport time\nimport itertools\nfrom itertools import accumulate, product, permutations, combinations\n" +
  "import collections\nfrom collections import Counter, OrderedDict, deque, defaultdict, ChainMap\n" +
  "from functools import lru_cache\nimport math\nfrom math import sqrt, sin, cos, tan, ceil, fabs, floor, gcd, exp, log, log2\n" +
  "import fractions\nfrom typing import List, Tuple\nimport numpy as np\nimport random\nimport heapq\nfrom heapq import *\n";

/**
 * Calls one function of a solution on one test. Input:
 *   {style: "apps" | "lcb", code, fn: name, inputs, expected}
 * "apps" (APPS and TACO): code runs as module "tmp_sol" after the prelude, `class Solution` in the
 * text means "call a method of Solution()", inputs is the argument list, and the result may also
 * equal expected[0] (APPS's answers are wrapped in a list). "lcb": inputs and expected are LiveCodeBench's
 * raw strings (one JSON value per input line), a Solution class is used when it has the method.
 */
export const CALL_HARNESS = String.raw`
import sys, os, io, json, types

def int_keys(d):
    return {int(k): v for k, v in d.items()}

def normalise_apps(inputs, expected):
    try:
        if isinstance(inputs[0], dict):
            inputs = [int_keys(inputs[0])]
    except Exception:
        pass
    try:
        if isinstance(expected, dict):
            expected = [int_keys(expected)]
    except Exception:
        pass
    try:
        if isinstance(expected[0], dict):
            expected = [int_keys(expected[0])]
    except Exception:
        pass
    return inputs, expected

def apps_match(result, expected):
    if isinstance(result, tuple):
        result = list(result)
    if result == expected:
        return True
    if isinstance(expected, list) and expected and result == expected[0]:
        return True
    try:
        if isinstance(result[0], tuple) and [list(x) for x in result] == expected[0]:
            return True
    except Exception:
        pass
    return False

def lcb_value(text):
    try:
        return json.loads(text)
    except ValueError:
        return text

def lcb_inputs(raw):
    return [lcb_value(line.strip()) for line in raw.split("\n") if line.strip()]

def lcb_match(result, expected):
    if isinstance(result, tuple):
        result = list(result)
    return result == expected

def find_callable(module, code, fn, style):
    solution = getattr(module, "Solution", None)
    if style == "apps":
        target = solution() if "class Solution" in code else module
        return getattr(target, fn)
    if isinstance(solution, type) and hasattr(solution, fn):
        return getattr(solution(), fn)
    return getattr(module, fn)

def judge(spec, prelude):
    style = spec["style"]
    module = types.ModuleType("tmp_sol")
    source = (prelude if style == "apps" else "") + spec["code"]
    try:
        exec(compile(source, "solution.py", "exec"), module.__dict__)
        func = find_callable(module, spec["code"], spec["fn"], style)
    except BaseException as exc:
        return {"passed": False, "detail": "cannot load the solution: %r" % (exc,)}
    if style == "apps":
        inputs, expected = normalise_apps(spec["inputs"], spec["expected"])
    else:
        inputs = lcb_inputs(spec["inputs"])
        expected = lcb_value(spec["expected"].strip())
    try:
        result = func(*inputs)
    except BaseException as exc:
        return {"passed": False, "detail": "the call raised %r" % (exc,)}
    ok = apps_match(result, expected) if style == "apps" else lcb_match(result, expected)
    return {"passed": bool(ok), "detail": "" if ok else "returned %.200r, expected %.200r" % (result, expected)}

def main():
    spec = json.loads(sys.stdin.read())
    verdict_fd = os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    sys.stdin = io.StringIO("")
    sys.stdout = io.StringIO()
    verdict = judge(spec, PRELUDE)
    os.write(verdict_fd, (MARK + json.dumps(verdict) + "\n").encode("utf-8"))

main()
`;

/**
 * Compares a stdin/stdout program's output with the expected text the way APPS ("lines": output
 * split into lines, as APPS's capture does) and TACO ("raw": the stdout string) do, through the same
 * cascade of looser and looser comparisons. Input: {stdout, expected, shape: "lines" | "raw"}.
 */
export const COMPARE_SOURCE = String.raw`
import sys, json, math

def allclose(a, b):
    for x, y in zip(a, b):
        if math.isinf(x) or math.isinf(y):
            if x != y:
                return False
        elif not abs(x - y) <= 1e-08 + 1e-05 * abs(y):
            return False
    return True

def equal_as_list(output, expected):
    return output == [expected] or (isinstance(expected, list) and output == expected)

def cascade(output, expected):
    if isinstance(output, str) and output.strip() == expected.strip():
        return True
    if isinstance(output, list):
        if "\n".join(output).strip() == expected.strip():
            return True
        if "\n".join(o.strip() for o in output).strip() == expected.strip():
            return True
    if output == [expected]:
        return True
    expected = [x.strip() for x in expected.split("\n") if x]
    if equal_as_list(output, expected):
        return True
    if isinstance(output, list):
        output = [o for o in output if len(o)]
    if equal_as_list(output, expected):
        return True
    try:
        got = [float(e) for e in output]
        want = [float(e) for e in expected]
        if len(got) == len(want) and allclose(got, want):
            return True
    except Exception:
        pass
    expected = [set(x.split()) for x in expected]
    if output == expected:
        return True
    if isinstance(output, list):
        output = [set(tokens) for tokens in (o.split() for o in output) if len(tokens)]
    else:
        output = set(t for t in output.split() if len(t))
    result = False
    try:
        result = set(frozenset(s) for s in output) == set(frozenset(s) for s in expected)
    except Exception:
        pass
    try:
        rounded = lambda sets: set(frozenset(round(float(t), 3) for t in s) for s in sets)
        result = result or rounded(output) == rounded(expected)
    except Exception:
        pass
    return result

spec = json.loads(sys.stdin.read())
output = spec["stdout"].splitlines() if spec["shape"] == "lines" else spec["stdout"]
print(MARK + json.dumps({"passed": bool(cascade(output, spec["expected"])), "detail": ""}))
`;

/** Puts the mark (and prelude) into a harness as Python literals. */
export function withConstants(source: string, prelude = ""): string {
  return `MARK = ${JSON.stringify(VERDICT_MARK)}\nPRELUDE = ${JSON.stringify(prelude)}\n${source}`;
}
