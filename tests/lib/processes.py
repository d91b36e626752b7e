"""Processes a test started, tracked by PID and stopped by PID: never by pattern."""

import glob
import random
import signal
import socket
import subprocess
import time


class Processes:
    def __init__(self):
        self.procs = []

    def start(self, argv, stop_signal=signal.SIGTERM, **kwargs):
        """`stop_signal` is what `close` sends: SIGINT for `redis-init run`, which on SIGTERM first hands
        a master over (up to 10 s) where SIGINT reaches the server at once."""
        proc = subprocess.Popen(argv, **kwargs)
        proc.stop_signal = stop_signal
        self.procs.append(proc)
        return proc

    def stop(self, proc, sig=signal.SIGTERM, timeout=10):
        if proc.poll() is None:
            proc.send_signal(sig)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def close(self):
        for proc in reversed(self.procs):
            self.stop(proc, sig=proc.stop_signal)


def wait_for(predicate, timeout, interval=0.1, what="condition"):
    """Polls `predicate` until it returns something true; raises with the last answer on timeout."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
            if last:
                return last
        except Exception as error:  # the thing waited for may not answer yet
            last = error
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}; last: {last!r}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_cluster_port():
    """A free port whose cluster bus port (port + 10000) is free too."""
    while True:
        port = random.randrange(20000, 55000)
        try:
            with socket.socket() as a, socket.socket() as b:
                a.bind(("127.0.0.1", port))
                b.bind(("127.0.0.1", port + 10000))
            return port
        except OSError:
            continue


def processes_holding(secret):
    """The /proc files (argv or environment of any process on the machine) that hold `secret`."""
    found = []
    for path in glob.glob("/proc/[0-9]*/cmdline") + glob.glob("/proc/[0-9]*/environ"):
        try:
            with open(path, "rb") as f:
                if secret.encode() in f.read():
                    found.append(path)
        except OSError:
            continue
    return found
