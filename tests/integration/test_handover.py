"""The handover before a master stops: `run` on SIGTERM, and the `handover` command (a preStop hook).
A master serving slots hands them to its caught-up replica with a coordinated CLUSTER FAILOVER, so its
shard takes writes again at once, not after node-timeout and an election."""

import signal
import time

from lib import oracle


def role(pod, cluster):
    return cluster.client(pod).execute_command("ROLE")[0]


def test_sigterm_hands_a_masters_slots_to_its_replica_first(make_cluster):
    cluster = make_cluster(3, 1, name="ho")
    cluster.start_all()
    cluster.wait_healthy()
    oracle.write_keys(cluster.pods, 200, replicas=1)
    master, replica = cluster.pod(1, 0), cluster.pod(1, 1)
    started = time.monotonic()
    master.proc.send_signal(signal.SIGTERM)
    assert master.proc.wait(timeout=20) == 0
    took = time.monotonic() - started
    log = open(master.agent_log).read()
    assert "SIGTERM: handing over before the server stops" in log, log
    assert "hand shard 1 over from ho-shard1-0 to ho-shard1-1 (CLUSTER FAILOVER)" in log, log
    assert "shard 1 handed over to ho-shard1-1 in" in log, log
    assert took < 5, f"the handover and the server's stop took {took:.1f} s"
    assert role(replica, cluster) == "master"
    oracle.read_keys([p for p in cluster.pods if p is not master], 200)


def test_sigterm_to_a_master_without_a_replica_stops_at_once_saying_why(make_cluster):
    cluster = make_cluster(3, 0, name="lone")
    cluster.start_all()
    cluster.wait_healthy()
    pod = cluster.pod(1, 0)
    started = time.monotonic()
    pod.proc.send_signal(signal.SIGTERM)
    assert pod.proc.wait(timeout=10) == 0
    assert time.monotonic() - started < 3
    log = open(pod.agent_log).read()
    assert "stopping without a handover: no replica can take shard 1 over: it has no replica" in log, log


def test_the_handover_command_for_a_prestop_hook(make_cluster):
    cluster = make_cluster(3, 1, name="hc")
    cluster.start_all()
    cluster.wait_healthy()
    master, replica = cluster.pod(2, 0), cluster.pod(2, 1)
    args = [*cluster.agent_args(), "--local-address"]
    handed = cluster.run_cli("handover", *args, master.ip, "--pod-name", master.name)
    assert handed.returncode == 0, handed.stderr
    assert "shard 2 handed over to hc-shard2-1" in handed.stderr
    assert role(master, cluster) == "slave" and role(replica, cluster) == "master"
    # Now a replica: nothing to hand over, exit 0 at once.
    again = cluster.run_cli("handover", *args, master.ip, "--pod-name", master.name)
    assert again.returncode == 0 and "nothing to hand over: this node is a replica" in again.stderr, again.stderr
    cluster.wait_healthy()
    # A flag the command does not take is refused, naming the command.
    refused = cluster.run_cli("handover", *args, master.ip, "--pod-name", master.name, "--interval", "1")
    assert refused.returncode == 2 and "handover does not take --interval" in refused.stderr
