"""The shard count of a live cluster changed, shards layout: the declaration changed everywhere, the new
shards' pods started (or the leaving shards' pods rolled onto it), the old pods rolled; the creator's
agent moves slots once every agent holds the new declaration, with acknowledged keys and one writer per
shard going on throughout. Each step ends healthy as declared, balanced within one slot, every key there."""

import json

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
    first = cluster.shards
    cluster.shards = shards
    for shard in range(first, shards):
        for ordinal in range(cluster.replicas + 1):
            pod = Pod(cluster, f"{cluster.name}-shard{shard}-{ordinal}", shard, ordinal)
            cluster.pods.append(pod)
            pod.start()
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
