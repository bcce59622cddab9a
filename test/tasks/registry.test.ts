import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TaskError } from "../../src/errors.js";
import { handlerNames, handlers, listTasks, loadTask, parseTaskYaml, taskDatasetSpec } from "../../src/tasks/index.js";

const UPSTREAM_TASKS = [
  "aime24", "aime24_sky", "aime25_1", "aime25_2", "amc23", "arc_c", "gpqa_diamond", "gsm8k", "liveaops", "math500",
  "minervamath", "mmlu", "mmlu_pro", "numina", "numina_amc_aime", "numina_math", "numina_olympiads",
  "olympiadbench_math_en", "omni_math",
];

let userDir: string;
beforeAll(async () => {
  userDir = await mkdtemp(path.join(os.tmpdir(), "skythought-tasks-"));
  await writeFile(
    path.join(userDir, "my_math.yaml"),
    'handler: math\ndataset_path: me/my-math\ndataset_split: test\nquestion_key: problem\nanswer_key: answer\ntemplating_parameters:\n  template: "Solve: {problem}"\n',
  );
  await writeFile(path.join(userDir, "math500.yaml"), "handler: math\ndataset_path: me/math500-fixed\ndataset_split: test\nquestion_key: problem\n");
});
afterAll(async () => {
  await rm(userDir, { recursive: true, force: true });
});

describe("built-in tasks", () => {
  it("ships every upstream non-code task, and a task for every handler", async () => {
    const tasks = await listTasks();
    const names = tasks.map((t) => t.name);
    for (const name of UPSTREAM_TASKS) expect(names).toContain(name);
    expect([...new Set(tasks.map((t) => t.config.handler))].sort()).toEqual(handlerNames());
  });

  it("keeps upstream's values and TaskConfig key order (the run hash depends on it)", async () => {
    const { config, handler } = await loadTask("aime24");
    expect(Object.keys(config)).toEqual([
      "handler", "dataset_path", "dataset_subset", "dataset_split", "dataset_kwargs", "question_key", "answer_key",
      "templating_parameters", "preprocess_config",
    ]);
    expect(config).toEqual({
      handler: "aime",
      dataset_path: "AI-MO/aimo-validation-aime",
      dataset_subset: null,
      dataset_split: "train",
      dataset_kwargs: {},
      question_key: "problem",
      answer_key: "answer",
      templating_parameters: { template: "Return your final response within \\boxed{{}}. {prompt}" },
      preprocess_config: { url: "2024" },
    });
    expect(handler).toBe(handlers["aime"]);
  });

  it("reads upstream's YAML details: kwargs, nulls and numeric bounds", async () => {
    expect((await loadTask("omni_math")).config.dataset_kwargs).toEqual({ revision: "refs/pr/2" });
    expect((await loadTask("amc23")).config.dataset_kwargs).toEqual({ trust_remote_code: true });
    const liveaops = (await loadTask("liveaops")).config;
    expect([liveaops.dataset_subset, liveaops.dataset_split]).toEqual([null, null]);
    expect((await loadTask("numina_olympiads")).config.preprocess_config).toEqual({
      filter_difficulty: true, math_difficulty_lower_bound: 9, math_difficulty_upper_bound: 9, source: "olympiads",
    });
  });

  it("maps a task to the dataset arguments src/data loads", async () => {
    expect(taskDatasetSpec((await loadTask("omni_math")).config)).toEqual({
      path: "KbsdJames/Omni-MATH", subset: null, split: "test_rule_based", kwargs: { revision: "refs/pr/2" },
    });
  });

  it("runs minervamath with the minervamath handler (deliberate difference)", async () => {
    expect((await loadTask("minervamath")).config.handler).toBe("minervamath");
  });

  it("lists the known tasks for an unknown name", async () => {
    await expect(loadTask("aime")).rejects.toThrow(/unknown task "aime"; known tasks: aime24, aime24_sky/);
  });
});

describe("user tasks (--tasks-dir)", () => {
  it("adds user tasks that reuse handlers, and lets them shadow built-ins", async () => {
    const tasks = await listTasks({ tasksDir: userDir });
    const mine = tasks.find((t) => t.name === "my_math")!;
    expect(mine.source).toBe("user");
    expect(tasks.find((t) => t.name === "math500")!.config.dataset_path).toBe("me/math500-fixed");
    expect(tasks.find((t) => t.name === "aime24")!.source).toBe("builtin");
    const loaded = await loadTask("my_math", { tasksDir: userDir });
    expect(loaded.file).toBe(path.join(userDir, "my_math.yaml"));
  });

  it("loads a task straight from a YAML path", async () => {
    const loaded = await loadTask(path.join(userDir, "my_math.yaml"));
    expect(loaded.name).toBe("my_math");
    expect(loaded.config.dataset_path).toBe("me/my-math");
  });

  it("names a --tasks-dir that cannot be read", async () => {
    await expect(listTasks({ tasksDir: path.join(userDir, "nope") })).rejects.toThrow(/--tasks-dir .*nope: cannot read the folder \(ENOENT\)/);
  });
});

describe("task YAML errors name file, line and key", () => {
  const parse = (text: string) => () => parseTaskYaml(text, "tasks/t.yaml");

  it("a value of the wrong type", () => {
    expect(parse("handler: math\ndataset_path: a/b\nquestion_key: 3\n")).toThrow(/^tasks\/t\.yaml:3:15: key "question_key": .*string/);
  });

  it("a nested value of the wrong type", () => {
    expect(parse("handler: math\ndataset_path: a/b\nquestion_key: q\ntemplating_parameters:\n  template: [1]\n")).toThrow(
      /^tasks\/t\.yaml:5:13: key "templating_parameters\.template"/,
    );
  });

  it("a missing key", () => {
    expect(parse("handler: math\nquestion_key: q\n")).toThrow(/^tasks\/t\.yaml:1:1: missing key "dataset_path"/);
  });

  it("an unknown key, listing the valid ones", () => {
    expect(parse("handler: math\ndataset_path: a/b\nquestion_key: q\nnum_fewshot: 0\n")).toThrow(
      /^tasks\/t\.yaml:4:1: unknown key "num_fewshot"; a task file may only use handler, dataset_path/,
    );
  });

  it("a syntax error", () => {
    expect(parse('handler: math\ndataset_path: "a/b\n')).toThrow(/^tasks\/t\.yaml:\d+:\d+: invalid YAML: Missing closing "quote; fix the syntax/);
  });

  it("a file that is not a mapping", () => {
    expect(parse("- a\n- b\n")).toThrow(TaskError);
  });

  it("an unknown handler, with its line and the known handlers", async () => {
    await writeFile(path.join(userDir, "bad_handler.yaml"), "dataset_path: a/b\nhandler: mathh\nquestion_key: q\n");
    await expect(loadTask("bad_handler", { tasksDir: userDir })).rejects.toThrow(
      /bad_handler\.yaml:2:10: unknown handler "mathh"; known handlers: aime, amc23, (.*, )?arc_c, /,
    );
    await rm(path.join(userDir, "bad_handler.yaml"));
  });
});
