"""Rollouts with writes going on (writers.py): every pod restarted in turn as a StatefulSet update does
(SIGTERM to the container's entrypoint, its replacement at a new IP once it is gone longer than
node-timeout, the next pod once this one is ready). `run` hands a master's slots to its caught-up replica
before its server stops, so no shard stops taking writes for more than a moment, and no acknowledged write
is lost."""

import os
import subprocess
import threading
import time

from lib.processes import wait_for
from writers import start_writers

NODE_TIMEOUT_MS = 5000
AWAY = 6.0  # seconds from a pod's stop to its replacement's start: longer than node-timeout
MAX_GAP = 1.0  # the longest a shard may go without a write during a rollout


def ready(cluster, pod):
    env = {**os.environ, **cluster.agent_environment(), "HOSTNAME": pod.name}
    probe = subprocess.run(["ip", "netns", "exec", pod.netns, cluster.binary, "probe", "readiness"],
                           capture_output=True, text=True, env=env, timeout=30)
    return probe.returncode == 0


def roll(cluster, pod):
    """One pod of a StatefulSet update: stopped gracefully, replaced at a new IP, ready again."""
    pod.stop(timeout=30)
    time.sleep(AWAY)
    pod.start(new_ip=True)
    wait_for(lambda: ready(cluster, pod), 60, interval=0.5, what=f"{pod.name} to be ready again")


def writing(cluster):
    writers = start_writers(cluster)
    wait_for(lambda: all(len(w.acknowledged) > 20 for w in writers), 20, what="every writer to get acknowledged writes")
    return writers


def finish(cluster, writers):
    time.sleep(1)
    for writer in writers:
        writer.stop()
    for writer in writers:
        print(f"shard {writer.shard}: {len(writer.successes)} writes, {len(writer.acknowledged)} acknowledged, "
              f"longest gap {writer.longest_gap():.2f} s, {writer.errors} errors")
    for writer in writers:
        assert writer.lost() == [], f"shard {writer.shard} lost acknowledged writes"
    cluster.assert_healthy(designated_roles=False, keys=20)


def test_rolling_restart_keeps_every_shard_writable(ground):
    """The `ordinal` layout's single StatefulSet: one pod at a time, highest ordinal first."""
    cluster = ground(3, 1, layout="ordinal", name="roll", node_timeout_ms=NODE_TIMEOUT_MS)
    cluster.start_all()
    cluster.assert_healthy(keys=10)
    writers = writing(cluster)
    for pod in sorted(cluster.pods, key=lambda p: p.name.rsplit("-", 1)[1].zfill(3), reverse=True):
        roll(cluster, pod)
    finish(cluster, writers)
    for writer in writers:
        assert writer.longest_gap() <= MAX_GAP, f"shard {writer.shard} took no write for {writer.longest_gap():.2f} s"
    for pod in cluster.pods:
        log = open(pod.agent_log).read()
        assert "SIGTERM: handing over before the server stops" in log, pod.name


def test_parallel_rollout_of_the_shards_statefulsets(ground):
    """The `shards` layout: each shard's StatefulSet rolls at once, so every master hands over together."""
    cluster = ground(3, 1, name="par", node_timeout_ms=NODE_TIMEOUT_MS)
    cluster.start_all()
    cluster.assert_healthy(keys=10)
    writers = writing(cluster)

    def roll_shard(shard):
        for ordinal in (1, 0):
            roll(cluster, cluster.pod(shard, ordinal))

    threads = [threading.Thread(target=roll_shard, args=(shard,)) for shard in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    finish(cluster, writers)
    for writer in writers:
        assert writer.longest_gap() <= MAX_GAP, f"shard {writer.shard} took no write for {writer.longest_gap():.2f} s"


def test_a_killed_master_stops_its_shard_for_node_timeout_and_loses_nothing(ground):
    """No handover is possible when a master is killed: the comparison. Its shard waits for node-timeout
    and an election; still no acknowledged write is lost."""
    cluster = ground(3, 1, name="kil", node_timeout_ms=NODE_TIMEOUT_MS)
    cluster.start_all()
    cluster.assert_healthy(keys=10)
    writers = writing(cluster)
    master = cluster.pod(1, 0)
    master.kill()
    time.sleep(AWAY)
    master.start(new_ip=True)
    wait_for(lambda: ready(cluster, master), 60, interval=0.5, what=f"{master.name} to be ready again")
    finish(cluster, writers)
    assert writers[1].longest_gap() > NODE_TIMEOUT_MS / 1000, "a killed master's shard was writable before node-timeout"


def test_a_handover_to_an_unreachable_replica_is_bounded(ground):
    """The replica is cut off when its master gets SIGTERM: the handover gives up within --handover-timeout,
    the server stops, Redis fails the shard over once the replica is back, and nothing acknowledged is lost."""
    cluster = ground(3, 1, name="cut", node_timeout_ms=NODE_TIMEOUT_MS)
    cluster.start_all()
    cluster.assert_healthy(keys=10)
    writers = writing(cluster)
    master, replica = cluster.pod(2, 0), cluster.pod(2, 1)
    replica.cut()
    time.sleep(3)  # the master sees its replica's acknowledgements stop
    started = time.monotonic()
    master.stop(timeout=30)
    took = time.monotonic() - started
    log = open(master.agent_log).read()
    assert "stopping without a handover" in log or "no handover within 10 s" in log, log[-3000:]
    assert took < 15, f"the stop took {took:.1f} s"
    replica.heal()
    time.sleep(AWAY)
    master.start(new_ip=True)
    wait_for(lambda: ready(cluster, master), 90, interval=0.5, what=f"{master.name} to be ready again")
    finish(cluster, writers)
