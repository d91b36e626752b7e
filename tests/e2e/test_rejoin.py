"""Every restart heals: each scenario forms a cluster, writes keys acknowledged by the replicas (WAIT),
does one kind of damage, and requires the cluster healthy by the oracle, no ghost anywhere, and every
acknowledged key readable."""

import os
import re
import signal
import subprocess
import time

import pytest
from lib import oracle
from lib.processes import wait_for

KEYS = 300
ALL_SERVERS = {"redis-7.0": "", "redis-6.2": "v62", "valkey-8.1": "vk", "redis-7.2": "v72", "valkey-8.0": "vk80"}
# CI runs every rejoin scenario on the first three; E2E_SERVERS=all runs them on all five.
SERVERS = ALL_SERVERS if os.environ.get("E2E_SERVERS") == "all" else dict(list(ALL_SERVERS.items())[:3])


@pytest.fixture(params=list(SERVERS))
def server(request):
    """Every scenario that takes it runs on Redis 7.0 (hostnames in gossip), Redis 6.2 (none: the agent's
    node-ID map names the pods) and Valkey 8.1; with E2E_SERVERS=all on Redis 7.2 and Valkey 8.0 too."""
    return request.param


def formed(ground, shards=3, replicas=1, name="rj", server="redis-7.0", **kwargs):
    cluster = ground(shards, replicas, name=name + ALL_SERVERS[server], server=server, **kwargs)
    cluster.start_all()
    cluster.assert_healthy(keys=10)
    oracle.write_keys(cluster.pods, KEYS, replicas=replicas, prefix="acked")
    oracle.wait_written(cluster.pods, cluster.password)
    return cluster


def healed(cluster, timeout=90, designated_roles=False):
    cluster.assert_healthy(designated_roles=designated_roles, keys=20, timeout=timeout)
    oracle.read_keys(cluster.pods, KEYS, prefix="acked")


def wait_for_failover(cluster, shard, old_master):
    """Until another pod of the shard serves its slots."""
    def promoted():
        for pod in cluster.pods:
            if pod.shard == shard and pod is not old_master:
                try:
                    info = oracle.client(pod).execute_command("ROLE")
                    if info[0] == "master":
                        return pod
                except Exception:
                    continue
    return wait_for(promoted, 30, interval=0.2, what=f"a replica of shard {shard} to be promoted")


def test_replica_restarted_same_ip(ground, server):
    cluster = formed(ground, name="r1", server=server)
    cluster.pod(1, 1).restart()
    healed(cluster, designated_roles=True)


def test_replica_restarted_new_ip(ground, server):
    cluster = formed(ground, name="r2", server=server)
    replica = cluster.pod(1, 1)
    old = replica.ip
    replica.restart(new_ip=True)
    assert replica.ip != old
    healed(cluster, designated_roles=True)


def test_replica_restarted_wiped(ground, server):
    """A new node ID under an old name: it joins its shard as a replica, and its old ID is forgotten
    everywhere."""
    cluster = formed(ground, name="r3", server=server)
    replica = cluster.pod(2, 1)
    replica.kill()
    replica.wipe()
    replica.start()
    healed(cluster, designated_roles=True)
    # Every node forgot the old ID (the oracle found no ghost), told by an agent that knew whose it was:
    # its own, or another's (the wiped pod's agent, which sees its own pod answer under the new ID).
    logs = cluster.agent_logs()
    assert any(f"forget {replica.name}'s old node ID" in log for log in logs.values()), logs


def test_master_restarted_within_node_timeout(ground, server):
    """Back before the cluster noticed: it stays its shard's master, with its data (AOF)."""
    cluster = formed(ground, name="r4", server=server)
    cluster.pod(0, 0).restart()
    healed(cluster, designated_roles=True)


def test_old_master_back_after_failover(ground, server):
    """The master dies, its replica is promoted; the old master returns with its data and becomes the
    new master's replica."""
    cluster = formed(ground, name="r5", server=server)
    master = cluster.pod(1, 0)
    master.kill()
    wait_for_failover(cluster, 1, master)
    master.start()
    healed(cluster)


def test_old_master_back_wiped_after_failover(ground, server):
    cluster = formed(ground, name="r6", server=server)
    master = cluster.pod(1, 0)
    master.kill()
    wait_for_failover(cluster, 1, master)
    master.wipe()
    master.start()
    healed(cluster)


def test_wiped_master_back_before_failover(ground, server):
    """Wiped and back on its address before the cluster noticed: it must wait for the failover, not
    follow its own old identity, then join as a replica."""
    cluster = formed(ground, name="r6b", server=server)
    master = cluster.pod(2, 0)
    master.kill()
    master.wipe()
    master.start()
    healed(cluster)
    # Either the cluster failed the old ID first and the wiped pod waited for that, or Redis marked the
    # old ID noaddr (a new node answered at its address), which is never failed: then the replica had to
    # take the shard over. Both are correct; which one depends on timing.
    logs = cluster.agent_logs()
    took_over = "take over shard 2 on" in logs[cluster.pod(2, 1).name]
    waited = "waiting for shard 2's failover" in logs[master.name]
    print(f"replica took the shard over: {took_over}; wiped master waited for the failover: {waited}")
    assert took_over or waited


def test_replica_keeps_its_data_when_a_wiped_master_returns_at_its_address(ground, server):
    """Redis replicates by address: the replica keeps reconnecting to its dead master's address, and the
    wiped node back there would answer with a full sync of nothing, which the replica would load in place
    of its data. The replica's agent is frozen so nothing else can intervene first; the wiped node's
    server holds full syncs until its place is settled, so the replica keeps every acknowledged key and
    is promoted once its agent runs again."""
    cluster = formed(ground, name="rh", server=server)
    master, replica = cluster.pod(1, 0), cluster.pod(1, 1)
    master.kill()
    master.wipe()
    os.kill(replica.proc.pid, signal.SIGSTOP)  # the replica's agent only; its server goes on
    try:
        master.start()
        # Long enough for the replica's server to reconnect to the address (it retries every second)
        # and for a full sync to finish, were it served, after the 5 s diskless delay of Redis 7 too.
        time.sleep(7)
        assert oracle.client(replica).execute_command("DBSIZE") > 0, "the replica lost its data"
    finally:
        os.kill(replica.proc.pid, signal.SIGCONT)
    healed(cluster)


@pytest.mark.parametrize("init_container", [True, False], ids=["init", "agents-alone"])
def test_whole_cluster_restarted_every_ip_new(ground, server, init_container):
    """Every pod killed at once and back with a new address, volumes kept: with the manifests' init
    (addresses rewritten before the servers start) and without it, as docker-compose runs."""
    if server == "valkey-8.0" and not init_container:
        pytest.skip("Valkey 8.0 may refuse the nodes.conf of a pod killed early without init's shard-ID step")
    cluster = formed(ground, name="r7" if init_container else "r7a", server=server, init_container=init_container)
    for pod in cluster.pods:
        pod.kill()
    for pod in cluster.pods:
        pod.start(new_ip=True)
    healed(cluster)
    # Healed by init's rewrite, or by the agents meeting the moved pods at their new addresses (on
    # 6.2, pods named by the node-ID map kept beside nodes.conf: no hostname travels in gossip there).
    after_restart = [log.split("----- incarnation 2")[1] for log in cluster.agent_logs().values()]
    healer = "moved:" if init_container else "introduce"
    assert any(healer in log for log in after_restart), after_restart


def test_moved_pair_met_by_the_rest_before_their_agents_start(ground, server):
    """Two pods of different shards back at new addresses, their servers met by the rest of the cluster
    before their agents start (as a sidecar agent's container may start late): each server knows its
    own new address but lists the other at its old one, over a link that only ever connects, so that
    the entry never looks down (seen after a whole-cluster restart). Redis mends it only once it
    suspects the node, node-timeout after it happens to ping it; with a node-timeout of a minute, only
    the agents can mend it in time. They check every entry nodes.conf restored, those two named by
    the agents' node-ID maps alone, and the pair meets."""
    cluster = formed(ground, name="r12", server=server, node_timeout_ms=60000)
    pair = [cluster.pod(1, 1), cluster.pod(2, 1)]
    old_ip = {pod.name: pod.ip for pod in pair}
    for pod in pair:
        pod.kill()
    # Redis does not always save in nodes.conf a hostname it learned by PING: each of the pair comes
    # back listing the other by its old address alone, named by nothing in the file (one side named
    # would do: its agent's MEET makes both sides right).
    for pod, other in (pair, pair[::-1]):
        conf = os.path.join(pod.data, "nodes.conf")
        # init's shard-ID step alone (Valkey 8.0 refuses a file where a replica's differs from its
        # master's): the pods have not moved yet, so no address changes.
        assert cluster.run_cli("init", "--nodes-conf", conf).returncode == 0
        text = open(conf).read()
        with open(conf, "w") as f:
            f.write(text.replace(f",{other.fqdn}", ","))
    for pod in pair:
        pod.start_server_alone(new_ip=True, publish=True)
    ids = {pod.name: oracle.client(pod).execute_command("CLUSTER", "MYID") for pod in cluster.pods}

    def listed_ip(viewer, pod):
        lines = oracle.client(viewer).execute_command("CLUSTER", "NODES").splitlines()
        line = next(entry for entry in lines if entry.startswith(ids[pod.name]))
        return line.split()[1].split(",")[0].rsplit(":", 1)[0]

    def misplaced(viewers):
        """(viewer, pod, listed) where a viewer lists a pod of the pair elsewhere than at its new address."""
        return [(viewer.name, pod.name, listed) for viewer in viewers for pod in pair
                if viewer not in pair or viewer is pod for listed in [listed_ip(viewer, pod)] if listed != pod.ip]
    rest = [pod for pod in cluster.pods if pod not in pair]
    try:
        # The pair's servers ping the rest, which learn the new addresses from those connections.
        wait_for(lambda: not misplaced(rest), 30, interval=0.2, what="the rest of the cluster to list the pair where it is")
        # A server learns its own address only from a MEET: what the other agents send in a restart of
        # every pod (ownAddressRepair, or a moved pod met where it is).
        for pod in pair:
            oracle.client(rest[0]).execute_command("CLUSTER", "MEET", pod.ip, 6379)
        wait_for(lambda: not misplaced(pair), 10, interval=0.2, what="the pair to know its own new addresses")
    except AssertionError as error:
        raise AssertionError(f"still misplaced: {misplaced(cluster.pods)}") from error
    still_old = [(viewer.name, pod.name) for viewer in pair for pod in pair
                 if viewer is not pod and listed_ip(viewer, pod) == old_ip[pod.name]]
    print(f"entries of the pair still at the old address when the agents start: {still_old}")
    for pod in pair:
        pod.start_sidecar()
    healed(cluster, timeout=30)


def test_whole_cluster_back_in_random_order_over_30s(ground, server):
    cluster = formed(ground, name="r8", server=server)
    for pod in cluster.pods:
        pod.kill()
    order = list(cluster.pods)
    cluster.rng.shuffle(order)
    delays = sorted(cluster.rng.uniform(0, 30) for _ in order)
    start = time.monotonic()
    print(f"seed {cluster.seed}: return order {[p.name for p in order]} at {[round(d, 1) for d in delays]}")
    for pod, delay in zip(order, delays, strict=True):
        time.sleep(max(0, start + delay - time.monotonic()))
        pod.start(new_ip=True)
    healed(cluster, timeout=120)


def test_foreign_nodes_conf_is_refused_untouched(ground):
    """A volume holding another cluster's nodes.conf: init refuses it (exit 3) and changes nothing; the
    agent refuses to act; our cluster never learns the stranger's nodes. The pods run no init here, so the
    agent's own refusal is what stops the stranger (with the manifests' init, the initContainer fails)."""
    cluster = ground(3, 0, name="r9", init_container=False)
    stranger = cluster.pod(2, 0)
    conf = ("1111111111111111111111111111111111111111 198.18.200.1:6379@16379,cache-0.cache.prod.svc.cluster.local "
            "myself,master - 0 0 1 connected 0-16383\n"
            "2222222222222222222222222222222222222222 198.18.200.2:6379@16379,cache-1.cache.prod.svc.cluster.local "
            "slave 1111111111111111111111111111111111111111 0 0 1 connected\n"
            "vars currentEpoch 1 lastVoteEpoch 0\n")
    path = os.path.join(stranger.data, "nodes.conf")
    with open(path, "w") as f:
        f.write(conf)
    result = cluster.run_cli("init", "--nodes-conf", path)
    assert result.returncode == 3, result.stderr
    assert "belongs to another cluster" in result.stderr
    assert open(path).read() == conf
    assert not os.path.exists(path + ".bak")

    cluster.start_all()
    # The agent refuses before it ever joined: it stops the server and exits 3, so the pod shows the error.
    stranger.proc.wait(30)
    assert stranger.proc.returncode == 3, stranger.proc.returncode
    assert "belongs to another cluster" in cluster.agent_logs()[stranger.name]
    assert "1111111111111111111111111111111111111111 198.18.200.1:6379@16379" in open(path).read()
    for pod in cluster.pods:
        if pod is not stranger:
            nodes = oracle.client(pod).execute_command("CLUSTER", "NODES")
            assert "1111111111" not in nodes and "2222222222" not in nodes, nodes


def test_replicas_scaled_from_one_to_two(ground, server):
    """New pods (ordinal 2 of each shard) join their own shard."""
    cluster = formed(ground, name="r11", server=server)
    from proving_ground import Pod
    cluster.replicas = 2  # the same cluster, now declared with two replicas per shard
    added = []
    for shard in range(cluster.shards):
        pod_name = f"{cluster.name}-shard{shard}-2"
        pod = Pod(cluster, pod_name, shard, 2)
        cluster.pods.append(pod)
        added.append(pod)
    # Existing pods restart with the new declaration, as a StatefulSet rollout does.
    for pod in cluster.pods:
        if pod not in added:
            pod.restart(graceful=True)
    for pod in added:
        pod.start()
    healed(cluster, designated_roles=False)


def test_init_rewrites_moved_addresses(ground, server):
    """init, as an initContainer would run it before the server: addresses of moved pods refreshed from
    DNS, atomically, the previous file kept as nodes.conf.bak."""
    cluster = formed(ground, 3, 0, name="ri", server=server)
    pod = cluster.pod(0, 0)
    others = [p for p in cluster.pods if p is not pod]
    for p in cluster.pods:
        p.kill()
    for p in others:
        p.start(new_ip=True)
    path = os.path.join(pod.data, "nodes.conf")
    before = open(path).read()
    result = cluster.run_cli("init", "--nodes-conf", path)
    assert result.returncode == 0, result.stderr
    after = open(path).read()
    assert open(path + ".bak").read() == before
    for p in others:
        # The line is named by the hostname Redis saved in it (7.0 and Valkey) or, on 6.2 and where a
        # hostname arrived by PING after the last save, by the node-ID map
        # beside nodes.conf: either way at the pod's new address.
        assert re.search(rf" {re.escape(p.ip)}:6379@16379[, ]", after), after
    pod.start()
    healed(cluster)


@pytest.mark.parametrize("shard_server", ["redis-7.2", "valkey-8.0", "valkey-8.1"])
def test_a_replicas_shard_id_apart_from_its_masters_is_reconciled(ground, shard_server):
    """A pod killed before the shard IDs settled can keep a replica line whose shard-id differs from its
    master's; Valkey 8.0 then refuses to start. init gives the replica its master's shard ID first."""
    cluster = formed(ground, 3, 1, name="rs", server=shard_server)
    master, replica = cluster.pod(0, 0), cluster.pod(0, 1)
    replica_id = oracle.client(replica).execute_command("CLUSTER", "MYID")
    master.kill()
    path = os.path.join(master.data, "nodes.conf")
    conf = open(path).read()
    line = next(x for x in conf.splitlines() if x.startswith(replica_id))
    assert "shard-id=" in line, line
    apart = re.sub(r"shard-id=[0-9a-f]+", "shard-id=" + "f" * 40, line)
    with open(path, "w") as f:
        f.write(conf.replace(line, apart))
    master.start()
    healed(cluster)
    assert f"replica {replica_id[:8]} takes the shard ID of its master" in cluster.agent_logs()[master.name]


def test_only_master_of_a_shard_wiped_without_replicas(ground, server):
    """R=0 and shard 1's master comes back wiped: nothing can serve its slots again. The agent says so
    and exits 3; with --allow-slot-takeover the pod serves the slots empty, and the other shards' keys
    are all still there."""
    cluster = formed(ground, 3, 0, name="r10", server=server)
    master = cluster.pod(1, 0)
    master.kill()
    master.wipe()
    master.start()
    master.proc.wait(60)
    assert master.proc.returncode == 3, master.proc.returncode
    log = cluster.agent_logs()[master.name]
    assert "shard 1's slots 5461-10922 have no live owner" in log, log

    cluster.extra_environment = {"REDIS_INIT_ALLOW_SLOT_TAKEOVER": "true"}
    master.start()
    cluster.assert_healthy(designated_roles=True, keys=20)
    survivors = [i for i in range(KEYS) if not 5461 <= oracle.key_slot(f"acked:{i}") <= 10922]
    oracle.read_keys(cluster.pods, KEYS, prefix="acked", only=survivors)


def test_rejoin_command(ground):
    """rejoin, run by hand inside a pod: exits 0 once the local node is converged, 3 when it refuses."""
    cluster = formed(ground, 3, 0, name="rjc")
    pod = cluster.pod(1, 0)
    env = {**os.environ, **cluster.agent_environment(), "HOSTNAME": pod.name}
    result = subprocess.run(["ip", "netns", "exec", pod.netns, cluster.binary, "rejoin", "--wait", "20"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    # The same pod declared as a member of another cluster's layout is not ours: refused, exit 3.
    other = {**env, "REDIS_INIT_NAME": "other", "HOSTNAME": "other-shard1-0"}
    result = subprocess.run(["ip", "netns", "exec", pod.netns, cluster.binary, "rejoin", "--wait", "20"],
                            capture_output=True, text=True, env=other, timeout=60)
    assert result.returncode == 3, (result.returncode, result.stderr)
    assert "belongs to another cluster" in result.stderr


def test_failover_that_never_comes_is_bounded(ground):
    """The shard's replica is alive but will not be promoted (cluster-replica-no-failover): the wiped master,
    back on a new address, waits --failover-timeout, then says so and exits 3. Once the replica may take
    over, the restarted pod joins it."""
    cluster = formed(ground, name="rfb")
    cluster.extra_environment = {"REDIS_INIT_FAILOVER_TIMEOUT": "4"}
    replica = cluster.pod(1, 1)
    oracle.client(replica).execute_command("CONFIG", "SET", "cluster-replica-no-failover", "yes")
    master = cluster.pod(1, 0)
    master.kill()
    master.wipe()
    master.start(new_ip=True)
    master.proc.wait(60)
    assert master.proc.returncode == 3, master.proc.returncode
    log = cluster.agent_logs()[master.name]
    assert "no failover within 4 s (--failover-timeout)" in log, log
    assert "waiting for shard 1's failover" in log, log

    oracle.client(replica).execute_command("CONFIG", "SET", "cluster-replica-no-failover", "no")
    wait_for_failover(cluster, 1, master)
    master.start()
    healed(cluster)
