"""Real parts for the integration tests: a dnsmasq answering Kubernetes-shaped names, and pods that
each run `redis-init run -- redis-server ...` on their own loopback address.

Every process is started here and tracked by its PID; `close()` stops exactly those, even when a
test fails. Nothing is killed by pattern.
"""

import os
import random
import shutil
import signal
import subprocess
import tempfile
import time

import redis
from lib import oracle
from lib.declaration import declared_pods
from lib.dnsmasq import Dnsmasq
from lib.processes import Processes, wait_for

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Pod:
    def __init__(self, name, fqdn, ip, workdir):
        self.name = name
        self.fqdn = fqdn
        self.ip = ip
        self.dir = os.path.join(workdir, name)
        os.makedirs(self.dir, exist_ok=True)
        self.proc = None

    @property
    def agent_log(self):
        return os.path.join(self.dir, "agent.log")

    def client(self, **kwargs):
        return redis.Redis(host=self.ip, port=6379, socket_timeout=2, decode_responses=True, **kwargs)


class Cluster:
    """A declared cluster of pods on loopback addresses 127.<net>.0.x, with its own dnsmasq."""

    _next_net = random.Random().randrange(20, 200)

    def __init__(self, shards, replicas, layout="shards", name="rc", namespace="demo", seed=None,
                 password=None, extra_agent_args=(), tls=None):
        Cluster._next_net = Cluster._next_net % 250 + 1
        self.net = Cluster._next_net
        self.shards, self.replicas, self.layout, self.name, self.namespace = shards, replicas, layout, name, namespace
        self.seed = seed if seed is not None else int(os.environ.get("SEED", random.randrange(1 << 30)))
        self.rng = random.Random(self.seed)
        self.password = password
        self.extra_agent_args = list(extra_agent_args)
        # TLS only (`tls`: a lib.certificates.Certificates): every server on a TLS port alone, its bus and replication too.
        self.tls = tls
        self.workdir = tempfile.mkdtemp(prefix=f"redis-init-test-{name}-")
        self.processes = Processes()
        self.dns = Dnsmasq(self.processes, self.workdir)
        self.binary = os.environ.get("REDIS_INIT_BIN", os.path.join(ROOT, ".build", "release", "redis-init"))
        self.pods = []
        for k, (pod_name, shard, ordinal) in enumerate(declared_pods(layout, name, shards, replicas)):
            fqdn = f"{pod_name}.{name}.{namespace}.svc.cluster.local"
            pod = Pod(pod_name, fqdn, f"127.{self.net}.0.{k + 1}", self.workdir)
            pod.shard, pod.ordinal = shard, ordinal
            if tls is not None:
                pod.tls = tls.client_settings()
            self.pods.append(pod)
        if password is not None:
            self.password_file = os.path.join(self.workdir, "password")
            with open(self.password_file, "w") as f:
                f.write(password + "\n")
            os.chmod(self.password_file, 0o600)

    # -- declaration

    def agent_args(self):
        args = ["--layout", self.layout, "--name", self.name, "--namespace", self.namespace,
                "--shards", str(self.shards), "--replicas", str(self.replicas), "--nameserver", self.dns.nameserver]
        if self.password is not None:
            args += ["--password-file", self.password_file]
        if self.tls is not None:
            args += self.tls.agent_args()
        return args + self.extra_agent_args

    def pod(self, shard, ordinal):
        return next(p for p in self.pods if p.shard == shard and p.ordinal == ordinal)

    # -- pod operations

    def publish(self, pod):
        self.dns.set(pod.fqdn, pod.ip)

    def start(self, pod):
        self.publish(pod)
        server = ["redis-server", "--bind", pod.ip, "--bind-source-addr", pod.ip, "--port", "6379",
                  "--dir", pod.dir, "--save", "", "--appendonly", "no", "--protected-mode", "no",
                  "--cluster-node-timeout", "3000", "--logfile", os.path.join(pod.dir, "redis.log")]
        if self.tls is not None:
            server[server.index("--port") + 1] = "0"
            server += self.tls.server_args()
        if self.password is not None:
            # The server reads its password from a config file, never from argv; `init --auth-conf` writes
            # it, as the initContainer of the Kubernetes manifests does.
            conf = os.path.join(pod.dir, "auth.conf")
            result = self.run_cli("init", *self.agent_args(), "--nodes-conf", os.path.join(pod.dir, "nodes.conf"), "--auth-conf", conf)
            assert result.returncode == 0, result.stderr
            server.insert(1, conf)
        log = open(pod.agent_log, "a")
        pod.proc = self.processes.start(
            [self.binary, "run", *self.agent_args(), "--interval", "1", "--pod-name", pod.name, "--local-address", pod.ip, "--", *server],
            stop_signal=signal.SIGINT, stdout=log, stderr=log)
        return pod.proc

    def start_all(self, max_delay=0.0):
        order = list(self.pods)
        self.rng.shuffle(order)
        print(f"seed {self.seed}: start order {[p.name for p in order]}")
        for pod in order:
            self.start(pod)
            if max_delay:
                time.sleep(self.rng.uniform(0, max_delay))

    def run_cli(self, *args, env=None, timeout=30):
        return subprocess.run([self.binary, *args], capture_output=True, text=True, env=env, timeout=timeout)

    def status(self, json_output=True):
        args = ["status", *self.agent_args()] + (["--json"] if json_output else [])
        return self.run_cli(*args)

    # -- the oracle

    def client(self, pod):
        return pod.client(password=self.password)

    def wait_healthy(self, timeout=60):
        return wait_for(lambda: self.status().returncode == 0, timeout, interval=0.2, what="redis-init status to report healthy")

    def check_topology(self):
        oracle.check_topology(self.pods, self.declared_ranges(), self.password)

    def redis_cli_check(self):
        return oracle.redis_cli_check(self.pods[0].ip, self.password)

    def declared_ranges(self):
        return oracle.declared_ranges(self.run_cli("peers", *self.agent_args(), "--json").stdout)

    def write_and_read_keys(self, count=200):
        oracle.write_keys(self.pods, count, self.password, replicas=self.replicas)
        oracle.read_keys(self.pods, count, self.password)

    # -- records

    def dump(self):
        return oracle.dump(self.pods, self.seed, self.workdir, self.password, log_of=lambda pod: pod.agent_log)

    def close(self, keep=False):
        self.processes.close()
        if not keep:
            shutil.rmtree(self.workdir, ignore_errors=True)
