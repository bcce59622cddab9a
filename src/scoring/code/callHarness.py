# Calls one function of a solution on one test (run by src/scoring/code/tests.ts with `python -c`).
# Input on stdin: {style: "apps" | "lcb", code, fn: name, inputs, expected}.
# "apps" (APPS and TACO): code runs as module "tmp_sol" after the prelude, `class Solution` in the
# text means "call a method of Solution()", inputs is the argument list, and the result may also
# equal expected[0] (APPS's answers are wrapped in a list). "lcb": inputs and expected are
# LiveCodeBench's raw strings (one JSON value per input line), a Solution class is used when it has
# the method. Ends by printing one line: MARK followed by JSON {passed, detail}. MARK and PRELUDE
# are defined by the lines tests.ts puts before this file.

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
