"""docker/docker-compose.yml run for real under podman-compose, with the locally built images in place of
the registry's, on a network of its own in 198.18.0.0/15: the cluster forms, `redis-init status` inside a
container says healthy, `redis-cli --cluster check` passes, keys go through a cluster client, maxmemory
follows the containers' memory limit and the server refuses writes at it rather than being killed, and a
container killed and started again rejoins. Everything it made is removed, even when a check fails.

Run by scripts/containers, which builds the images and passes their names."""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import redis
import yaml
from redis.cluster import ClusterNode, RedisCluster

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
COMPOSE = os.path.join(ROOT, "docker", "docker-compose.yml")
PODMAN = ["podman", "--runtime", "runc"]
KEYS = 1000


def run(*args, check=True, timeout=300, **kwargs):
    result = subprocess.run(args, capture_output=True, text=True, timeout=timeout, **kwargs)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} exited with {result.returncode}:\n{result.stdout}{result.stderr}")
    return result


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class ComposeCluster:
    def __init__(self, project, redis_init_image, server_image, subnet):
        self.project = project
        self.workdir = tempfile.mkdtemp(prefix=f"{project}-")
        self.password = os.urandom(18).hex()
        password_file = os.path.join(self.workdir, "redis-password.txt")
        with open(password_file, "w") as f:
            f.write(self.password + "\n")
        # As the README says: readable by the servers' user alone.
        os.chown(password_file, 999, 999)
        os.chmod(password_file, 0o600)
        with open(COMPOSE) as f:
            self.declared = yaml.safe_load(f)
        self.servers = sorted(name for name in self.declared["services"] if name.startswith("redis-") and name[6:].isdigit())
        # Pinned addresses in /etc/hosts, and no DNS server but the container's own loopback: podman's DNS
        # (aardvark) forwards names it does not know, such as a peer not started yet, to the host's
        # resolvers, and no test traffic may leave 198.18.0.0/15.
        base = subnet.rsplit(".", 1)[0]
        self.addresses = {name: f"{base}.{10 + k}" for k, name in enumerate(self.servers)}
        hosts = [f"{name}:{address}" for name, address in self.addresses.items()]
        isolated = {"dns": ["127.0.0.1"], "extra_hosts": hosts}
        override = {
            "services": {"redis-init": {"image": redis_init_image, **isolated},
                         **{name: {"image": server_image, **isolated,
                                   "networks": {"default": {"ipv4_address": self.addresses[name]}}}
                            for name in self.servers}},
            "networks": {"default": {"ipam": {"config": [{"subnet": subnet}]}}},
            "secrets": {"redis_password": {"file": password_file}},
        }
        self.override = os.path.join(self.workdir, "override.yml")
        with open(self.override, "w") as f:
            yaml.safe_dump(override, f)

    def compose(self, *args, timeout=300):
        return run("podman-compose", "--podman-args", "--runtime runc", "-p", self.project, "-f", COMPOSE, "-f",
                   self.override, *args, timeout=timeout)

    def container(self, service):
        """The container's name, as podman-compose names it."""
        names = run(*PODMAN, "ps", "-a", "--filter", f"label=io.podman.compose.project={self.project}", "--filter",
                    f"label=com.docker.compose.service={service}", "--format", "{{.Names}}").stdout.split()
        assert len(names) == 1, f"{service}: containers {names}"
        return names[0]

    def ip(self, service):
        inspect = json.loads(run(*PODMAN, "inspect", self.container(service)).stdout)[0]
        return next(iter(inspect["NetworkSettings"]["Networks"].values()))["IPAddress"]

    def redis_init(self, service, *args):
        return run(*PODMAN, "exec", self.container(service), "/opt/redis-init/redis-init", *args, check=False, timeout=60)

    def client(self, service):
        return redis.Redis(host=self.ip(service), port=6379, password=self.password, socket_timeout=5, decode_responses=True)

    def healthy(self, service="redis-0"):
        return self.redis_init(service, "status").returncode == 0

    def down(self):
        """Containers, volumes and the network, by project; then the work directory."""
        try:
            self.compose("down", "-v", "-t", "5")
        finally:
            shutil.rmtree(self.workdir, ignore_errors=True)
        left = run(*PODMAN, "ps", "-a", "-q", "--filter", f"label=io.podman.compose.project={self.project}").stdout.split()
        volumes = [v for v in run(*PODMAN, "volume", "ls", "-q").stdout.split() if v.startswith(self.project + "_")]
        networks = [n for n in run(*PODMAN, "network", "ls", "--format", "{{.Name}}").stdout.split()
                    if n.startswith(self.project + "_")]
        assert not (left or volumes or networks), f"left behind: {left} {volumes} {networks}"


def check(cluster):
    started = time.monotonic()
    cluster.compose("up", "-d")
    for name in cluster.servers:
        inspect = json.loads(run(*PODMAN, "inspect", cluster.container(name)).stdout)[0]
        with open(inspect["ResolvConfPath"]) as f:
            servers = [line.split()[1] for line in f if line.startswith("nameserver")]
        assert servers == ["127.0.0.1"], f"{name} resolves through {servers}"
        assert cluster.ip(name) == cluster.addresses[name], f"{name} at {cluster.ip(name)}"
    wait_for(cluster.healthy, 120, "redis-init status in redis-0 to say healthy")
    formed = time.monotonic() - started
    status = cluster.redis_init("redis-0", "status")
    print(f"formed: status healthy {formed:.1f} s after `up -d`\n$ redis-init status (in redis-0)\n{status.stdout}", end="")

    env = {**os.environ, "REDISCLI_AUTH": cluster.password}
    checked = subprocess.run(["redis-cli", "--cluster", "check", f"{cluster.ip('redis-0')}:6379"], capture_output=True,
                             text=True, env=env, timeout=60)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", checked.stdout)
    print(f"$ redis-cli --cluster check redis-0\n{plain}", end="")
    assert checked.returncode == 0 and "[OK] All 16384 slots covered." in checked.stdout, checked.stdout + checked.stderr

    nodes = [ClusterNode(cluster.ip(name), 6379) for name in cluster.servers]
    client = RedisCluster(startup_nodes=nodes, password=cluster.password, decode_responses=True)
    for k in range(KEYS):
        client.set(f"key:{k}", k)
    assert all(client.get(f"key:{k}") == str(k) for k in range(KEYS))
    print(f"{KEYS} keys written and read through a cluster client")

    limits(cluster)

    victim = "redis-2"
    run(*PODMAN, "kill", cluster.container(victim))
    started = time.monotonic()
    run(*PODMAN, "start", cluster.container(victim))
    wait_for(lambda: cluster.healthy(victim) and cluster.healthy(), 120, f"{victim} to rejoin")
    print(f"{victim} killed and started again: healthy {time.monotonic() - started:.1f} s after its start")
    logs = run(*PODMAN, "logs", cluster.container(victim))
    agent = [line for line in (logs.stdout + logs.stderr).splitlines() if "redis-init[" in line]
    last_start = max(i for i, line in enumerate(agent) if "started redis-server" in line)
    print("its agent, after the restart:\n" + "\n".join(agent[last_start:]))
    assert not [line for line in agent if "warn" in line], agent
    client = RedisCluster(startup_nodes=nodes, password=cluster.password, decode_responses=True)
    assert all(client.get(f"key:{k}") == str(k) for k in range(KEYS))
    print(f"all {KEYS} keys read back")
    client.close()


def limits(cluster):
    """maxmemory at 75 % of the compose file's memory limit, said in the log; a master filled to it
    refuses writes (the default noeviction) and is not killed."""
    limit = cluster.declared["services"]["redis-0"]["mem_limit"]
    assert limit.endswith("m"), limit
    expected = int(limit[:-1]) * (1 << 20) * 75 // 100
    master = next(name for name in cluster.servers
                  if cluster.client(name).info("replication")["role"] == "master")
    server = cluster.client(master)
    assert int(server.config_get("maxmemory")["maxmemory"]) == expected
    logs = run(*PODMAN, "logs", cluster.container(master))
    said = logs.stdout + logs.stderr
    assert "maxmemory" in said and "(75 %" in said, said
    tag = next(f"fill{n}" for n in range(100000) if owns(server, f"fill{n}"))
    value = "x" * (1 << 20)
    refused = None
    for n in range(expected // len(value) + 50):
        try:
            server.set(f"{{{tag}}}:{n}", value)
        except redis.exceptions.ResponseError as error:
            refused = str(error)
            break
    assert refused is not None and "used memory > 'maxmemory'" in refused, refused
    state = json.loads(run(*PODMAN, "inspect", cluster.container(master)).stdout)[0]["State"]
    assert state["Running"] and not state["OOMKilled"], state
    used = int(server.info("memory")["used_memory"])
    print(f"maxmemory {expected >> 20} MiB (75 % of mem_limit {limit}); {master} filled to {used >> 20} MiB refused "
          f"with '{refused}', still running")
    for n in range(expected // len(value) + 50):
        server.delete(f"{{{tag}}}:{n}")


def owns(server, key):
    slot = server.execute_command("CLUSTER", "KEYSLOT", key)
    return any(entry[0] <= slot <= entry[1] for entry in server.execute_command("CLUSTER", "SLOTS")
               if entry[2][0] == server.connection_pool.connection_kwargs["host"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--redis-init-image", required=True)
    parser.add_argument("--server-image", required=True)
    parser.add_argument("--project", required=True)
    parser.add_argument("--subnet", required=True)
    args = parser.parse_args()
    cluster = ComposeCluster(args.project, args.redis_init_image, args.server_image, args.subnet)
    try:
        check(cluster)
    except BaseException:
        for name in cluster.servers:
            logs = run(*PODMAN, "logs", "--tail", "15", f"{cluster.project}_{name}_1", check=False)
            print(f"--- {name}\n{logs.stdout}{logs.stderr}", file=sys.stderr)
        raise
    finally:
        cluster.down()
    print("teardown: no container, volume or network of the project left")


if __name__ == "__main__":
    main()
