import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { closeSharedPool, runPython, sandboxLauncher } from "../../src/scoring/code/index.js";

// Real programs, including hostile ones: each must be contained and the next run must still work.
const SECRET = "skythought-test-secret-9f2c";

beforeAll(() => {
  process.env.SKYTHOUGHT_TEST_SECRET = SECRET;
});
afterAll(() => closeSharedPool());

async function stillWorks(): Promise<void> {
  const r = await runPython("print(6 * 7)");
  expect(r).toMatchObject({ status: "ok", stdout: "42\n", exitCode: 0 });
}

describe("runPython basics", () => {
  test("runs a program as __main__ with stdin", async () => {
    const r = await runPython("import sys\nif __name__ == '__main__':\n    print(sys.stdin.read().upper(), end='')", { stdin: "abc\n" });
    expect(r).toEqual({ status: "ok", stdout: "ABC\n", stderr: "", exitCode: 0 });
  });

  test("sys.stdin.buffer, open(0) and sys.exit behave as in python3", async () => {
    const buffer = await runPython("import sys\nprint(sys.stdin.buffer.read().decode().upper(), end='')", { stdin: "abc" });
    expect(buffer.stdout).toBe("ABC");
    const fd0 = await runPython("print(open(0).read().split())", { stdin: "1 2\n3\n" });
    expect(fd0.stdout).toBe("['1', '2', '3']\n");
    const exit = await runPython("import sys\nprint('bye')\nsys.exit(3)");
    expect(exit).toMatchObject({ status: "error", stdout: "bye\n", exitCode: 3 });
    const exit0 = await runPython("print('done')\nexit()");
    expect(exit0).toMatchObject({ status: "ok", stdout: "done\n", exitCode: 0 });
  });

  test("an exception is an error with the traceback on stderr", async () => {
    const r = await runPython("def f():\n    raise ValueError('boom')\nf()");
    expect(r.status).toBe("error");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/File "[^"]*main\.py", line 3[\s\S]*ValueError: boom/);
  });

  test("a syntax error is an error", async () => {
    const r = await runPython("def f(:\n  pass");
    expect(r).toMatchObject({ status: "error", exitCode: 1 });
    expect(r.stderr).toContain("SyntaxError");
  });

  test("multiprocessing and threads work as in python3", async () => {
    const pool = "from multiprocessing import Pool\ndef sq(x):\n    return x * x\nif __name__ == '__main__':\n    with Pool(2) as p:\n        print(sum(p.map(sq, range(100))))";
    expect(await runPython(pool, { timeoutMs: 30_000 })).toMatchObject({ status: "ok", stdout: "328350\n" });
    const threads = "import threading\nthreading.Thread(target=lambda: print('from a thread')).start()";
    expect(await runPython(threads)).toMatchObject({ status: "ok", stdout: "from a thread\n" });
  });

  test("bad options are rejected", async () => {
    await expect(runPython("print(1)", { timeoutMs: -1 })).rejects.toThrow(/timeoutMs must be a positive integer/);
  });
});

describe("hostile programs are contained", () => {
  test("infinite loop: timeout, and the harness keeps going", async () => {
    const started = Date.now();
    const r = await runPython("while True:\n    pass", { timeoutMs: 1000 });
    expect(r.status).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(8000);
    await stillWorks();
  });

  test("sleeping past the wall clock: timeout", async () => {
    const r = await runPython("import time\ntime.sleep(30)", { timeoutMs: 500 });
    expect(r.status).toBe("timeout");
  });

  test("fork bomb: cannot exceed the process limit and leaves nothing behind", async () => {
    const bomb = [
      "import os, time",
      "n = 0",
      "try:",
      "    while True:",
      "        if os.fork() == 0:",
      "            time.sleep(60)",
      "            os._exit(0)",
      "        n += 1",
      "except OSError as e:",
      "    print('blocked after', n, e.errno)",
    ].join("\n");
    const r = await runPython(bomb, { timeoutMs: 5000 });
    expect(r.stdout).toMatch(/^blocked after \d+ 11\n$/);
    expect(Number(r.stdout.split(" ")[2])).toBeLessThan(100);
    await stillWorks();
  });

  test("memory hog: fails inside its limit", async () => {
    const r = await runPython("x = bytearray(3 << 30)\nprint('allocated')", { memoryMb: 512 });
    expect(r.status).toBe("error");
    expect(r.stderr).toContain("MemoryError");
    expect(r.stdout).toBe("");
    await stillWorks();
  });

  test("huge output: capped, and the writer is stopped", async () => {
    const r = await runPython("import sys\nwhile True:\n    sys.stdout.write('x' * 65536)", { outputBytes: 1 << 20, timeoutMs: 10_000 });
    expect(["error", "killed"]).toContain(r.status);
    expect(r.stdout.length).toBeLessThanOrEqual(1 << 20);
    expect(r.stderr).toContain("[sandbox] output larger than 1048576 bytes");
    await stillWorks();
  });

  test("the environment carries no secrets of the parent", async () => {
    const r = await runPython("import os\nprint(sorted(os.environ))\nprint(repr(dict(os.environ)))");
    expect(r.status).toBe("ok");
    expect(r.stdout).not.toContain(SECRET);
    expect(r.stdout).not.toContain("SKYTHOUGHT_TEST_SECRET");
  });
});

describe("isolation (bubblewrap)", async () => {
  const launcher = await sandboxLauncher();
  const bwrapOnly = test.skipIf(launcher.kind !== "bwrap");

  bwrapOnly("no network", async () => {
    const r = await runPython(
      "import socket\ns = socket.socket()\ns.settimeout(2)\ntry:\n    s.connect(('1.1.1.1', 80))\n    print('connected')\nexcept OSError as e:\n    print('blocked', e.errno)",
    );
    expect(r.stdout).toMatch(/^blocked/);
    const dns = await runPython("import socket\ntry:\n    socket.getaddrinfo('example.com', 80)\n    print('resolved')\nexcept OSError:\n    print('blocked')");
    expect(dns.stdout).toBe("blocked\n");
  });

  bwrapOnly("cannot write outside its temp dir, can write inside it", async () => {
    const targets = ["/usr/skythought-x", "/etc/skythought-x", `${process.cwd()}/skythought-x`, "/root/skythought-x", "/dev/skythought-x"];
    const code = [
      "import json, os",
      `out = {}`,
      `for path in ${JSON.stringify(targets)}:`,
      "    try:",
      "        open(path, 'w').write('x')",
      "        out[path] = 'written'",
      "    except OSError as e:",
      "        out[path] = e.strerror",
      "open('mine.txt', 'w').write('ok')",
      "out['cwd'] = os.getcwd()",
      "out['mine'] = open('mine.txt').read()",
      "print(json.dumps(out))",
    ].join("\n");
    const r = await runPython(code);
    const out = JSON.parse(r.stdout) as Record<string, string>;
    for (const path of targets) expect(out[path], path).not.toBe("written");
    expect(out.mine).toBe("ok");
    const { existsSync } = await import("node:fs");
    for (const path of targets) expect(existsSync(path), path).toBe(false);
  });

  bwrapOnly("sees neither the home directory nor the project", async () => {
    const code = [
      "import os",
      "for path in ['/root', os.path.expanduser('~/.ssh'), '/root/.ssh/id_rsa', " + JSON.stringify(process.cwd()) + ", '/home']:",
      "    print(path, os.path.exists(path))",
    ].join("\n");
    const r = await runPython(code);
    expect(r.status).toBe("ok");
    for (const line of r.stdout.trim().split("\n")) expect(line).toMatch(/ False$/);
  });

  bwrapOnly("files from one run are gone in the next", async () => {
    await runPython("open('/tmp/left-behind', 'w').write('x')\nopen('here', 'w').write('x')");
    const r = await runPython("import os\nprint(os.path.exists('/tmp/left-behind'), os.path.exists('here'))");
    expect(r.stdout).toBe("False False\n");
  });

  bwrapOnly("killing its parent only ends its own run", async () => {
    const r = await runPython("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nimport time\ntime.sleep(5)");
    expect(r.status).toBe("killed");
    await stillWorks();
  });

  bwrapOnly("orphaned sleeping children are killed when the run ends", async () => {
    const code = [
      "import os, subprocess, time",
      "subprocess.Popen(['sleep', '300'], start_new_session=True)",
      "if os.fork() == 0:",
      "    os.setsid()",
      "    if os.fork() == 0:",
      "        time.sleep(300)",
      "    os._exit(0)",
      "print('spawned')",
    ].join("\n");
    const r = await runPython(code);
    expect(r.stdout).toBe("spawned\n");
    // Only the sandbox's init and the zygote may remain next to the new program.
    const after = await runPython("import os\nprint(len([p for p in os.listdir('/proc') if p.isdigit()]))");
    expect(Number(after.stdout)).toBeLessThanOrEqual(3);
  });
});

test("parallel runs all complete and stay separate", async () => {
  const results = await Promise.all(
    Array.from({ length: 12 }, (_, i) => runPython(`import sys\nprint(int(sys.stdin.read()) * 2)`, { stdin: String(i) })),
  );
  expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 12 }, (_, i) => `${i * 2}\n`));
});

test("files a run made unreadable are still removed", async () => {
  const code = [
    "import os",
    "os.makedirs('locked/inner')",
    "open('locked/inner/f', 'w').write('x')",
    "os.chmod('locked/inner', 0)",
    "os.chmod('locked', 0o500)",
    "print('locked')",
  ].join("\n");
  expect((await runPython(code)).stdout).toBe("locked\n");
  const after = await runPython("import os\nprint(os.listdir('.'), os.path.exists('/tmp/work/locked'))");
  expect(after.stdout).toBe("['main.py'] False\n");
});

test("a tree too deep to remove gets the slot a fresh sandbox", async () => {
  const deep = "import os\nfor _ in range(1500):\n    os.mkdir('d')\n    os.chdir('d')\nprint('deep')";
  expect((await runPython(deep)).stdout).toBe("deep\n");
  const after = await runPython("import os\nprint(os.listdir('.'))");
  expect(after).toMatchObject({ status: "ok", stdout: "['main.py']\n" });
});

test("closing the pool ends a running program instead of leaving it pending", async () => {
  const { SandboxPool } = await import("../../src/scoring/code/index.js");
  const pool = new SandboxPool({ size: 1 });
  await runPython("pass", { pool });
  const running = runPython("import time\ntime.sleep(30)", { pool, timeoutMs: 60_000 });
  await new Promise((r) => setTimeout(r, 300));
  pool.close();
  expect((await running).status).toBe("killed");
  expect((await runPython("print('again')", { pool })).stdout).toBe("again\n");
  pool.close();
});
