"""Changing the shard count of a loaded cluster, 3 -> 4 and 4 -> 3 shards, redis-init against redis-cli on the
same data: each cluster gets the same keys, and one writer per shard writes throughout.

redis-init: the declaration changed as a rollout changes it (shard 3's pods started, every pod restarted
on the new count; in: every pod restarted, shard 3's left serving); timed from the creator's agent's
first move to every master balanced (and, in, shard 3 serving nothing).
redis-cli: servers without agents, created by `redis-cli --cluster create`, shard 3's pods added with
`add-node`; timed over `redis-cli --cluster rebalance --cluster-use-empty-masters` (out) and
`redis-cli --cluster rebalance --cluster-weight <shard 3>=0` (in)."""

import re
import subprocess
import threading
import time

import redis
import redis.cluster
from lib import oracle
from lib.processes import wait_for
from proving_ground import Cluster, Pod
from rollout import ready
from writers import start_writers

MOVING = re.compile(r"info: move \d+ slots")


def fill(cluster, keys, value_size):
    """`keys` keys of `value_size` bytes through a cluster client, 10,000 a pipeline."""
    client = redis.cluster.RedisCluster(startup_nodes=[redis.cluster.ClusterNode(p.ip, 6379) for p in cluster.pods],
                                        socket_timeout=30)
    value = b"v" * value_size
    try:
        for start in range(0, keys, 10_000):
            pipe = client.pipeline()
            for i in range(start, min(start + 10_000, keys)):
                pipe.set(f"bench:{i}", value)
            pipe.execute()
    finally:
        client.close()


def counts(pod):
    """Slots served by each master, as `pod` sees them, by node ID."""
    lines = redis.Redis(host=pod.ip, port=6379, socket_timeout=5, decode_responses=True).execute_command("CLUSTER", "NODES")
    served = {}
    for line in lines.splitlines():
        fields = line.split()
        if "master" in fields[2]:
            served[fields[0]] = sum(int(f.split("-")[-1]) - int(f.split("-")[0]) + 1 for f in fields[8:] if not f.startswith("["))
    return served


def balanced(pod, shards):
    base = 16384 // shards
    serving = [n for n in counts(pod).values() if n]
    return len(serving) == shards and all(n in (base, base + 1) for n in serving)


def with_writers(figures, writers, windows):
    """The writers stopped; their longest stall inside the timed `windows` (the moves, not the rollout's
    restarts around them) and the acknowledged writes lost, added to `figures`."""
    for writer in writers:
        writer.stop()
    figures["longest_write_gap"] = max(writer.longest_gap(since=a, until=b) for writer in writers for a, b in windows)
    figures["acknowledged_lost"] = sum(len(writer.lost()) for writer in writers)
    return figures


def restart_all(cluster, pods):
    """A rollout at the same addresses: each pod stopped gracefully and started again, the next once it is ready."""
    for pod in sorted(pods, key=lambda p: (p.shard, -p.ordinal)):
        pod.restart(graceful=True)
        wait_for(lambda pod=pod: ready(cluster, pod), 120, interval=0.2, what=f"{pod.name} to be ready again")


def redis_init_run(server, keys, value_size):
    cluster = Cluster(3, 1, name="bs", server=server)
    try:
        cluster.start_all()
        cluster.wait_healthy()
        fill(cluster, keys, value_size)
        writers = start_writers(cluster)
        creator = cluster.pod(0, 0)
        figures, windows = {}, []
        for step, shards in (("out", 4), ("in", 3)):
            old = list(cluster.pods)
            cluster.shards = shards
            if shards == 4:
                for ordinal in (0, 1):
                    pod = Pod(cluster, f"{cluster.name}-shard3-{ordinal}", 3, ordinal)
                    cluster.pods.append(pod)
                    pod.start()
            mark = len(MOVING.findall(open(creator.agent_log).read()))
            rolling = threading.Thread(target=restart_all, args=(cluster, old), daemon=True)
            rolling.start()
            wait_for(lambda m=mark: len(MOVING.findall(open(creator.agent_log).read())) > m, 300, interval=0.02,
                     what="the creator's agent to move slots")
            t0 = time.monotonic()
            wait_for(lambda s=shards: balanced(creator, s), 600, interval=0.05, what="a balanced map")
            figures[step] = time.monotonic() - t0
            windows.append((t0, time.monotonic()))
            rolling.join(300)
            print(f"redis-init {step}: {figures[step]:.2f} s", flush=True)
        return with_writers(figures, writers, windows)
    finally:
        cluster.close()


def redis_cli_run(server, keys, value_size):
    cluster = Cluster(3, 1, name="bt", server=server, init_container=False)
    try:
        for pod in cluster.pods:
            pod.start_server_alone(publish=True)
        for pod in cluster.pods:
            wait_for(lambda p=pod: redis.Redis(host=p.ip, port=6379, socket_timeout=0.2).ping(), 30, what=f"{pod.name}")
        ordered = sorted(cluster.pods, key=lambda p: (p.ordinal, p.shard))
        subprocess.run(["redis-cli", "--cluster", "create", *[f"{p.ip}:6379" for p in ordered], "--cluster-replicas", "1",
                        "--cluster-yes"], check=True, capture_output=True, timeout=120)
        # redis-cli pairs replicas with other shards' masters, which `status` calls degraded: its own check judges.
        wait_for(lambda: oracle.redis_cli_check_problem(cluster.pods[0].ip) is None, 60, what="redis-cli's cluster")
        fill(cluster, keys, value_size)
        writers = start_writers(cluster)
        entry = f"{cluster.pod(0, 0).ip}:6379"
        new = [Pod(cluster, f"{cluster.name}-shard3-{ordinal}", 3, ordinal) for ordinal in (0, 1)]
        for pod in new:
            cluster.pods.append(pod)
            pod.start_server_alone(publish=True)
            wait_for(lambda p=pod: redis.Redis(host=p.ip, port=6379, socket_timeout=0.2).ping(), 30, what=f"{pod.name}")
        subprocess.run(["redis-cli", "--cluster", "add-node", f"{new[0].ip}:6379", entry], check=True, capture_output=True,
                       timeout=60)
        wait_for(lambda: len(counts(new[0])) == 4 and sum(counts(new[0]).values()) == 16384, 60, what="the new master to join")
        new_id = redis.Redis(host=new[0].ip, port=6379, decode_responses=True).execute_command("CLUSTER", "MYID")
        subprocess.run(["redis-cli", "--cluster", "add-node", f"{new[1].ip}:6379", entry, "--cluster-slave",
                        "--cluster-master-id", new_id], check=True, capture_output=True, timeout=60)
        time.sleep(2)
        figures, windows = {}, []
        for step, command in (("out", ["--cluster-use-empty-masters"]), ("in", ["--cluster-weight", f"{new_id}=0"])):
            t0 = time.monotonic()
            subprocess.run(["redis-cli", "--cluster", "rebalance", entry, *command], check=True, capture_output=True,
                           timeout=1800)
            figures[step] = time.monotonic() - t0
            windows.append((t0, time.monotonic()))
            print(f"redis-cli {step}: {figures[step]:.2f} s", flush=True)
        return with_writers(figures, writers, windows)
    finally:
        cluster.close()


def scale_figures(server, keys, value_size):
    """Both tools on the same data, one after the other."""
    return {"keys": keys, "value_bytes": value_size, "redis-init": redis_init_run(server, keys, value_size),
            "redis-cli": redis_cli_run(server, keys, value_size)}
