// Python str()/str.format live in src/templating; this forward keeps src/tasks/handlers/code
// (which imported them from here before templating landed) building until it imports them there.
export { formatPython, pyStr as pythonStr } from "../templating/index.js";
