#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { diskFullOr, SkyThoughtError } from "../errors.js";
import { packageVersion } from "../pipeline/index.js";
import { benchCommand } from "./bench.js";
import { modelsCommand, tasksCommand } from "./listCommands.js";
import { makeModelCommand } from "./makeModel.js";
import { unknownOptionHint } from "./optionHints.js";
import { reportCommand } from "./reportCommand.js";
import { evaluateCommand, generateCommand, scoreCommand, STOP_SIGNALS } from "./runCommands.js";

/**
 * The `skythought` command: a thin layer over the library (pipeline/). Errors a user can act on
 * print their message alone (with the stack under --verbose) and exit 1; usage errors exit 2, as
 * click does upstream; an interrupted run exits 130.
 */
function program(): Command {
  const cmd = new Command("skythought")
    .description("Evaluate reasoning models on benchmarks (AIME, MATH-500, GPQA, LiveCodeBench...) with GGUF models or OpenAI-compatible servers")
    .version(packageVersion())
    .showHelpAfterError("(add --help for usage)");
  for (const sub of [evaluateCommand(), generateCommand(), scoreCommand(), tasksCommand(), modelsCommand(), benchCommand(), reportCommand(), makeModelCommand()]) {
    cmd.addCommand(sub.exitOverride().configureOutput({ outputError: (text, write) => write(text + unknownOptionHint(text)) }));
  }
  return cmd.exitOverride();
}

async function main(argv: string[]): Promise<void> {
  const verbose = argv.includes("--verbose");
  try {
    await program().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version end here too, with code 0; commander already printed the message.
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    // A full disk on a write path that did not say so itself is still not a stack trace.
    const err = diskFullOr(e, (e as NodeJS.ErrnoException).path ?? "the output folder") as Error;
    const stoppedBy = /interrupted by (SIGINT|SIGTERM)/.exec(String(err.message))?.[1] as keyof typeof STOP_SIGNALS | undefined;
    if (err.name === "AbortError" || stoppedBy) {
      process.stderr.write("stopped; rerun the same command to resume\n");
      process.exitCode = STOP_SIGNALS[stoppedBy ?? "SIGINT"];
      return;
    }
    const known = err instanceof SkyThoughtError;
    process.stderr.write(`error: ${known ? err.message : String(err.stack ?? err)}\n`);
    if (verbose && known && err.stack) process.stderr.write(`${err.stack}\n`);
    process.exitCode = 1;
  }
}

await main(process.argv);
