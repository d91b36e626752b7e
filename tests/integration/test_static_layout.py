"""The static layout (docker-compose, bare hosts): peers listed by host:port, here all on 127.0.0.1."""

import os

from harness import Processes, free_cluster_port, wait_for, ROOT
import subprocess
import redis


def test_static_3x1_on_one_host(tmp_path):
    binary = os.environ.get("REDIS_INIT_BIN", os.path.join(ROOT, ".build", "release", "redis-init"))
    ports = []
    while len(ports) < 6:
        port = free_cluster_port()
        if port not in ports:
            ports.append(port)
    peers = ",".join(f"127.0.0.1:{p}" for p in ports)
    decl = ["--layout", "static", "--shards", "3", "--replicas", "1", "--peers", peers, "--interval", "1"]
    processes = Processes()
    try:
        for port in reversed(ports):
            work = tmp_path / str(port)
            work.mkdir()
            log = open(work / "agent.log", "w")
            processes.start([binary, "run", *decl, "--pod-name", f"127.0.0.1:{port}", "--",
                             "redis-server", "--bind", "127.0.0.1", "--port", str(port), "--dir", str(work),
                             "--save", "", "--appendonly", "no", "--logfile", str(work / "redis.log")],
                            stdout=log, stderr=log)
        wait_for(lambda: subprocess.run([binary, "status", *decl], capture_output=True).returncode == 0, 60,
                 what="a healthy static cluster")
        check = subprocess.run(["redis-cli", "--cluster", "check", f"127.0.0.1:{ports[0]}"], capture_output=True, text=True)
        assert check.returncode == 0 and "[OK] All 16384 slots covered." in check.stdout, check.stdout
        # Position k is shard k mod 3: the fourth peer replicates the first.
        first_id = redis.Redis(port=ports[0]).execute_command("CLUSTER", "MYID").decode()
        fourth = redis.Redis(port=ports[3], decode_responses=True).execute_command("CLUSTER", "NODES")
        mine = next(line for line in fourth.splitlines() if "myself" in line)
        assert mine.split()[3] == first_id, mine
    finally:
        processes.close()
