"""What every bench driver needs: run a command to completion and measure it.

The command runs under a small launcher (this file run as a script), which starts it, reaps
it with wait4 and hands back its wall time, peak RSS and CPU time. Reaping it here directly
would not do: Linux makes a process's peak RSS the floor of the peak that wait4 reports for
every child it starts (exec records the high-water mark of the memory map it replaces, which a
vfork child shares with its parent), so a driver that had grown to hundreds of MB would report
that much for every small command after. The launcher starts small, so its child's figure is
the command's own.
"""
import json
import os
import subprocess
import sys
import tempfile
import time


def measured(cmd, cwd=None, with_stderr=False):
    """Runs cmd; returns (stdout — with stderr appended when asked —, wall seconds, peak RSS
    in MB of the command). A failing command ends the benchmark with its stderr."""
    out, wall, rss, _ = measured_with_cpu(cmd, cwd, with_stderr)
    return out, wall, rss


def measured_with_cpu(cmd, cwd=None, with_stderr=False):
    """As `measured`, and the command's CPU seconds (user + system, all its threads) last."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err, \
            tempfile.NamedTemporaryFile("r", suffix=".json") as result:
        proc = subprocess.run([sys.executable, os.path.abspath(__file__), result.name, *cmd], stdout=out, stderr=err, text=True, cwd=cwd)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
        figures = json.loads(open(result.name).read() or "{}")
    if proc.returncode != 0 or not figures:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stderr[-3000:]}")
    return (stdout + stderr if with_stderr else stdout), figures["wall"], figures["rss_kb"] / 1024, figures["cpu"]


def launch(result_path, cmd):
    """The launcher: runs cmd with this process's stdin/stdout/stderr, writes its wall
    seconds, peak RSS (KiB) and CPU seconds to result_path, and exits with its status."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    with open(result_path, "w") as f:
        json.dump({"wall": wall, "rss_kb": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime}, f)
    sys.exit(code if code >= 0 else 128 - code)


if __name__ == "__main__":
    launch(sys.argv[1], sys.argv[2:])
