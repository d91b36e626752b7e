"""The static layout (docker-compose, bare hosts): peers listed by host:port, here all on one\nloopback address, IPv4 and IPv6."""

import os
import signal
import subprocess

import pytest
import redis
from harness import ROOT
from lib.processes import Processes, free_cluster_port, wait_for


def ipv6_loopback_available():
    import socket
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


@pytest.mark.parametrize("host", ["127.0.0.1", pytest.param("::1", marks=pytest.mark.skipif(
    not ipv6_loopback_available(), reason="no IPv6 loopback on this machine"))])
def test_static_3x1_on_one_host(tmp_path, host):
    binary = os.environ.get("REDIS_INIT_BIN", os.path.join(ROOT, ".build", "release", "redis-init"))
    ports = []
    while len(ports) < 6:
        port = free_cluster_port()
        if port not in ports:
            ports.append(port)
    bracketed = f"[{host}]" if ":" in host else host
    peers = ",".join(f"{bracketed}:{p}" for p in ports)
    decl = ["--layout", "static", "--shards", "3", "--replicas", "1", "--peers", peers]
    processes = Processes()
    try:
        for port in reversed(ports):
            work = tmp_path / str(port)
            work.mkdir()
            log = open(work / "agent.log", "w")
            processes.start([binary, "run", *decl, "--interval", "1", "--pod-name", f"{bracketed}:{port}", "--local-address", host, "--",
                             "redis-server", "--bind", host, "--port", str(port), "--dir", str(work),
                             "--save", "", "--appendonly", "no", "--logfile", str(work / "redis.log")],
                            stop_signal=signal.SIGINT, stdout=log, stderr=log)
        wait_for(lambda: subprocess.run([binary, "status", *decl], capture_output=True).returncode == 0, 60,
                 what="a healthy static cluster")
        check = subprocess.run(["redis-cli", "--cluster", "check", f"{host}:{ports[0]}"], capture_output=True, text=True)
        assert check.returncode == 0 and "[OK] All 16384 slots covered." in check.stdout, check.stdout
        # Position k is shard k mod 3: the fourth peer replicates the first.
        first_id = redis.Redis(host=host, port=ports[0]).execute_command("CLUSTER", "MYID").decode()
        fourth = redis.Redis(host=host, port=ports[3], decode_responses=True).execute_command("CLUSTER", "NODES")
        mine = next(line for line in fourth.splitlines() if "myself" in line)
        assert mine.split()[3] == first_id, mine
    finally:
        processes.close()
