import { Command } from "commander";
import { listTasks } from "../tasks/index.js";
import { loadModelConfigs, systemPromptText, type SystemPrompt } from "../templating/index.js";

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ")).join("\n") + "\n";
}

export function tasksCommand(): Command {
  return new Command("tasks")
    .description("List the tasks (built-in and --tasks-dir)")
    .option("--tasks-dir <dir>", "a folder of extra task YAML files")
    .option("--json", "print JSON", false)
    .action(async (raw: { tasksDir?: string; json: boolean }) => {
      const tasks = await listTasks(raw.tasksDir !== undefined ? { tasksDir: raw.tasksDir } : {});
      if (raw.json) {
        process.stdout.write(JSON.stringify(tasks.map((t) => ({ name: t.name, source: t.source, file: t.file, config: t.config })), null, 2) + "\n");
        return;
      }
      const rows = [["TASK", "HANDLER", "DATASET", "SOURCE"]];
      for (const t of tasks) {
        const c = t.config;
        const dataset = [c.dataset_path, c.dataset_subset, c.dataset_split].filter((x) => x).join(" / ");
        rows.push([t.name, c.handler, dataset, t.source]);
      }
      process.stdout.write(table(rows));
    });
}

export function modelsCommand(): Command {
  return new Command("models")
    .description("List the model configs and named system prompts (models/model_configs.yaml)")
    .option("--json", "print JSON", false)
    .action(async (raw: { json: boolean }) => {
      const configs = await loadModelConfigs();
      if (raw.json) {
        process.stdout.write(JSON.stringify({ systemPrompts: configs.systemPrompts, models: configs.models }, null, 2) + "\n");
        return;
      }
      const rows = [["MODEL ID", "NAME", "SYSTEM PROMPT", "USER TEMPLATE"]];
      for (const [id, m] of Object.entries(configs.models)) {
        rows.push([id, m.name || (id.split("/").pop() ?? id), promptLabel(m.system_prompt, configs.systemPrompts), m.user_template ? JSON.stringify(m.user_template) : "-"]);
      }
      process.stdout.write(table(rows));
      process.stdout.write(`\nsystem prompts (--system-prompt-name): ${Object.keys(configs.systemPrompts).join(", ")}\n`);
    });
}

/** The --system-prompt-name a model's prompt comes from (YAML anchors make them the same value). */
function promptLabel(prompt: SystemPrompt | null | undefined, named: Record<string, SystemPrompt>): string {
  if (prompt === null || prompt === undefined) return "-";
  const name = Object.entries(named).find(([, p]) => p === prompt || systemPromptText(p) === systemPromptText(prompt))?.[0];
  if (name) return name;
  const text = systemPromptText(prompt) ?? "";
  return text.length > 40 ? JSON.stringify(text.slice(0, 37) + "...") : JSON.stringify(text);
}
