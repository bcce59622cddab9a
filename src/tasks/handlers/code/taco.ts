import type { Handler } from "../../types.js";
import { renderTemplate } from "../handlerKit.js";
import { filterDifficulty, sliceRows } from "../rowSelection.js";
import { APPS_TEST_TIMEOUT_MS } from "./apps.js";
import { appsStyleTests, parseInputOutput } from "./appsIO.js";
import { scoreCode } from "./codeVerdict.js";

function fnName(raw: unknown): string | undefined {
  try {
    const io = JSON.parse(String(raw)) as { fn_name?: string } | null;
    return io?.fn_name || undefined;
  } catch {
    return undefined; // upstream: input_output that is not JSON means "no fn_name" for the prompt
  }
}

/** TACO (BAAI/TACO): APPS-format problems; stdout compared raw, stops at the first failing test. */
export const tacoHandler: Handler = {
  selectRows: (rows, { task, start, end }) => sliceRows(filterDifficulty(rows, task), start, end),

  makePrompt(row, { task }) {
    const starter = typeof row["starter_code"] === "string" ? row["starter_code"] : "";
    let input = renderTemplate(task, { prompt: row[task.question_key] }, "initial_template");
    if (starter) input = renderTemplate(task, { input, starter_code: starter }, "starter_code_template");
    const call = Boolean(fnName(row["input_output"])) || Boolean(starter);
    return renderTemplate(task, { input }, call ? "call_template" : "stdin_template");
  },

  score: (response, row) => {
    const io = parseInputOutput(row, "taco");
    return scoreCode(response, (code) => appsStyleTests(code, io, "taco", APPS_TEST_TIMEOUT_MS));
  },
};
