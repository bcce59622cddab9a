/**
 * Python's and numpy's behaviour, reproduced where our bytes must equal upstream's (the run hash,
 * results.json, summary.json, prompts): values that keep the int/float distinction, literals,
 * str()/repr(), str.format, the unicode_escape codec, json as Python writes and reads it, msgpack,
 * round/np.mean, `random`, str.strip. A leaf: it imports nothing of ours but errors.
 */
export { PyFloat, pyFloat, pyFloatRepr, numericValue, fromPlain, toPlain, type PyDict, type PyValue } from "./pyValue.js";
export { parsePythonLiteral } from "./literal.js";
export { pyRepr, pyStr } from "./pythonRepr.js";
export { formatPython } from "./formatPython.js";
export { FormatError } from "./FormatError.js";
export { decodeUnicodeEscapes } from "./decodeUnicodeEscapes.js";
export { pythonJson, floatRepr } from "./pythonJson.js";
export { parsePythonJson, parseJsonKeepingFloats } from "./pythonJsonParse.js";
export { packb } from "./msgpack.js";
export { pyRound, numpyRound, numpySum, numpyMean } from "./pyMath.js";
export { createPythonRandom, type PythonRandom } from "./pythonRandom.js";
export { pyStrip } from "./pyStrip.js";
