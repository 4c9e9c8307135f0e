"""What every bench driver needs: run a command to completion and measure it."""
import os
import subprocess
import sys
import tempfile
import time


def measured(cmd, cwd=None, with_stderr=False):
    """Runs cmd; returns (stdout — with stderr appended when asked —, wall seconds, peak RSS
    in MB of the child, from wait4: the child is reaped here, not by communicate). A failing
    command ends the benchmark with its stderr."""
    out, wall, rss, _ = measured_with_cpu(cmd, cwd, with_stderr)
    return out, wall, rss


def measured_with_cpu(cmd, cwd=None, with_stderr=False):
    """As `measured`, and the child's CPU seconds (user + system, all its threads) last."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{' '.join(cmd)} failed ({code}):\n{stderr[-3000:]}")
    return (stdout + stderr if with_stderr else stdout), wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
