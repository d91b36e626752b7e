"""The declaration changed under a live cluster: fewer replicas are forgotten once their pods are gone; in
the static layout a changed shard count is not acted on, said, and harms nothing, while agents holding
the old and the new declaration run side by side (the other layouts move slots: test_scale.py)."""

import time

from lib import oracle
from lib.processes import wait_for
from proving_ground import Pod

KEYS = 300


def formed(ground, shards, replicas, name):
    cluster = ground(shards, replicas, name=name)
    cluster.start_all()
    cluster.assert_healthy(keys=10)
    oracle.write_keys(cluster.pods, KEYS, replicas=replicas, prefix="acked")
    oracle.wait_written(cluster.pods, cluster.password)
    return cluster


def test_replicas_scaled_from_two_to_one(ground):
    """3x2 -> 3x1: the third pod of each shard deleted (its DNS name gone), the rest rolled onto the new
    declaration. Every node forgets the deleted pods once the cluster has failed them; status is healthy."""
    cluster = formed(ground, 3, 2, name="d1")
    leaving = [pod for pod in cluster.pods if pod.ordinal == 2]
    for pod in leaving:
        cluster.delete_pod(pod)
    cluster.replicas = 1
    for pod in cluster.pods:
        pod.restart(graceful=True)
    cluster.assert_healthy(designated_roles=False, keys=20)
    oracle.read_keys(cluster.pods, KEYS, prefix="acked")
    lines = "".join(cluster.agent_logs().values()).splitlines()
    for pod in leaving:
        assert any("forget" in line and pod.name in line for line in lines), f"nobody forgot {pod.name}"


def test_a_changed_shard_count_in_the_static_layout_changes_nothing_and_says_why(ground):
    """Static layout (a fixed host list), 3 -> 4 shards: the list is mapped by position, and its count
    cannot change. The new hosts start with the new declaration while the old ones hold the old one, then
    one replica restarts with the new one. Nobody acts: every agent on the new declaration says why, the
    cluster stays as it was, and going back to 3 shards leaves it healthy with every key."""
    peers = [f"redis-{k}" for k in range(6)]
    cluster = ground(3, 1, layout="static", name="d2", peers=peers)
    cluster.start_all()
    cluster.assert_healthy(keys=10)
    oracle.write_keys(cluster.pods, KEYS, replicas=1, prefix="acked")
    before = {pod.name: oracle.client(pod).execute_command("CLUSTER", "MYID") for pod in cluster.pods}
    grown = {"REDIS_INIT_SHARDS": "4", "REDIS_INIT_PEERS": ",".join(f"redis-{k}" for k in range(8))}
    added = []
    for index in (6, 7):
        pod = Pod(cluster, f"redis-{index}", index % 4, index // 4)
        pod.run_environment = grown
        cluster.pods.append(pod)
        added.append(pod)
    for pod in added:
        pod.start()
    rolled = next(pod for pod in cluster.pods if pod.name == "redis-4")
    rolled.run_environment = grown
    rolled.restart(graceful=True)
    said = "the static layout cannot move slots to new shards"
    wait_for(lambda: all(said in cluster.agent_logs()[pod.name] for pod in [*added, rolled]), 30,
             what="every agent on the new declaration to say why it waits")
    time.sleep(3)  # a few more passes: nothing may happen in them either
    assert oracle.client(rolled).execute_command("ROLE")[0] == "slave"
    for pod in added:
        nodes = oracle.client(pod).execute_command("CLUSTER", "NODES").strip().splitlines()
        assert len(nodes) == 1, f"{pod.name} was introduced: {nodes}"
    for pod in cluster.pods:
        if pod not in added:
            assert oracle.client(pod).execute_command("CLUSTER", "MYID") == before[pod.name]
            logs = cluster.agent_logs()[pod.name]
            assert "introduce redis-6" not in logs and "introduce redis-7" not in logs, logs

    # Back to 3 shards: the new hosts removed, the rolled replica restarted on the old declaration.
    for pod in added:
        cluster.delete_pod(pod)
    rolled.run_environment = {}
    rolled.restart(graceful=True)
    cluster.assert_healthy(designated_roles=False, keys=20)
    oracle.read_keys(cluster.pods, KEYS, prefix="acked")
