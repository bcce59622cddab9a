import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { describe, expect, test, vi } from "vitest";
import { FaultServer } from "../openai/fault-server.js";
import { makeWorkspace, type Workspace } from "../pipeline/fixtures.js";
import { CLI, ROOT } from "./build.js";
import { useBuiltCliAndFakeServer } from "./fakeOpenAIServer.js";
import { cli, type CliResult } from "./run.js";

// Issue 12's bad inputs and bad machines, each through the CLI as a user meets it: the exit code,
// the one message (no stack trace), and what the run folder holds afterwards.
vi.setConfig({ testTimeout: 300_000 });

const fake = useBuiltCliAndFakeServer();

const read = (dir: string, f: string) => readFileSync(join(dir, f), "utf8");

function args(ws: Workspace, extra: string[] = [], backendArgs = `base_url=${fake.server.url},max_retries=0`, sampling = "temperature=0.6,max_tokens=64"): string[] {
  return [
    "--task", "tiny_math", "--tasks-dir", ws.tasksDir, "--data-file", ws.dataFile,
    "--model", "fake/served-model", "--backend", "openai", "--backend-args", backendArgs,
    "--sampling-params", sampling, "--n", "2", "--result-dir", ws.resultDir, ...extra,
  ];
}

/** A user error: exit 1, the message, no stack trace. */
function expectRefused(r: CliResult, message: RegExp): void {
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.code).toBe(1);
}

function runDirOf(ws: Workspace): string {
  return join(ws.resultDir, readdirSync(ws.resultDir)[0]!);
}

describe("folders that cannot be made (Node's recursive mkdir would spin forever there)", () => {
  test.skipIf(!existsSync("/proc/self"))("--result-dir under /proc is an error at once", async () => {
    const ws = makeWorkspace(2);
    const t0 = Date.now();
    const r = await cli(["evaluate", ...args(ws, ["--result-dir", "/proc/skythought-x/runs"])]);
    expectRefused(r, /cannot create or write the run folder \/proc\/skythought-x\/runs\/\S+: ENOENT: \/proc\/skythought-x cannot be created: its filesystem has no such entries .*; choose another --result-dir/);
    expect(Date.now() - t0).toBeLessThan(60_000);
  });

  test.skipIf(!existsSync("/proc/self"))("a dataset cache under /proc (SKYTHOUGHT_DATASETS_CACHE) and --models-dir under /proc say which setting to change", async () => {
    const ws = makeWorkspace(2);
    const rows = read(ws.dir, "rows.jsonl");
    const http = createServer((_req, res) => res.end(rows));
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/rows.jsonl`;
      writeFileSync(
        join(ws.tasksDir, "url_math.yaml"),
        `handler: math\ndataset_path: ${url}\nquestion_key: problem\nanswer_key: answer\ntemplating_parameters:\n  template: "{problem}"\n`,
      );
      const cached = await cli(
        ["evaluate", "--task", "url_math", "--tasks-dir", ws.tasksDir, "--model", "m", "--backend", "openai", "--result-dir", ws.resultDir],
        { SKYTHOUGHT_DATASETS_CACHE: "/proc/skythought-x/datasets" },
      );
      expectRefused(cached, /cannot write the dataset cache \/proc\/skythought-x\/datasets\/url\/[0-9a-f]+ \(ENOENT: .*\); set SKYTHOUGHT_DATASETS_CACHE to a writable folder/);
    } finally {
      http.close();
    }
    const models = await cli([
      "evaluate", "--task", "tiny_math", "--tasks-dir", ws.tasksDir, "--data-file", ws.dataFile, "--result-dir", ws.resultDir,
      "--model", "hf:skythought-test/none-GGUF:Q4_K_M", "--models-dir", "/proc/skythought-x/models",
    ]);
    expectRefused(models, /--models-dir \/proc\/skythought-x\/models: cannot create it \(ENOENT: .*\); choose another folder/);
  });
});

describe("zero problems is an error naming the file, the slice or the filter", () => {
  test("an empty data file", async () => {
    const ws = makeWorkspace(2);
    writeFileSync(ws.dataFile, "");
    expectRefused(await cli(["evaluate", ...args(ws)]), new RegExp(`--data-file ${ws.dataFile} has no rows; check it, or pass another --data-file`));
    expect(existsSync(ws.resultDir)).toBe(false);
  });

  test("--start past the end, and --end not above --start", async () => {
    const ws = makeWorkspace(3);
    expectRefused(await cli(["evaluate", ...args(ws, ["--start", "5"])]), /--start 5 is past the end: task "tiny_math" keeps 3 rows of --data-file \S+ \(0 to 2\); pass a --start below 3/);
    expectRefused(await cli(["generate", ...args(ws, ["--start", "2", "--end", "1"])]), /--start 2 --end 1 selects no rows: --end must be above --start/);
  });

  test("a filter that keeps no row", async () => {
    const ws = makeWorkspace(2);
    writeFileSync(
      join(ws.tasksDir, "tiny_taco.yaml"),
      "handler: taco\ndataset_path: local/taco\ndataset_split: train\nquestion_key: question\npreprocess_config:\n  difficulty: VERY_HARD\n",
    );
    writeFileSync(ws.dataFile, JSON.stringify({ question: "Print 1.", input_output: '{"inputs": [""], "outputs": ["1"]}', difficulty: "EASY" }) + "\n");
    const r = await cli(["generate", ...args(ws, ["--task", "tiny_taco"])]);
    expectRefused(r, /task "tiny_taco" \(handler taco\) keeps none of the 1 rows of --data-file \S+ \(its filters: preprocess_config \{"difficulty":"VERY_HARD"\}\)/);
  });
});

describe("a data file without the task's answer column", () => {
  test("evaluate refuses it before generating, naming the column, the task file and the data's columns; generate runs", async () => {
    const ws = makeWorkspace(2);
    writeFileSync(ws.dataFile, [0, 1].map((i) => JSON.stringify({ problem: `What is ${i}+1?`, solution: String(i + 1) })).join("\n") + "\n");
    const before = fake.server.requests();
    const r = await cli(["evaluate", ...args(ws)]);
    expectRefused(r, /--data-file \S+: row 0 has no column "answer", the answers task "tiny_math" scores against \(answer_key in \S+tiny_math\.yaml\); its columns: problem, solution\. Pass a data file with that column/);
    expect(fake.server.requests()).toBe(before);
    expect(existsSync(ws.resultDir)).toBe(false);
    expect((await cli(["generate", ...args(ws)])).code).toBe(0);
  });
});

describe("samples that ended in an error are not answers", () => {
  test("every request refused (a closed port, max_retries=0): exit 1, the errors grouped, no summary; the rerun retries them", async () => {
    const ws = makeWorkspace(2);
    const closed = await new FaultServer().start();
    const url = closed.url;
    await closed.kill();
    const command = ["evaluate", ...args(ws, [], `base_url=${url},max_retries=0`)];
    const r = await cli(command);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // Either every sample errors, or the backend stops first because no endpoint is reachable.
    expect(r.stderr).toMatch(/error: (4 of 4 samples ended in an error, so nothing was scored .*\n {2}4 × failed after 1 attempts; last: ECONNREFUSED|no endpoint reachable)/);
    const dir = runDirOf(ws);
    expect(existsSync(join(dir, "summary.json"))).toBe(false);
    expect(existsSync(join(dir, "results.json"))).toBe(false);
    expect(["incomplete", "failed"]).toContain(JSON.parse(read(dir, "run.json")).status);

    await closed.start(); // the same port, now answering
    try {
      const again = await cli(command);
      expect(again.code).toBe(0);
      expect(again.stderr).toMatch(/0\/4 samples already done/);
      expect(JSON.parse(read(dir, "run.json")).status).toBe("finished");
      expect(existsSync(join(dir, "summary.json"))).toBe(true);
    } finally {
      await closed.kill();
    }
  });

  test("a server that never answers, with timeout=5,max_retries=0: exit 1 after the timeout, no summary", async () => {
    const ws = makeWorkspace(1);
    const silent = await new FaultServer().start();
    silent.silent = true;
    try {
      const r = await cli(["evaluate", ...args(ws, [], `base_url=${silent.url},timeout=5,max_retries=0`)]);
      expectRefused(r, /2 of 2 samples ended in an error, so nothing was scored and results\.json and summary\.json were not written \(errored samples are not answers\):\n {2}2 × failed after 1 attempts; last: ETIMEDOUT: no complete response within 5 s/);
      expect(r.stderr).toMatch(/Fix the cause and rerun the same command: finished samples are kept and only the errored ones are generated again\. To score them as wrong answers instead, pass --allow-errored-samples/);
      expect(existsSync(join(runDirOf(ws), "summary.json"))).toBe(false);
    } finally {
      await silent.kill();
    }
  });

  test("while a server stays silent the progress line says what is awaited; first_byte_timeout finds it dead", async () => {
    const ws = makeWorkspace(1);
    const silent = await new FaultServer().start();
    silent.silent = true;
    try {
      const r = await cli(["evaluate", ...args(ws, [], `base_url=${silent.url},first_byte_timeout=3,max_retries=0`)]);
      expect(r.stderr).toMatch(/\] 0\/2 samples, waiting for the first answer from 1 endpoint, [56] s\n/);
      expect(r.stderr).toMatch(/warning: endpoint http:\/\/127\.0\.0\.1:\d+\/v1 taken out \(no answer for \d s, not even to GET \/models\)/);
      expectRefused(r, /2 of 2 samples ended in an error.*\n {2}2 × failed after 1 attempts; last: ESILENT: no answer for \d s, not even to GET \/models/);
    } finally {
      await silent.kill();
    }
  });

  test("--allow-errored-samples writes the results, scoring them as wrong, and says so", async () => {
    const ws = makeWorkspace(1);
    const closed = await new FaultServer().start();
    const url = closed.url;
    await closed.kill();
    const r = await cli(["generate", ...args(ws, ["--allow-errored-samples"], `base_url=${url},max_retries=0`)]);
    if (r.stderr.includes("no endpoint reachable")) return; // the backend stopped the run before any sample errored
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: 2 of 2 samples ended in an error; they are written as empty responses, as --allow-errored-samples asks/);
    expect(JSON.parse(read(runDirOf(ws), "results.json"))["0"].responses).toEqual([
      { content: "", correctness: null, reason: null },
      { content: "", correctness: null, reason: null },
    ]);
  });
});

describe("a resumed folder never pairs new questions with old responses", () => {
  test("another --data-file is refused, naming the data file's change; the same data resumes", async () => {
    const ws = makeWorkspace(2);
    expect((await cli(["evaluate", ...args(ws)])).code).toBe(0);
    const dir = runDirOf(ws);
    const run = JSON.parse(read(dir, "run.json"));
    expect(run.task).toMatchObject({ data_file: ws.dataFile, data_file_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const lines = read(dir, "samples.jsonl").trim().split("\n").map((l) => JSON.parse(l) as { prompt_hash: string });
    expect(lines.every((l) => /^[0-9a-f]{16}$/.test(l.prompt_hash))).toBe(true);

    const other = join(ws.dir, "other.jsonl");
    writeFileSync(other, read(ws.dir, "rows.jsonl").replace("What is 1+2?", "What is 7+7?"));
    const r = await cli(["evaluate", ...args(ws, ["--data-file", other])]);
    expectRefused(r, /holds samples of other prompts for 1 of 2 problems \(rows 1\): the data file \(\S+rows\.jsonl sha256 [0-9a-f]{12}…, now \S+other\.jsonl sha256 [0-9a-f]{12}…\) changed since they were generated, and reusing them would pair new questions with old responses\. Rerun with the earlier inputs, pass --overwrite to start afresh, or choose another --result-dir/);
    const same = await cli(["evaluate", ...args(ws)]);
    expect(same.code).toBe(0);
    expect(same.stderr).toMatch(/4\/4 samples already done/);
  });

  test("another --chat-template is refused", async () => {
    const ws = makeWorkspace(2);
    const a = join(ws.dir, "a.jinja");
    const b = join(ws.dir, "b.jinja");
    writeFileSync(a, "{% for m in messages %}<{{ m.role }}>{{ m.content }}\n{% endfor %}");
    writeFileSync(b, "{% for m in messages %}[{{ m.role }}] {{ m.content }}\n{% endfor %}");
    expect((await cli(["evaluate", ...args(ws, ["--chat-template", a])])).code).toBe(0);
    const r = await cli(["evaluate", ...args(ws, ["--chat-template", b])]);
    expectRefused(r, /holds samples of other prompts for 2 of 2 problems \(rows 0, 1\): the chat template \(sha256 [0-9a-f]{12}…, now [0-9a-f]{12}…\) changed/);
  });

  test("a --chat-template that is not a chat template (a JSONL file) is refused before anything runs", async () => {
    const ws = makeWorkspace(2);
    const r = await cli(["evaluate", ...args(ws, ["--chat-template", ws.dataFile])]);
    expectRefused(r, new RegExp(`--chat-template ${ws.dataFile} is not a chat template: it does not print the messages it is given`));
    expect(existsSync(ws.resultDir)).toBe(false);
  });
});

describe("score", () => {
  test("a task other than the run's is refused unless --allow-other-task", async () => {
    const ws = makeWorkspace(2);
    expect((await cli(["generate", ...args(ws)])).code).toBe(0);
    const dir = runDirOf(ws);
    const r = await cli(["score", "--run-dir", dir, "--task", "aime24"]);
    expectRefused(r, /was generated for task "tiny_math", not "aime24": pass --task tiny_math, or --allow-other-task to score its responses with aime24's handler and answers anyway/);
    const forced = await cli(["score", "--run-dir", dir, "--task", "aime24", "--allow-other-task", "--quiet"]);
    expect(forced.code).toBe(0);
    expect(JSON.parse(read(dir, "run.json")).scored_with_task).toBe("aime24");
  });

  test("a truncated results.json: the advice is the rerun that rebuilds it (not --overwrite first), and the rerun does", async () => {
    const ws = makeWorkspace(2);
    expect((await cli(["evaluate", ...args(ws)])).code).toBe(0);
    const dir = runDirOf(ws);
    const whole = read(dir, "results.json");
    truncateSync(join(dir, "results.json"), 100);
    const r = await cli(["score", "--run-dir", dir, "--task", "tiny_math", "--tasks-dir", ws.tasksDir]);
    expectRefused(r, /results\.json is not valid JSON \(line \d+: .*\); rerun the evaluate or generate command that made this folder: it rebuilds results\.json and summary\.json from samples\.jsonl without generating anything again \(--overwrite would throw the samples away\)/);
    const again = await cli(["evaluate", ...args(ws)]);
    expect(again.code).toBe(0);
    expect(read(dir, "results.json")).toBe(whole);
  });
});

describe("code tasks without a sandbox", () => {
  test("are refused before anything is generated unless --allow-unsandboxed-code, which run.json records", async () => {
    const ws = makeWorkspace(1);
    const taco = read(join(ROOT, "tasks"), "taco.yaml").replace(/dataset_path: .*/, "dataset_path: local/taco").replace(/dataset_subset: .*\n/, "");
    writeFileSync(join(ws.tasksDir, "tiny_taco.yaml"), taco);
    writeFileSync(ws.dataFile, JSON.stringify({ question: "Print 1.", input_output: '{"inputs": [""], "outputs": ["1"]}', difficulty: "EASY" }) + "\n");
    const env = { SKYTHOUGHT_SANDBOX: "rlimits" };
    const before = fake.server.requests();
    const r = await cli(["evaluate", ...args(ws, ["--task", "tiny_taco"])], env);
    expectRefused(r, /refusing to run generated code without a sandbox: SKYTHOUGHT_SANDBOX=rlimits is set\. .*Install bubblewrap \(Debian\/Ubuntu: apt-get install bubblewrap\), or accept the risk with --allow-unsandboxed-code/);
    expect(fake.server.requests()).toBe(before);
    expect(existsSync(ws.resultDir)).toBe(false);

    const allowed = await cli(["evaluate", ...args(ws, ["--task", "tiny_taco", "--allow-unsandboxed-code"])], env);
    expect(allowed.code).toBe(0);
    const dir = runDirOf(ws);
    expect(JSON.parse(read(dir, "run.json")).sandbox).toEqual({ kind: "rlimits", reason: "SKYTHOUGHT_SANDBOX=rlimits is set" });
    expectRefused(await cli(["score", "--run-dir", dir, "--task", "tiny_taco", "--tasks-dir", ws.tasksDir], env), /refusing to run generated code without a sandbox/);
    expect((await cli(["score", "--run-dir", dir, "--task", "tiny_taco", "--tasks-dir", ws.tasksDir, "--allow-unsandboxed-code", "--quiet"], env)).code).toBe(0);
  });
});

describe("evaluate --start / --end and --as-test", () => {
  test("--start/--end slice the rows and are part of the run's identity (its folder)", async () => {
    const ws = makeWorkspace(4);
    expect((await cli(["evaluate", ...args(ws, ["--start", "1", "--end", "3", "--quiet"])])).code).toBe(0);
    expect((await cli(["evaluate", ...args(ws, ["--quiet"])])).code).toBe(0);
    const folders = readdirSync(ws.resultDir);
    expect(folders).toHaveLength(2);
    const slicedDir = join(ws.resultDir, folders.find((f) => JSON.parse(read(join(ws.resultDir, f), "summary.json")).configuration.task.start === 1)!);
    expect(JSON.parse(read(slicedDir, "summary.json")).configuration.task).toMatchObject({ start: 1, end: 3 });
    expect(Object.keys(JSON.parse(read(slicedDir, "results.json")))).toEqual(["1", "2"]);
  });

  test("--as-test says when it overrides an explicit max_tokens (and run.json records it); with --start it is refused", async () => {
    const ws = makeWorkspace(2);
    const r = await cli(["evaluate", ...args(ws, ["--as-test"])]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: --as-test generates at most 2048 tokens per sample, not the max_tokens=64 you passed \(the run config and its hash keep 64, as upstream\)/);
    expect(JSON.parse(read(runDirOf(ws), "run.json")).sampling.overridden).toEqual({ max_tokens: { asked: 64, used: 2048, by: "--as-test" } });
    const noExplicit = await cli(["evaluate", ...args(makeWorkspace(2), ["--as-test"], undefined, "temperature=0.6")]);
    expect(noExplicit.code).toBe(0);
    expect(noExplicit.stderr).not.toMatch(/--as-test generates/);
    expectRefused(await cli(["evaluate", ...args(ws, ["--as-test", "--start", "1"])]), /--as-test takes rows 0 to 9; pass either it or --start\/--end/);
  });
});

// A real full disk: a 128 KiB tmpfs mounted in a user and mount namespace (util-linux unshare, as
// an unprivileged user; no root needed), nearly filled, as the run folder's filesystem.
const canMountTmpfs = spawnSync("unshare", ["--user", "--map-root-user", "--mount", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"]).status === 0;

describe("a full disk", () => {
  test.skipIf(!canMountTmpfs)("says where and what to do, in one line; after space is freed the rerun finishes with nothing lost", async () => {
    const ws = makeWorkspace(12);
    const clean = await cli(["evaluate", ...args(ws, ["--quiet"])]);
    expect(clean.code).toBe(0);
    const cleanDir = runDirOf(ws);
    const mnt = join(ws.dir, "small-disk");
    const out = join(ws.dir, "outside");
    mkdirSync(mnt);
    mkdirSync(out);
    const q = (a: string) => `'${a.replaceAll("'", "'\\''")}'`;
    const command = [process.execPath, CLI, "evaluate", ...args(ws, ["--result-dir", join(mnt, "runs")])].map(q).join(" ");
    const script = [
      `mount -t tmpfs -o size=128k tmpfs ${q(mnt)}`,
      `head -c 118784 /dev/zero > ${q(join(mnt, "filler"))}`,
      `${command} >/dev/null 2>${q(join(out, "first.err"))}; echo $? > ${q(join(out, "first.code"))}`,
      `cp -r ${q(join(mnt, "runs"))} ${q(join(out, "first"))}`,
      `rm ${q(join(mnt, "filler"))}`,
      `${command} >/dev/null 2>${q(join(out, "second.err"))}; echo $? > ${q(join(out, "second.code"))}`,
      `cp -r ${q(join(mnt, "runs"))} ${q(join(out, "second"))}`,
    ].join("\n");
    // Not spawnSync: the fake server answering the CLI runs in this process.
    const child = spawn("unshare", ["--user", "--map-root-user", "--mount", "sh", "-c", script], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (c) => (stderr += c));
    const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(status, stderr).toBe(0);
    const folder = readdirSync(join(out, "first"))[0]!;
    const firstErr = read(out, "first.err");
    expect(read(out, "first.code").trim()).toBe("1");
    expect(firstErr).toMatch(new RegExp(`^error: disk full at ${mnt}/runs/${folder}/(samples\\.jsonl|run\\.json|results\\.json|summary\\.json); free space and rerun to resume$`, "m"));
    expect(firstErr).not.toMatch(/\n\s+at |ENOSPC/);
    // What the first session kept is whole lines (a torn last one is dropped on resume).
    const kept = read(join(out, "first", folder), "samples.jsonl").split("\n").slice(0, -1);
    for (const line of kept) expect(() => JSON.parse(line)).not.toThrow();

    expect(read(out, "second.code").trim()).toBe("0");
    expect(read(out, "second.err")).toMatch(new RegExp(`${kept.length}/24 samples already done`));
    expect(read(join(out, "second", folder), "results.json")).toBe(read(cleanDir, "results.json"));
    expect(read(join(out, "second", folder), "summary.json")).toBe(read(cleanDir, "summary.json"));
  });
});
