"""The oracle: what a healthy cluster looks like from outside, checked against real servers.

Pods are any objects with `name`, `ip`, `shard` and `ordinal`; `ranges` maps shard -> (lo, hi).
"""

import json
import os
import subprocess
import time

import redis
from redis.cluster import ClusterNode, RedisCluster


def declared_ranges(peers_json):
    """shard -> (lo, hi) from `redis-init peers --json` output: the ranges the declaration gives."""
    ranges = {}
    for entry in json.loads(peers_json):
        if entry["slots"]:
            lo, hi = entry["slots"].split("-")
            ranges[entry["shard"]] = (int(lo), int(hi))
    return ranges


def tls_of(pods):
    """redis-py's TLS settings for pods whose servers speak TLS only (their `tls` attribute), else none."""
    return getattr(pods[0], "tls", None) or {}


def client(pod, password=None, username=None):
    return redis.Redis(host=pod.ip, port=6379, socket_timeout=3, socket_connect_timeout=2, decode_responses=True,
                       password=password, username=username, **tls_of([pod]))


def check_topology(pods, ranges, password=None, designated_roles=True):
    """Every node knows exactly the declared pods, none failing, in handshake or without address; each
    shard has one master serving its declared range (with `ranges` the shard count: a balanced share),
    and every other pod of the shard replicates it with its link up. With `designated_roles`, that master
    must be ordinal 0 (true right after bootstrap)."""
    ids = {pod.name: client(pod, password).execute_command("CLUSTER", "MYID") for pod in pods}
    pod_by_id = {ids[pod.name]: pod for pod in pods}
    views = {pod.name: client(pod, password).execute_command("CLUSTER", "NODES").strip().splitlines() for pod in pods}
    # Each shard's master, as its own node reports.
    master_of_shard = {}
    for pod in pods:
        mine = next(line for line in views[pod.name] if "myself" in line).split()
        if "master" in mine[2].split(","):
            assert pod.shard not in master_of_shard, f"shard {pod.shard} has two masters: {master_of_shard[pod.shard].name}, {pod.name}"
            if isinstance(ranges, int):
                # After a scale change: any map, balanced within one slot, with no slot left open.
                assert not any(field.startswith("[") for field in mine[8:]), f"{pod.name} has open slots: {mine[8:]}"
                count = sum((int(f.split("-")[-1]) - int(f.split("-")[0]) + 1) for f in mine[8:])
                base = 16384 // ranges
                assert count in (base, base + 1), f"{pod.name} serves {count} slots, not {base} or {base + 1}"
            else:
                lo, hi = ranges[pod.shard]
                assert mine[8:] == [f"{lo}-{hi}"], f"{pod.name} serves {mine[8:]}, declared {lo}-{hi}"
            master_of_shard[pod.shard] = pod
    for shard in (range(ranges) if isinstance(ranges, int) else ranges):
        assert shard in master_of_shard, f"shard {shard} has no master"
        if designated_roles:
            assert master_of_shard[shard].ordinal == 0, f"shard {shard}'s master is {master_of_shard[shard].name}"
    for pod in pods:
        lines = views[pod.name]
        assert len(lines) == len(pods), f"{pod.name} knows {len(lines)} nodes, not {len(pods)}:\n" + "\n".join(lines)
        for line in lines:
            fields = line.split()
            flags = fields[2].split(",")
            assert fields[0] in pod_by_id, f"{pod.name} knows an undeclared node: {line}"
            for bad in ("fail", "fail?", "handshake", "noaddr"):
                assert bad not in flags, f"{pod.name} sees: {line}"
            owner = pod_by_id[fields[0]]
            # Its own line too: a node restarted elsewhere with its nodes.conf keeps reporting its old
            # address until a MEET tells it the new one, and hands it to clients in CLUSTER SLOTS.
            listed_ip = fields[1].split(",")[0].rsplit(":", 1)[0]
            assert listed_ip == owner.ip, f"{pod.name} lists {owner.name} at {listed_ip}, not at {owner.ip}: {line}"
            master = master_of_shard[owner.shard]
            if owner is not master:
                assert "slave" in flags and fields[3] == ids[master.name], \
                    f"{pod.name} sees {owner.name} not replicating {master.name}: {line}"
    for pod in pods:
        if pod is not master_of_shard[pod.shard]:
            info = client(pod, password).info("replication")
            assert info.get("master_link_status") == "up", f"{pod.name}: master_link_status {info.get('master_link_status')}"


def redis_cli_check_problem(entry_ip, password=None, cli="redis-cli"):
    """`redis-cli --cluster check`'s output when it finds anything wrong, else None."""
    env = dict(os.environ)
    if password is not None:
        env["REDISCLI_AUTH"] = password
    result = subprocess.run([cli, "--cluster", "check", f"{entry_ip}:6379"], capture_output=True, text=True, env=env,
                            timeout=60)
    out = result.stdout + result.stderr
    clean = result.returncode == 0 and "[OK] All 16384 slots covered." in out and "[ERR]" not in out and "[WARNING]" not in out
    return None if clean else out


def redis_cli_check(entry_ip, password=None, cli="redis-cli"):
    problem = redis_cli_check_problem(entry_ip, password, cli)
    assert problem is None, problem


def write_keys(pods, count=200, password=None, prefix="key", replicas=0):
    """Writes keys through a cluster client; each master then WAITs for its replicas to acknowledge."""
    cluster = RedisCluster(startup_nodes=[ClusterNode(p.ip, 6379) for p in pods], password=password,
                           decode_responses=True, socket_timeout=5, **tls_of(pods))
    try:
        for i in range(count):
            cluster.set(f"{prefix}:{i}", f"value:{i}")
        if replicas:
            for node in cluster.get_primaries():
                acked = cluster.execute_command("WAIT", replicas, 5000, target_nodes=node)
                assert acked >= replicas, f"{node.name}: WAIT acknowledged by {acked} replicas"
    finally:
        cluster.close()


def wait_written(pods, password=None, timeout=10):
    """Until every server has written what it acknowledged to its append-only file: with `appendfsync
    everysec` Redis holds writes back for up to 2 s while a background fsync runs, and a kill -9 of every
    node in that window loses writes that WAIT acknowledged (replication is not persistence)."""
    def written():
        for pod in pods:
            info = client(pod, password).info("persistence")
            if info.get("aof_buffer_length", 0) != 0 or info.get("aof_pending_bio_fsync", 0) != 0:
                return False
        return True
    deadline = time.monotonic() + timeout
    while not written():
        assert time.monotonic() < deadline, "the servers did not write their append-only files in time"
        time.sleep(0.05)


def key_slot(key):
    """The hash slot of a key without hash tags: CRC16 (XMODEM) mod 16384, as Redis computes it."""
    crc = 0
    for byte in key.encode():
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc % 16384


def read_keys(pods, count=200, password=None, prefix="key", only=None):
    """Reads back keys written by write_keys (all of them, or the indexes in `only`)."""
    cluster = RedisCluster(startup_nodes=[ClusterNode(p.ip, 6379) for p in pods], password=password,
                           decode_responses=True, socket_timeout=5, **tls_of(pods))
    try:
        for i in (range(count) if only is None else only):
            value = cluster.get(f"{prefix}:{i}")
            assert value == f"value:{i}", f"{prefix}:{i} is {value!r}"
    finally:
        cluster.close()


def dump(pods, seed, workdir, password=None, log_of=lambda pod: None):
    """What a failing test leaves to read: the seed, each pod's agent log tail and every node's view."""
    out = [f"seed: {seed}", f"workdir: {workdir}"]
    for pod in pods:
        out.append(f"===== {pod.name} ({pod.ip}) agent log")
        path = log_of(pod)
        try:
            with open(path) as f:
                out.extend(f.read().splitlines()[-40:])
        except (OSError, TypeError):
            out.append("(none)")
        out.append(f"----- {pod.name} CLUSTER NODES")
        if not pod.ip:
            out.append("(never started)")
            continue
        try:
            out.append(client(pod, password).execute_command("CLUSTER", "NODES"))
        except Exception as error:
            out.append(f"(unreachable: {error})")
    return "\n".join(out)


def write_bulk(pods, count, password=None):
    """`count` keys of about 100 bytes through a cluster client, 5,000 a pipeline; then each master WAITs
    for a replica."""
    cluster = RedisCluster(startup_nodes=[ClusterNode(p.ip, 6379) for p in pods], password=password, socket_timeout=10)
    try:
        for start in range(0, count, 5000):
            pipe = cluster.pipeline()
            for i in range(start, min(start + 5000, count)):
                pipe.set(f"bulk:{i}", f"{i:0100d}")
            pipe.execute()
        for node in cluster.get_primaries():
            assert cluster.execute_command("WAIT", 1, 5000, target_nodes=node) >= 1, f"{node.name}: no replica acknowledged"
    finally:
        cluster.close()


def read_bulk(pods, count, password=None):
    """Reads back what write_bulk wrote; names how many are missing."""
    cluster = RedisCluster(startup_nodes=[ClusterNode(p.ip, 6379) for p in pods], password=password, socket_timeout=10)
    try:
        missing = []
        for start in range(0, count, 5000):
            pipe = cluster.pipeline()
            for i in range(start, min(start + 5000, count)):
                pipe.get(f"bulk:{i}")
            values = pipe.execute()
            missing += [start + n for n, value in enumerate(values) if value != f"{start + n:0100d}".encode()]
        assert not missing, f"{len(missing)} keys lost, first {missing[:5]}"
    finally:
        cluster.close()
