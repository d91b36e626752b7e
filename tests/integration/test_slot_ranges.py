"""The slot ranges redis-init assigns equal the ones the real `redis-cli --cluster create` proposes.
redis-cli prints its plan before asking for confirmation; answering "no" leaves the servers untouched."""

import json
import os
import re
import subprocess

import pytest
import redis
from lib.processes import Processes, free_cluster_port, wait_for

SIZES = list(range(3, 21)) + [78, 87]


@pytest.fixture(scope="module")
def empty_servers(tmp_path_factory):
    processes = Processes()
    ports = []
    try:
        for i in range(max(SIZES)):
            port = free_cluster_port()
            work = tmp_path_factory.mktemp(f"node{i}")
            processes.start(["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--cluster-enabled", "yes",
                             "--dir", str(work), "--save", "", "--appendonly", "no", "--logfile", str(work / "log")])
            ports.append(port)
        for port in ports:
            wait_for(lambda: redis.Redis(port=port).ping(), 10, what=f"redis on {port}")
        yield ports
    finally:
        processes.close()


def redis_cli_plan(ports, masters):
    nodes = [f"127.0.0.1:{p}" for p in ports[:masters]]
    result = subprocess.run(["redis-cli", "--cluster", "create", *nodes, "--cluster-replicas", "0"],
                            input="no\n", capture_output=True, text=True, timeout=60)
    plan = re.findall(r"Master\[(\d+)\] -> Slots (\d+) - (\d+)", result.stdout)
    assert len(plan) == masters, result.stdout + result.stderr
    return [f"{lo}-{hi}" for _, lo, hi in sorted(plan, key=lambda m: int(m[0]))]


def redis_init_plan(masters):
    binary = os.environ.get("REDIS_INIT_BIN", os.path.join(os.path.dirname(__file__), "..", "..", ".build", "release", "redis-init"))
    result = subprocess.run([binary, "peers", "--layout", "shards", "--name", "x", "--shards", str(masters),
                             "--nameserver", "127.0.0.1:9", "--timeout", "0.05", "--json"],
                            capture_output=True, text=True, timeout=60, env={**os.environ, "REDIS_INIT_TIMEOUT": "0.05"})
    entries = json.loads(result.stdout)
    return [e["slots"] for e in sorted(entries, key=lambda e: e["shard"]) if e["slots"]]


@pytest.mark.parametrize("masters", SIZES)
def test_slot_ranges_match_redis_cli(empty_servers, masters):
    assert redis_init_plan(masters) == redis_cli_plan(empty_servers, masters)
