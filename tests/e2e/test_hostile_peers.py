"""Hostile peers: a pod whose port 6379 answers like no Redis does (impostor.py). The agents that read it
must never crash, never grow, give up on it within their deadline (--timeout, 2 s) with a line that
names it and what it sent, send it nothing that changes a cluster, and carry on with the healthy pods."""

import os

import pytest
from lib import oracle
from lib.processes import wait_for

TIMEOUT = 2.0  # the agent's --timeout default: how long one request to a peer may take
# What the agent of the impostor's shard-mate must say about it, per mode.
NAMED = {
    "junk": "not a Redis reply: unknown RESP type byte 0x48 at offset 0; it sent 'HTTP/1.1 400 Bad Request",
    "huge-bulk": "bulk length 100000000000000 exceeds the limit",
    "deep-nesting": "nesting deeper than 32",
    "negative-length": "invalid number '-5'",
    "no-crlf": "no CRLF within 65536 bytes",
    "drip": "no whole reply within 2 s; it sent only",
    "silent": "no whole reply within 2 s; it sent nothing",
}
CHANGES = ("MEET", "FORGET", "REPLICATE", "ADDSLOTS", "RESET", "FLUSH", "FAILOVER", "SET-CONFIG-EPOCH", "CONFIG")
PEAK_RSS_LIMIT_KIB = 20 * 1024


def serving(pods, replicas_attached):
    """Every given pod reports cluster_state:ok, the masters among them serve all 16384 slots, and
    `replicas_attached` of them are replicas whose link is up."""
    attached = 0
    for pod in pods:
        client = oracle.client(pod)
        if client.cluster("info")["cluster_state"] != "ok":
            return False
        info = client.info("replication")
        if info["role"] == "slave" and info["master_link_status"] == "up":
            attached += 1
    return attached == replicas_attached


def check_the_agents_and_the_impostor(cluster, impostor, expected_words):
    healthy = [p for p in cluster.pods if p is not impostor]
    for pod in healthy:
        pod.assert_agent_running()
        peak = pod.agent_peak_rss_kib()
        assert peak < PEAK_RSS_LIMIT_KIB, f"{pod.name}'s agent peaked at {peak} KiB"
        print(f"{pod.name}: agent peak RSS {peak} KiB")
    # Its shard-mate reads it every pass: the line names the pod, its address and what it sent.
    mate = cluster.pod(impostor.shard, 1 - impostor.ordinal)
    wait_for(lambda: [line for line in open(mate.agent_log) if f"gave up on {impostor.name}" in line
                      and impostor.ip in line and expected_words in line], 15,
             what=f"{mate.name}'s agent to name {impostor.name} and what it sent")
    # The impostor writes a connection down when it ends, up to a pause of its mode (1 s for drip) after the
    # agent hung up: with the cluster healthy in about 2 s, the line above can come first.
    wait_for(lambda: os.path.exists(impostor.impostor_record) and open(impostor.impostor_record).read().strip(), 5,
             interval=0.1, what="the impostor to record a connection")
    connections = [line.split(" ", 2) for line in open(impostor.impostor_record)]
    assert connections, "no agent ever asked the impostor"
    for source, seconds, words in connections:
        assert float(seconds) < TIMEOUT + 1.5, f"a connection from {source} stayed {seconds} s"
        assert not any(word in words.upper() for word in CHANGES), f"{source} sent the impostor: {words}"
    print(f"{len(connections)} connections to the impostor, longest {max(float(c[1]) for c in connections):.2f} s")


@pytest.mark.parametrize("mode", sorted(NAMED))
def test_a_hostile_replica_pod_is_named_and_left_behind(ground, mode):
    cluster = ground(3, 1, name="hostile")
    impostor = cluster.pod(1, 1)
    impostor.start_impostor(mode)
    cluster.start_all(skip=[impostor])
    healthy = [p for p in cluster.pods if p is not impostor]
    wait_for(lambda: serving(healthy, replicas_attached=2), 60, interval=0.5,
             what="the five real pods to serve every slot with two replicas attached")
    check_the_agents_and_the_impostor(cluster, impostor, NAMED[mode])

    # The pod's real container replaces the impostor: the cluster becomes whole.
    impostor.kill()
    impostor.start()
    cluster.assert_healthy(keys=50)


def test_a_hostile_designated_master_holds_the_bootstrap_without_harm(ground):
    cluster = ground(3, 1, name="hostile")
    impostor = cluster.pod(2, 0)
    impostor.start_impostor("junk")
    cluster.start_all(skip=[impostor])
    creator = cluster.pod(0, 0)
    wait_for(lambda: f"waiting for {impostor.name} at {impostor.ip}:6379: not answering" in open(creator.agent_log).read(),
             20, what="the creator to say which designated master it waits for, and why")
    # No cluster is created without every designated master: no node serves a slot.
    for pod in cluster.pods:
        if pod is not impostor:
            assert int(oracle.client(pod).cluster("info")["cluster_slots_assigned"]) == 0
    check_the_agents_and_the_impostor(cluster, impostor, NAMED["junk"])

    impostor.kill()
    impostor.start()
    cluster.assert_healthy(keys=50)
