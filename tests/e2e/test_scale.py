"""The shard count of a live cluster changed, shards layout: the declaration changed everywhere, the new
shards' pods started (or the leaving shards' pods rolled onto it), the old pods rolled; the creator's
agent moves slots once every agent holds the new declaration, with acknowledged keys and one writer per
shard going on throughout. Each step ends healthy as declared, balanced within one slot, every key there."""

import json
import re
import threading
import time

import pytest
from lib import oracle
from lib.processes import wait_for
from proving_ground import Pod
from rollout import ready
from writers import start_writers

KEYS = 2000


def roll_in_place(cluster, pods):
    """A StatefulSet update at the same addresses: each pod stopped gracefully and started again, the
    next once it is ready."""
    for pod in sorted(pods, key=lambda p: (p.shard, -p.ordinal)):
        pod.restart(graceful=True)
        wait_for(lambda pod=pod: ready(cluster, pod), 60, interval=0.5, what=f"{pod.name} to be ready again")


def grow(cluster, shards):
    """The declaration grown to `shards`: the new shards' StatefulSets created, then the old pods rolled."""
    old = list(cluster.pods)
    cluster.declare_shards(shards)
    roll_in_place(cluster, old)


def status(cluster):
    return json.loads(cluster.run_cli("status", "--json").stdout)


def shrink(cluster, shards):
    """The declaration shrunk to `shards`: every pod rolled onto it (the leaving ones keep serving), the
    leaving shards' StatefulSets deleted once status shows them drained."""
    leaving = [pod for pod in cluster.pods if pod.shard >= shards]
    cluster.shards = shards
    roll_in_place(cluster, [pod for pod in cluster.pods if pod not in leaving] + leaving)
    for pod in leaving:
        assert pod.proc.poll() is None, f"{pod.name} stopped while it drains"

    def drained():
        report = status(cluster)["leaving"]
        names = {entry["pod"]: entry["state"] for entry in report}
        return all(names.get(pod.name) == "drained" for pod in leaving if pod.ordinal == 0)
    try:
        wait_for(drained, 180, interval=1, what="the leaving shards to drain")
    except AssertionError:
        print(cluster.run_cli("status").stdout)
        raise
    for pod in leaving:
        cluster.delete_pod(pod)


def test_shards_scaled_out_and_in(ground):
    """3 -> 4 -> 5 -> 3 shards, 2 pods each."""
    cluster = ground(3, 1, name="sc")
    cluster.start_all()
    cluster.assert_healthy(keys=10)
    oracle.write_keys(cluster.pods, KEYS, replicas=1, prefix="acked")
    writers = start_writers(cluster)
    try:
        for shards in (4, 5, 3):
            if shards > cluster.shards:
                grow(cluster, shards)
            else:
                shrink(cluster, shards)
            cluster.assert_healthy(designated_roles=False, keys=50, timeout=180, balanced=True)
            oracle.read_keys(cluster.pods, KEYS, prefix="acked")
            logs = cluster.agent_logs()[cluster.pod(0, 0).name]
            assert "moved " in logs, "the creator's agent logged no move"
    finally:
        for writer in writers:
            writer.stop()
    for writer in writers:
        assert len(writer.acknowledged) > 100, f"writer {writer.shard}: {writer.gap_report()}"
        assert writer.lost() == [], f"writer {writer.shard} lost acknowledged writes"
        print(f"writer {writer.shard}: {len(writer.acknowledged)} acknowledged, {writer.gap_report()}")


def roll_by_index(cluster, pods):
    """A StatefulSet update of the ordinal layout: highest index first, each pod stopped gracefully and
    started again, the next once it is ready."""
    for pod in sorted(pods, key=lambda p: int(p.name.rsplit("-", 1)[1]), reverse=True):
        pod.restart(graceful=True)
        wait_for(lambda pod=pod: ready(cluster, pod), 120, interval=0.5, what=f"{pod.name} to be ready again")


def test_ordinal_scaled_out_and_in(ground):
    """3 -> 4 -> 5 -> 3 shards of 2 pods in one StatefulSet, where another count re-maps pods (rc-k is shard
    k mod M): the new count rolls every pod; out, the StatefulSet then grows; in, it shrinks once status
    shows the pods beyond the declaration drained."""
    cluster = ground(3, 1, layout="ordinal", name="so")
    cluster.start_all()
    cluster.assert_healthy(keys=10)
    oracle.write_keys(cluster.pods, KEYS, replicas=1, prefix="acked")
    writers = start_writers(cluster)
    try:
        for shards in (4, 5, 3):
            old = list(cluster.pods)
            leaving = cluster.remap(shards)
            roll_by_index(cluster, old)
            if leaving:
                def drained():
                    states = {entry["pod"]: entry["state"] for entry in status(cluster)["leaving"]}
                    return all(states.get(pod.name) in ("drained", None) for pod in leaving)
                wait_for(drained, 180, interval=1, what="the pods beyond the declaration to drain")
                for pod in leaving:
                    cluster.delete_pod(pod)
            else:
                cluster.add_declared_pods()
            cluster.assert_healthy(designated_roles=False, keys=50, timeout=180, balanced=True)
            oracle.read_keys(cluster.pods, KEYS, prefix="acked")
            logs = cluster.agent_logs()[cluster.pod(0, 0).name].split(f"cluster of {shards}x1")[-1]
            assert "moved " in logs, f"the creator's agent logged no move for {shards} shards"
    finally:
        for writer in writers:
            writer.stop()
    assert_nothing_lost(writers)


def assert_nothing_lost(writers):
    """Every stopped writer's acknowledged values are all there; each writer's figures printed."""
    for writer in writers:
        assert writer.lost() == [], f"writer {writer.shard} lost acknowledged writes"
        print(f"writer {writer.shard}: {len(writer.acknowledged)} acknowledged, {writer.gap_report()}")


def loaded(cluster):
    """The cluster formed, 200,000 keys written, one writer per shard started."""
    cluster.start_all()
    cluster.assert_healthy(keys=10)
    oracle.write_bulk(cluster.pods, 200_000)
    return cluster, start_writers(cluster)


@pytest.mark.parametrize("victim", ["source", "destination", "driver"])
def test_a_move_killed_midway_is_finished(ground, victim):
    """3 -> 4 shards with 200,000 keys: once the creator's agent has started moving, the pod it moves
    from, the one it moves to, or the creator itself is killed -9 and started again. The move is finished
    from what is observed: healthy, balanced, every key there, no slot left open."""
    cluster, writers = loaded(ground(3, 1, name="mk"))
    creator = cluster.pod(0, 0)
    try:
        old = list(cluster.pods)
        cluster.declare_shards(4)
        # Moves begin as the last pod rolls, before it is ready: watch for them while the roll goes on.
        rolling = threading.Thread(target=roll_in_place, args=(cluster, old), daemon=True)
        rolling.start()
        moving = re.compile(r"info: move \d+ slots \(.*\) from (\S+) to (\S+)$", re.M)
        found = wait_for(lambda: moving.search(open(creator.agent_log).read().split("cluster of 4x1")[-1]), 120,
                         interval=0.02, what="the creator's agent to start moving slots")
        name = {"source": found.group(1), "destination": found.group(2), "driver": creator.name}[victim]
        pod = next(p for p in cluster.pods if p.name == name)
        moves_before = len(moving.findall(open(creator.agent_log).read()))
        pod.kill()
        print(f"killed {pod.name} ({victim}) while moving")
        time.sleep(1)
        pod.start()
        rolling.join(120)
        cluster.assert_healthy(designated_roles=False, keys=50, timeout=180, balanced=True)
        oracle.read_bulk(cluster.pods, 200_000)
        # The move was cut, not finished before the kill: the creator's agent moved again after it.
        assert len(moving.findall(open(creator.agent_log).read())) > moves_before, "no move after the kill"

    finally:
        for writer in writers:
            writer.stop()
    assert_nothing_lost(writers)


def test_a_leaving_pod_restarted_at_a_new_ip_while_it_drains(ground):
    """4 -> 3 shards with 200,000 keys: once slots move off shard 3, the pod they move from is killed -9 and
    started again at a new address. Its shard still drains: healthy as 3 shards, balanced, every key there."""
    cluster, writers = loaded(ground(4, 1, name="ml"))
    creator = cluster.pod(0, 0)
    try:
        cluster.shards = 3
        rolling = threading.Thread(target=roll_in_place, args=(cluster, list(cluster.pods)), daemon=True)
        rolling.start()
        moving = re.compile(r"info: move \d+ slots \(.*\) from (\S+) to (\S+)$", re.M)
        found = wait_for(lambda: moving.search(open(creator.agent_log).read().split("cluster of 3x1")[-1]), 180,
                         interval=0.02, what="the creator's agent to start moving slots")
        pod = next(p for p in cluster.pods if p.name == found.group(1))
        assert pod.shard == 3, f"moving from {pod.name}"
        pod.kill()
        print(f"killed {pod.name} while it drains")
        time.sleep(1)
        pod.start(new_ip=True)
        rolling.join(180)
        leaving = [p for p in cluster.pods if p.shard == 3]

        def drained():
            states = {entry["pod"]: entry["state"] for entry in status(cluster)["leaving"]}
            return all(states.get(p.name) in ("drained", None) for p in leaving) and states
        wait_for(drained, 180, interval=1, what="shard 3 to drain")
        for p in leaving:
            cluster.delete_pod(p)
        cluster.assert_healthy(designated_roles=False, keys=50, timeout=180, balanced=True)
        oracle.read_bulk(cluster.pods, 200_000)
    finally:
        for writer in writers:
            writer.stop()
    assert_nothing_lost(writers)


def test_replicas_scaled_down_and_up_again_with_writers(ground):
    """3x2 -> 3x1 -> 3x2 with a writer per shard: the third pod of each shard deleted, the rest rolled, every
    node forgets the deleted ones; then they come back on their old volumes (a StatefulSet keeps its
    claims) and every pod rolls onto 2 replicas again. Healthy as declared each time, nothing lost."""
    cluster, writers = loaded(ground(3, 2, name="rp"))
    try:
        leaving = [pod for pod in cluster.pods if pod.ordinal == 2]
        for pod in leaving:
            cluster.delete_pod(pod)
        cluster.replicas = 1
        roll_in_place(cluster, list(cluster.pods))
        cluster.assert_healthy(designated_roles=False, keys=20, timeout=120)
        cluster.replicas = 2
        back = [Pod(cluster, pod.name, pod.shard, pod.ordinal) for pod in leaving]
        old = list(cluster.pods)
        for pod in back:
            cluster.pods.append(pod)
            pod.start()
        roll_in_place(cluster, old)
        cluster.assert_healthy(designated_roles=False, keys=20, timeout=180)
        oracle.read_bulk(cluster.pods, 200_000)
    finally:
        for writer in writers:
            writer.stop()
    assert_nothing_lost(writers)
