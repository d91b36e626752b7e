"""Chaos: seeded runs of a 3x1 cluster in the proving ground, each a bootstrap and then a restart, both
under random kills at random moments, with a kubelet that restarts whatever stopped.

A run: every pod started in random order; during the first seconds, random faults (kill -9 of a pod, of
its server alone, a restart at a new IP, a wipe of a pod whose data is safe elsewhere); the kubelet
restarts stopped pods after 0-2 s. Then the cluster must converge: `redis-init status` healthy, the
oracle's topology, redis-cli --cluster check, and one cluster (no node may know a set of nodes disjoint
from another's: a split). Keys are written (WAIT-acknowledged), the faults come again, and the cluster
must converge again with every key readable.

With --scale, a run goes on: 3 -> 4 shards (shard 3's pods started, every pod restarted on the new count)
under random faults while the creator's agent moves slots, converged, balanced, every key there; then
4 -> 3 (every pod restarted, shard 3 drained under faults, then deleted), the same checks.

    python3 tests/e2e/chaos.py RUNS [FIRST_SEED] [--scale]   (scripts/chaos sets up the proving ground)

Prints one line per run and a summary: runs, converged, split clusters, median and worst times.
Exits 1 when a run did not converge, split, or lost a key; its logs are kept and named.
"""

import json
import os
import random
import signal
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from lib import oracle
from proving_ground import Cluster, sh

CONVERGE_TIMEOUT = 120
FAULT_WINDOW = 6.0
KEYS = 100
BULK = 50_000  # --scale: enough keys that a move takes a moment


class Kubelet:
    """Restarts a pod whose container stopped (killed, or exited by itself) after a random 0-2 s."""

    def __init__(self, cluster, rng, log):
        self.cluster, self.rng, self.log = cluster, rng, log
        self.due = {}  # pod name -> monotonic time of its restart

    def tend(self):
        now = time.monotonic()
        for pod in self.cluster.pods:
            if pod.proc is None:
                continue  # not scheduled yet
            if pod.proc.poll() is not None and pod.name not in self.due:
                # Stopped without a fault of ours (its server was killed, or the agent gave up).
                self.log(f"{pod.name} exited with {pod.proc.returncode}")
                self.due[pod.name] = now + self.rng.uniform(0, 2)
            if pod.name in self.due and now >= self.due[pod.name]:
                del self.due[pod.name]
                pod.kill()  # whatever is left in the sandbox (an orphaned server)
                pod.start()

    def idle(self, seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.tend()
            time.sleep(0.1)


def server_pids(pod):
    agent = pod.proc.pid if pod.proc is not None else None
    return [int(p) for p in sh("ip", "netns", "pids", pod.netns, check=False).stdout.split() if int(p) != agent]


def data_is_safe_elsewhere(pod, cluster):
    """A pod may lose its volume when nothing is lost with it: it serves no slots yet, or it is a replica
    of a live master, or a master whose replica is online and has everything it has. (A master with slots
    and no replica in sync cannot be wiped without losing its shard: the agent then refuses, by design.)"""
    mate = next(p for p in cluster.pods if p.shard == pod.shard and p is not pod)
    try:
        me = oracle.client(pod)
        info = me.info("replication")
        if info["role"] == "master":
            myself = next(line for line in me.execute_command("CLUSTER", "NODES").splitlines() if "myself" in line)
            if len(myself.split()) <= 8:
                return True
            replica = info.get("slave0")
            return bool(replica) and replica["state"] == "online" and replica["offset"] >= info["master_repl_offset"]
        return oracle.client(mate).info("replication")["role"] == "master"
    except Exception:
        return False


def fault(cluster, rng, kubelet, wiped_shards, log):
    """One random fault on one random pod."""
    pod = rng.choice(cluster.pods)
    kind = rng.choice(["kill", "kill", "kill-server", "new-ip", "wipe"])
    if pod.proc is None or pod.proc.poll() is not None:
        return
    if kind == "wipe" and (pod.shard in wiped_shards or not data_is_safe_elsewhere(pod, cluster)):
        kind = "kill"
    log(f"fault: {kind} {pod.name}")
    if kind == "kill-server":
        for pid in server_pids(pod):
            os.kill(pid, signal.SIGKILL)
        return  # the agent sees its server end and exits; the kubelet restarts the pod
    pod.kill()
    if kind == "wipe":
        wiped_shards.add(pod.shard)
        pod.wipe()
    if kind == "new-ip":
        pod.prepare(new_ip=True)
    kubelet.due[pod.name] = time.monotonic() + rng.uniform(0, 2)


def under_fire(cluster, rng, kubelet, wiped_shards, log):
    """Random faults at random moments in the fault window; then every pod running again."""
    moments = sorted(rng.uniform(0, FAULT_WINDOW) for _ in range(rng.randint(1, 4)))
    start = time.monotonic()
    for moment in moments:
        kubelet.idle(max(0.0, start + moment - time.monotonic()))
        fault(cluster, rng, kubelet, wiped_shards, log)
    while kubelet.due or any(p.proc.poll() is not None for p in cluster.pods):
        kubelet.idle(0.1)
    return time.monotonic()


def converge(cluster, kubelet):
    """Seconds until `status` says healthy, the kubelet tending meanwhile; None if it never does."""
    start = time.monotonic()
    while time.monotonic() - start < CONVERGE_TIMEOUT:
        kubelet.tend()
        if cluster.healthy():
            return time.monotonic() - start
        time.sleep(0.25)
    return None


def split_clusters(cluster):
    """How many clusters the nodes form beyond one: groups of nodes that know no node of each other."""
    known = {}
    for pod in cluster.pods:
        lines = oracle.client(pod).execute_command("CLUSTER", "NODES").strip().splitlines()
        known[pod.name] = {line.split()[0] for line in lines}
    groups = []
    for name, ids in known.items():
        joined = [g for g in groups if g["ids"] & ids]
        merged = {"names": {name}, "ids": set(ids)}
        for g in joined:
            merged["names"] |= g["names"]
            merged["ids"] |= g["ids"]
            groups.remove(g)
        groups.append(merged)
    return len(groups) - 1


def rescale(cluster, rng, kubelet, wiped, log, shards):
    """The declaration changed to `shards` (pods added, every pod restarted on it, as a rollout does) with
    faults while slots move; converged, balanced; leaving pods deleted once drained. Seconds to healthy."""
    first = cluster.shards
    leaving = cluster.declare_shards(shards)
    for pod in rng.sample(cluster.pods, len(cluster.pods)):
        if pod.proc is not None and pod.name not in kubelet.due:
            pod.stop()
            pod.start()
        kubelet.idle(rng.uniform(0, 0.3))
    wiped.clear()
    under_fire(cluster, rng, kubelet, wiped, log)
    if leaving:
        start = time.monotonic()
        while True:
            kubelet.tend()
            report = json.loads(cluster.run_cli("status", "--json").stdout or "{}").get("leaving", [])
            states = {entry["pod"]: entry["state"] for entry in report}
            if all(states.get(pod.name) in ("drained", None) for pod in leaving):
                break
            if time.monotonic() - start > CONVERGE_TIMEOUT:
                raise RuntimeError(f"shard {shards}.. did not drain: {states}")
            time.sleep(0.5)
        for pod in leaving:
            cluster.delete_pod(pod)
    took = converge(cluster, kubelet)
    if took is None:
        raise RuntimeError(f"{first} -> {shards} shards did not converge")
    oracle.check_topology(cluster.pods, shards, designated_roles=False)
    return took


def one_run(seed, log, scale=False):
    rng = random.Random(seed)
    cluster = Cluster(3, 1, name="chaos", seed=seed)
    result = {"seed": seed, "converged": False, "split": 0, "lost": 0}
    kept = False
    try:
        kubelet = Kubelet(cluster, rng, log)
        wiped = set()
        order = list(cluster.pods)
        rng.shuffle(order)
        for pod in order:
            pod.start()
            kubelet.idle(rng.uniform(0, 0.5))
        under_fire(cluster, rng, kubelet, wiped, log)
        bootstrap = converge(cluster, kubelet)
        result["bootstrap"] = bootstrap
        if bootstrap is None:
            raise RuntimeError("the bootstrap did not converge")
        result["split"] = split_clusters(cluster)
        oracle.check_topology(cluster.pods, cluster.declared_ranges(), designated_roles=False)
        oracle.write_keys(cluster.pods, KEYS, replicas=1, prefix=f"c{seed}")
        oracle.wait_written(cluster.pods)  # what a kill -9 may lose is on the replica, and in its file
        under_fire(cluster, rng, kubelet, wiped, log)
        restart = converge(cluster, kubelet)
        result["restart"] = restart
        if restart is None:
            raise RuntimeError("the restart did not converge")
        result["split"] = max(result["split"], split_clusters(cluster))
        oracle.check_topology(cluster.pods, cluster.declared_ranges(), designated_roles=False)
        oracle.redis_cli_check(cluster.pods[0].ip)
        try:
            oracle.read_keys(cluster.pods, KEYS, prefix=f"c{seed}")
        except AssertionError as error:
            result["lost"] = 1
            raise RuntimeError(f"a key was lost: {error}") from error
        if scale:
            oracle.write_bulk(cluster.pods, BULK)
            oracle.wait_written(cluster.pods)
            for shards in (4, 3):
                result[f"to {shards}"] = rescale(cluster, rng, kubelet, wiped, log, shards)
                try:
                    oracle.read_keys(cluster.pods, KEYS, prefix=f"c{seed}")
                    oracle.read_bulk(cluster.pods, BULK)
                except AssertionError as error:
                    result["lost"] = 1
                    raise RuntimeError(f"a key was lost at {shards} shards: {error}") from error
        result["converged"] = True
    except Exception as error:
        result["error"] = f"{type(error).__name__}: {error}"
        path = cluster.record()
        result["record"] = path
        kept = True
    finally:
        cluster.close(keep_workdir=kept)
    return result


def main():
    arguments = [a for a in sys.argv[1:] if a != "--scale"]
    scale = "--scale" in sys.argv[1:]
    runs = int(arguments[0])
    first_seed = int(arguments[1]) if len(arguments) > 1 else random.randrange(1 << 20)
    results = []
    started = time.monotonic()
    for i in range(runs):
        seed = first_seed + i
        lines = []
        result = one_run(seed, lines.append, scale=scale)
        results.append(result)
        times = " ".join(f"{k} {result[k]:.1f} s" for k in ("bootstrap", "restart", "to 4", "to 3") if result.get(k) is not None)
        status = "converged" if result["converged"] else f"FAILED ({result['error']}; record {result['record']})"
        print(f"run {i + 1}/{runs} seed {seed}: {status}; {times}; {'; '.join(lines)}", flush=True)

    def figures(key):
        values = [r[key] for r in results if r.get(key) is not None]
        if not values:
            return "none"
        return f"median {statistics.median(values):.2f} s, worst {max(values):.2f} s"

    converged = sum(r["converged"] for r in results)
    splits = sum(r["split"] > 0 for r in results)
    lost = sum(r["lost"] for r in results)
    print(f"\nchaos: {runs} runs (seeds {first_seed}..{first_seed + runs - 1}) in {time.monotonic() - started:.0f} s")
    print(f"converged: {converged}/{runs}   split clusters: {splits}   runs that lost a key: {lost}")
    print(f"time to healthy after the last fault: bootstrap {figures('bootstrap')}; restart {figures('restart')}")
    sys.exit(0 if converged == runs and splits == 0 and lost == 0 else 1)


if __name__ == "__main__":
    main()
