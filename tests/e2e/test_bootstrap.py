"""Bootstrap scenarios in Kubernetes-shaped pods: each proves that, whatever the order and timing in
which pods and their DNS records appear, exactly the declared cluster forms."""

import time

import pytest


def test_3x1_shards_random_order_and_delays(ground):
    cluster = ground(3, 1, layout="shards")
    cluster.start_all(max_delay=1.0)
    print(f"healthy after the last start: {cluster.assert_healthy():.1f}s")


def test_3x2_ordinal_random_order_and_delays(ground):
    cluster = ground(3, 2, layout="ordinal", name="bn")
    cluster.start_all(max_delay=1.0)
    cluster.assert_healthy()


def test_5x1_shards(ground):
    cluster = ground(5, 1, name="five")
    cluster.start_all(max_delay=0.3)
    cluster.assert_healthy()


def test_designated_master_20s_late(ground):
    """Creation needs every designated master: the others wait, saying for whom, and form at once when it comes."""
    cluster = ground(3, 1, name="late")
    late = cluster.pod(2, 0)
    cluster.start_all(skip=[late])
    time.sleep(20)
    assert not cluster.healthy()
    assert "waiting for late-shard2-0" in cluster.agent_logs()["late-shard0-0"]
    late.start()
    cluster.assert_healthy()


def test_dns_record_appears_after_the_pod_started(ground):
    """A pod whose name does not resolve yet (NXDOMAIN): its peers say so, then proceed when it appears."""
    cluster = ground(3, 1, name="dns")
    master = cluster.pod(1, 0)
    master.hidden = True
    cluster.start_all()
    time.sleep(5)
    assert not cluster.healthy()
    logs = cluster.agent_logs()
    assert "dns-shard1-0: not resolvable yet" in logs["dns-shard0-0"] + logs["dns-shard1-1"]
    master.reveal()
    cluster.assert_healthy()


def test_agents_killed_and_restarted_during_bootstrap(ground):
    """kill -9 of random pods (agent and server) at random moments of the first seconds, each back a moment
    later with its volume: the creator resumes from what it observes, and one cluster forms."""
    cluster = ground(3, 1, name="kill")
    cluster.start_all()
    victims = cluster.rng.sample(cluster.pods, 3)
    for victim in victims:
        time.sleep(cluster.rng.uniform(0.0, 1.5))
        print(f"killing {victim.name}")
        victim.kill()
        time.sleep(cluster.rng.uniform(0.0, 1.0))
        victim.start()
    # A master killed after the cluster formed may have been failed over: roles may have swapped within a shard.
    cluster.assert_healthy(designated_roles=False)


@pytest.mark.parametrize("server", ["redis-7.0", "redis-6.2", "valkey-8.1", "redis-7.2", "valkey-8.0"])
def test_3x1_on_each_server(ground, server):
    cluster = ground(3, 1, name="v" + server.replace("redis", "r").replace("valkey", "k").replace(".", "").replace("-", ""), server=server)
    cluster.start_all(max_delay=0.5)
    cluster.assert_healthy()
    creator_log = cluster.agent_logs()[cluster.pod(0, 0).name]
    if server == "redis-6.2":
        # No hostnames in gossip (nodes are matched to pods by address) and no ADDSLOTSRANGE.
        assert "does not take cluster-announce-hostname" in creator_log
        assert "has no CLUSTER ADDSLOTSRANGE" in creator_log
    else:
        assert "does not take cluster-announce-hostname" not in creator_log
