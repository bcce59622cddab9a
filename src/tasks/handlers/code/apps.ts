import type { Handler } from "../../types.js";
import { renderTemplate } from "../handlerKit.js";
import { filterDifficulty, sliceRows } from "../rowSelection.js";
import { appsStyleTests, parseInputOutput } from "./appsIO.js";
import { scoreCode } from "./codeVerdict.js";

/** Upstream's per-test limit (signal.alarm(4)), plus room for starting the sandboxed process. */
export const APPS_TEST_TIMEOUT_MS = 4_500;

/** APPS (codeparrot/apps): stdin/stdout programs, or a function `fn_name` called on argument lists. */
export const appsHandler: Handler = {
  selectRows: (rows, { task, start, end }) => sliceRows(filterDifficulty(rows, task), start, end),

  makePrompt(row, { task }) {
    const io = parseInputOutput(row, "apps");
    const prompt = row[task.question_key];
    // Upstream's names are swapped: "with_fn_name_template" is the stdin one.
    const key = io.fn_name ? "without_fn_name_template" : "with_fn_name_template";
    const input = renderTemplate(task, { prompt }, key);
    // Upstream tests `starter_code is not None`, which APPS's "" passes: the prompt always gets "\n".
    return renderTemplate(task, { input, starter_code: row["starter_code"] ?? "" }, "with_starter_code_template");
  },

  score: (response, row) => {
    const io = parseInputOutput(row, "apps");
    return scoreCode(response, (code) => appsStyleTests(code, io, "apps", APPS_TEST_TIMEOUT_MS));
  },
};
