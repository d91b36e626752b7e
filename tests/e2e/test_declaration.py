"""The declaration changed under a live cluster: fewer replicas are forgotten once their pods are gone; a
changed shard count is not acted on (redis-init does not move slots between shards), said, and harms
nothing, while agents holding the old and the new declaration run side by side."""

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


def test_a_changed_shard_count_changes_nothing_and_says_why(ground):
    """3 -> 4 shards: the new shard's pods start with the new declaration while the old pods still hold
    the old one, then one replica restarts with the new one. Before, the new master followed shard 2's
    master and that replica was re-pointed to shard 0's master (the first slot of shard 1's new range).
    Now nobody acts: every agent on the new declaration says why, the cluster stays as it was, and going
    back to 3 shards leaves it healthy with every key."""
    cluster = formed(ground, 3, 1, name="d2")
    before = {pod.name: oracle.client(pod).execute_command("CLUSTER", "MYID") for pod in cluster.pods}
    grown = {"REDIS_INIT_SHARDS": "4"}
    added = []
    for ordinal in (0, 1):
        pod = Pod(cluster, f"{cluster.name}-shard3-{ordinal}", 3, ordinal)
        pod.run_environment = grown
        cluster.pods.append(pod)
        added.append(pod)
    for pod in added:
        pod.start()
    rolled = cluster.pod(1, 1)
    rolled.run_environment = grown
    rolled.restart(graceful=True)
    said = "the declaration has 4 shards but every slot is served by shards 0, 1, 2 (shard 3 serves none)"
    wait_for(lambda: all(said in cluster.agent_logs()[pod.name] for pod in [*added, rolled]), 30,
             what="every agent on the new declaration to say why it waits")
    time.sleep(3)  # a few more passes: nothing may happen in them either
    master1 = oracle.client(cluster.pod(1, 0)).execute_command("CLUSTER", "MYID")
    assert oracle.client(rolled).execute_command("ROLE")[0] == "slave"
    rolled_line = next(line for line in oracle.client(rolled).execute_command("CLUSTER", "NODES").splitlines()
                       if "myself" in line)
    assert rolled_line.split()[3] == master1, rolled_line
    for pod in added:
        nodes = oracle.client(pod).execute_command("CLUSTER", "NODES").strip().splitlines()
        assert len(nodes) == 1, f"{pod.name} was introduced: {nodes}"
    for pod in cluster.pods:
        if pod not in added:
            assert oracle.client(pod).execute_command("CLUSTER", "MYID") == before[pod.name]
            logs = cluster.agent_logs()[pod.name]
            assert "replica of d2-shard3" not in logs and "introduce d2-shard3" not in logs, logs

    # Back to 3 shards: the new pods deleted, the rolled replica restarted on the old declaration.
    for pod in added:
        cluster.delete_pod(pod)
    rolled.run_environment = {}
    rolled.restart(graceful=True)
    cluster.assert_healthy(designated_roles=False, keys=20)
    oracle.read_keys(cluster.pods, KEYS, prefix="acked")


def test_a_shrunk_shard_count_keeps_every_server_serving(ground):
    """4 -> 3 shards, every pod rolled onto the new declaration: shard 3's pods are beyond it, yet their
    servers keep serving shard 3's slots (exiting would take them down) and their agents change nothing;
    the other agents wait and say who still serves slots. Rolled back to 4, the cluster is healthy with
    every key."""
    cluster = formed(ground, 4, 1, name="d3")
    shrunk = {"REDIS_INIT_SHARDS": "3"}
    for pod in cluster.pods:
        pod.run_environment = shrunk
        pod.restart(graceful=True)
    leaving = [pod for pod in cluster.pods if pod.shard == 3]
    staying = [pod for pod in cluster.pods if pod.shard != 3]
    def said():
        logs = {name: log.split("----- incarnation 2")[-1] for name, log in cluster.agent_logs().items()}
        return all("which the declaration (3 shards of 2 pods) does not name, serves slots" in logs[pod.name]
                   for pod in staying) and all("is not part of the declared layout" in logs[pod.name] for pod in leaving)
    wait_for(said, 60, what="every agent to say why it changes nothing")
    for pod in leaving:
        assert pod.proc.poll() is None, f"{pod.name} stopped"
    # Every slot still served, the last restarted pod reconnected: redis-cli finds nothing wrong.
    wait_for(lambda: oracle.redis_cli_check_problem(cluster.pods[0].ip, cluster.password) is None, 30,
             what="redis-cli --cluster check to pass on the 4 shards still serving")
    oracle.read_keys(cluster.pods, KEYS, prefix="acked")
    for pod in cluster.pods:
        pod.run_environment = {}
        pod.restart(graceful=True)
    cluster.assert_healthy(designated_roles=False, keys=20)
    oracle.read_keys(cluster.pods, KEYS, prefix="acked")
