# Compares a stdin/stdout program's output with the expected text the way APPS ("lines": output
# split into lines, as APPS's capture does) and TACO ("raw": the stdout string) do, through the same
# cascade of looser and looser comparisons (run by src/scoring/code/tests.ts with `python -c`).
# Input on stdin: {stdout, expected, shape: "lines" | "raw"}. Ends by printing one line: MARK
# followed by JSON {passed, detail}. MARK is defined by the lines tests.ts puts before this file.

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
