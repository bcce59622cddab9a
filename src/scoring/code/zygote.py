# The "zygote" each sandbox slot runs (src/scoring/code/launcher.ts passes this file's text to
# `python3 -c`): a long-lived interpreter, started once inside bubblewrap, that forks one child per
# execution. Forking a warm interpreter costs milliseconds where a fresh `bwrap` + `python3` costs
# ~100 ms on a loaded two-core machine, and the APPS/TACO prelude's numpy import (~300 ms) is paid
# once per slot instead of once per test.
#
# Protocol: one JSON request per line on stdin, one JSON response per line on stdout.
#   request  {code, stdin, timeoutMs, memoryMb, outputBytes}
#   response {status, exitCode, signal, stdout, stderr, wallMs}
# argv: [root dir the program may write under, mode, comma-separated modules to preload], where mode
# is "ns" (inside bwrap: kill(-1) after a run and wipe /dev/shm), "uid" (a uid of its own: kill(-1))
# or "group" (shares the user's uid: only the run's process group can be killed).

import os, sys, json, signal, resource, select, shutil, time, types, builtins, traceback, ctypes
import atexit, gc

ROOT = sys.argv[1]
MODE = sys.argv[2]
KILL_ALL = MODE in ("ns", "uid")
for name in filter(None, sys.argv[3].split(",")):
    try:
        __import__(name)
    except Exception:
        pass

libc = ctypes.CDLL(None, use_errno=True)
libc.prctl(4, 0, 0, 0, 0)   # PR_SET_DUMPABLE 0: a child cannot ptrace or read this process
libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER: orphans of a run come back here to be reaped

ctl_in = os.fdopen(os.dup(0), "rb")
ctl_out = os.fdopen(os.dup(1), "wb")
null = os.open(os.devnull, os.O_RDWR)
os.dup2(null, 0)
os.dup2(null, 1)
# The children's text streams on fds 0-2, made once here (and never used here): building them in
# every child would cost it page faults (see gc.freeze below).
STDIO = (open(0, "r", encoding="utf-8", closefd=False),
         open(1, "w", encoding="utf-8", closefd=False),
         open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False, buffering=1))
WORK = os.path.join(ROOT, "work")
IN_PATH = os.path.join(ROOT, ".stdin")
OUT_PATH = os.path.join(ROOT, ".stdout")
ERR_PATH = os.path.join(ROOT, ".stderr")


def unlock(path):
    """A program may have made its directories unreadable; it owns them, so undo that (top-down,
    before each directory is listed)."""
    os.chmod(path, 0o700)
    for parent, dirs, _ in os.walk(path):
        for name in dirs:
            full = os.path.join(parent, name)
            if not os.path.islink(full):
                os.chmod(full, 0o700)


def wipe(path):
    for entry in os.listdir(path):
        full = os.path.join(path, entry)
        try:
            if os.path.isdir(full) and not os.path.islink(full):
                unlock(full)
                shutil.rmtree(full, ignore_errors=True)
            else:
                os.unlink(full)
        except (OSError, RecursionError):
            pass


def clean():
    """Empties the writable places; False if something could not be removed."""
    # The usual leftovers go without a directory walk.
    for path in (os.path.join(WORK, "main.py"), WORK, IN_PATH, OUT_PATH, ERR_PATH):
        try:
            (os.rmdir if path == WORK else os.unlink)(path)
        except OSError:
            pass
    places = [ROOT, "/dev/shm"] if MODE == "ns" else [ROOT]
    for place in places:
        if os.listdir(place):
            wipe(place)
    return not any(os.listdir(place) for place in places)


def exit_status(exc):
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    try:
        print(code, file=sys.stderr)
    except Exception:
        pass
    return 1


def child(req, path, compiled):
    os.setsid()
    fds = [os.open(IN_PATH, os.O_RDONLY),
           os.open(OUT_PATH, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
           os.open(ERR_PATH, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)]
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    os.closerange(3, 1 << 16)
    os.chdir(WORK)
    cpu = max(1, -(-req["timeoutMs"] // 1000) + 1)
    memory = req["memoryMb"] << 20
    for limit, value in ((resource.RLIMIT_CPU, (cpu, cpu + 1)),
                         (resource.RLIMIT_AS, (memory, memory)),
                         (resource.RLIMIT_NPROC, (req["maxProcesses"], req["maxProcesses"])),
                         (resource.RLIMIT_FSIZE, (req["outputBytes"], req["outputBytes"])),
                         (resource.RLIMIT_NOFILE, (256, 256)),
                         (resource.RLIMIT_CORE, (0, 0))):
        resource.setrlimit(limit, value)
    sys.stdin = sys.__stdin__ = STDIO[0]
    sys.stdout = sys.__stdout__ = STDIO[1]
    sys.stderr = sys.__stderr__ = STDIO[2]
    main = types.ModuleType("__main__")
    main.__file__ = path
    main.__builtins__ = builtins
    sys.modules["__main__"] = main
    sys.argv = [path]
    sys.path.insert(0, WORK)
    status = 0
    try:
        if isinstance(compiled, BaseException):
            raise compiled
        exec(compiled, main.__dict__)
    except SystemExit as exc:
        status = exit_status(exc)
    except BaseException as exc:
        # Skip this frame so the traceback starts at main.py, as with "python3 main.py".
        traceback.print_exception(type(exc), exc, exc.__traceback__.tb_next)
        status = 1
    try:
        # Not imported up front: its fork hooks would cost every child ~150 page faults.
        threading = sys.modules.get("threading")
        if threading is not None:
            threading._shutdown()
        atexit._run_exitfuncs()
    except BaseException:
        traceback.print_exc()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            status = status or 120
    os._exit(status)


def read_capped(path, limit):
    try:
        with open(path, "rb") as f:
            return f.read(limit).decode("utf-8", "replace")
    except OSError:
        return ""


def children():
    me = str(os.getpid())
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as f:
                    if f.read().rsplit(")", 1)[1].split()[1] == me:
                        found.append(int(entry))
            except (OSError, IndexError):
                pass
    return found


def kill_everything(pid):
    """Kills the run's whole tree, including children that left its session, and reaps it all:
    every orphan of a run is reparented to this process (a child subreaper), so "no child left"
    means nothing of the run is left."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass
    while True:
        try:
            waited, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if waited:
            continue
        if KILL_ALL:
            try:
                os.kill(-1, signal.SIGKILL)
            except OSError:
                pass
        else:
            for child in children():
                try:
                    os.kill(child, signal.SIGKILL)
                except OSError:
                    pass
        time.sleep(0.001)


def size_of(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def run(req):
    os.mkdir(WORK, 0o700)
    path = os.path.join(WORK, "main.py")
    with open(path, "w", encoding="utf-8") as f:
        f.write(req["code"])
    with open(IN_PATH, "w", encoding="utf-8") as f:
        f.write(req["stdin"])
    # Compiled here, not in the child: the child would pay a page fault for every page compiling touches.
    try:
        compiled = compile(req["code"], path, "exec")
    except BaseException as exc:
        compiled = exc.with_traceback(None)
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            child(req, path, compiled)
        finally:
            os._exit(121)
    pidfd = os.pidfd_open(pid)
    ready, _, _ = select.select([pidfd], [], [], req["timeoutMs"] / 1000)
    timed_out = not ready
    if timed_out:
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
    _, wait_status = os.waitpid(pid, 0)
    os.close(pidfd)
    wall = (time.monotonic() - started) * 1000
    kill_everything(pid)
    res = {"wallMs": round(wall, 1), "exitCode": None, "signal": None,
           "stdout": read_capped(OUT_PATH, req["outputBytes"]),
           "stderr": read_capped(ERR_PATH, req["outputBytes"])}
    if timed_out:
        res["status"] = "timeout"
    elif os.WIFSIGNALED(wait_status):
        sig = os.WTERMSIG(wait_status)
        res["signal"] = signal.Signals(sig).name
        res["status"] = "timeout" if sig == signal.SIGXCPU else "killed"
    else:
        res["exitCode"] = os.WEXITSTATUS(wait_status)
        res["status"] = "ok" if res["exitCode"] == 0 else "error"
    if max(size_of(OUT_PATH), size_of(ERR_PATH)) >= req["outputBytes"]:
        res["stderr"] += "\n[sandbox] output larger than %d bytes: cut there, and writing more failed" % req["outputBytes"]
    res["dirty"] = not clean()
    return res


# Forked children write to memory they share with this process copy-on-write; every page they touch
# is a page fault. Freezing the heap keeps the children's garbage collector off the shared objects.
gc.freeze()
clean()
ctl_out.write(b'{"ready":true}\n')
ctl_out.flush()
for line in ctl_in:
    try:
        reply = run(json.loads(line))
    except Exception as exc:
        reply = {"status": "error", "exitCode": None, "signal": None, "stdout": "",
                 "stderr": "[sandbox] " + repr(exc), "wallMs": 0, "dirty": True}
    ctl_out.write(json.dumps(reply).encode("utf-8") + b"\n")
    ctl_out.flush()
    if reply["dirty"]:
        # What a run left behind could not be removed: end, and let a fresh sandbox take this slot.
        break
