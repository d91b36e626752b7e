"""A StatefulSet update in the proving ground, for the rollout scenarios and the benchmark: pods stopped
gracefully one after another (SIGTERM to the container's entrypoint), each replaced at a new IP, the next
once this one is ready, with one writer per shard going on (writers.py)."""

import os
import subprocess
import time

from lib.processes import wait_for
from writers import start_writers

AWAY = 6.0  # seconds from a pod's stop to its replacement's start: longer than the scenarios' node-timeout


def ready(cluster, pod):
    """`redis-init probe readiness` inside the pod, as the kubelet runs it."""
    env = {**os.environ, **cluster.agent_environment(), "HOSTNAME": pod.name}
    probe = subprocess.run(["ip", "netns", "exec", pod.netns, cluster.binary, "probe", "readiness"],
                           capture_output=True, text=True, env=env, timeout=30)
    return probe.returncode == 0


def roll(cluster, pod, away=AWAY):
    """One pod of a StatefulSet update: stopped gracefully, replaced at a new IP, ready again."""
    pod.stop(timeout=30)
    time.sleep(away)
    pod.start(new_ip=True)
    wait_for(lambda: ready(cluster, pod), 60, interval=0.5, what=f"{pod.name} to be ready again")


def statefulset_order(cluster):
    """The order of a StatefulSet update: highest ordinal first."""
    return sorted(cluster.pods, key=lambda p: int(p.name.rsplit("-", 1)[1]), reverse=True)


def writing(cluster):
    """One writer per shard, started, each with some acknowledged writes."""
    writers = start_writers(cluster)
    wait_for(lambda: all(len(w.acknowledged) > 20 for w in writers), 20, what="every writer to get acknowledged writes")
    return writers
