"""`redis-init probe`, as the kubelet runs it inside each pod: liveness is true as soon as the server answers;
readiness is false while the cluster forms (a designated master is missing) and true once it is healthy."""

import os
import subprocess

from lib.processes import wait_for


def probe(cluster, pod, kind):
    env = {**os.environ, **cluster.agent_environment(), "HOSTNAME": pod.name}
    return subprocess.run(["ip", "netns", "exec", pod.netns, cluster.binary, "probe", kind],
                          capture_output=True, text=True, env=env, timeout=30)


def test_readiness_follows_the_cluster_liveness_the_server(ground):
    cluster = ground(3, 1, name="pr")
    late = cluster.pod(2, 0)
    cluster.start_all(skip=[late])
    for pod in cluster.pods:
        if pod is not late:
            wait_for(lambda: probe(cluster, pod, "liveness").returncode == 0, 30, what=f"{pod.name} to be live")
    # Without shard 2's master the cluster cannot form: nobody is ready, and each says why.
    for pod in cluster.pods:
        if pod is not late:
            result = probe(cluster, pod, "readiness")
            assert result.returncode == 1, result.stdout
            assert result.stdout.startswith("not ready: "), result.stdout
    late.start()
    cluster.assert_healthy(keys=10)
    for pod in cluster.pods:
        result = probe(cluster, pod, "readiness")
        assert result.returncode == 0, (pod.name, result.stdout)
    # A replica whose server is gone: not live, and the output says what failed.
    replica = cluster.pod(1, 1)
    pids = subprocess.run(["ip", "netns", "pids", replica.netns], capture_output=True, text=True).stdout.split()
    (server_pid,) = [int(pid) for pid in pids if open(f"/proc/{pid}/comm").read().strip() == "redis-server"]
    os.kill(server_pid, 19)  # SIGSTOP: the server stops answering, as a hung process would
    try:
        result = probe(cluster, replica, "liveness")
        assert result.returncode == 1 and result.stdout.startswith("not live: "), result.stdout
    finally:
        os.kill(server_pid, 18)  # SIGCONT
