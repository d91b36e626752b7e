"""Rollouts with writes going on (writers.py): every pod restarted in turn as a StatefulSet update does
(SIGTERM to the container's entrypoint, its replacement at a new IP once it is gone longer than
node-timeout, the next pod once this one is ready). `run` hands a master's slots to its caught-up replica
before its server stops, so no shard stops taking writes for more than a moment, and no acknowledged write
is lost."""

import threading
import time

from lib.processes import wait_for
from rollout import AWAY, ready, roll, statefulset_order, writing

NODE_TIMEOUT_MS = 5000
MAX_GAP = 1.0  # the longest a shard may go without a write during a rollout


def finish(cluster, writers):
    time.sleep(1)
    for writer in writers:
        writer.stop()
    for writer in writers:
        print(f"shard {writer.shard}: {len(writer.successes)} writes, {len(writer.acknowledged)} acknowledged, "
              f"{writer.errors} errors; {writer.gap_report()}")
    for writer in writers:
        assert writer.lost() == [], f"shard {writer.shard} lost acknowledged writes"
    cluster.assert_healthy(designated_roles=False, keys=20)


def test_rolling_restart_keeps_every_shard_writable(ground):
    """The `ordinal` layout's single StatefulSet: one pod at a time, highest ordinal first."""
    cluster = ground(3, 1, layout="ordinal", name="roll", node_timeout_ms=NODE_TIMEOUT_MS)
    cluster.start_all()
    cluster.assert_healthy(keys=10)
    writers = writing(cluster)
    for pod in statefulset_order(cluster):
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


UPGRADE_CHAIN = ["redis-6.2", "redis-7.0", "redis-7.2", "valkey-8.0", "valkey-8.1"]


def test_rolling_upgrade_through_every_server(ground):
    """6.2 -> 7.0 -> 7.2 -> Valkey 8.0 -> Valkey 8.1: each step a StatefulSet update with a new server
    binary on the same data directories, writes going on. While a 6.2 node remains, the 7.0 nodes do not
    announce their hostnames (6.2 drops every ping that carries one, and the cluster would split)."""
    cluster = ground(3, 1, layout="ordinal", name="up", server=UPGRADE_CHAIN[0], node_timeout_ms=NODE_TIMEOUT_MS)
    cluster.start_all()
    cluster.assert_healthy(keys=10)
    writers = writing(cluster)
    gaps = {}
    for server in UPGRADE_CHAIN[1:]:
        started = time.monotonic()
        for pod in statefulset_order(cluster):
            pod.server = server
            roll(cluster, pod, away=1.0)
        cluster.assert_healthy(designated_roles=False, keys=10)
        gaps[server] = {writer.shard: writer.longest_gap(since=started, until=time.monotonic()) for writer in writers}
        print(f"upgraded to {server}: longest write gap per shard {gaps[server]}")
    finish(cluster, writers)
    held = [pod.name for pod in cluster.pods if "not announcing this node's hostname yet" in open(pod.agent_log).read()]
    assert held, "no 7.0 node held its hostname while 6.2 nodes remained"
    for server, by_shard in gaps.items():
        for shard, gap in by_shard.items():
            assert gap <= MAX_GAP, f"upgrading to {server}, shard {shard} took no write for {gap:.2f} s"
