"""C, the bench's reference: redis-init's steps done from one place, with nothing an agent costs. One
controller that knows every pod's address from the start forms bare servers (no agents: no CPU of theirs,
no DNS, no start-up): it waits for every server to answer, then sends each step to every server at once
(write all, then read all), and REPLICATEs each replica as soon as its node accepts it.

The steps, each as early as it can be: epochs 1..M and each shard's range on its master; the MEETs
(`introductions`: by default each pair of masters once and each replica its own master); each master's
first full sync without `repl-diskless-sync-delay`; then, unless told not to, the agents' mending
(`mend`). What is left is Redis's own, which no agent can shorten: the handshakes, gossip, a node learning
a master's slots only from that master, `CLUSTER_WRITABLE_DELAY`. Where C is slow, an agent design is
too: C is the floor the agents are measured against, not a tool."""

import socket
import time


def encode(*words):
    parts = [f"*{len(words)}\r\n".encode()]
    for word in words:
        data = str(word).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(parts)


class Connection:
    """A bare RESP connection: a batch of commands is written in one go, its replies read afterwards, so a
    batch sent to every server waits for the slowest server once, not for each in turn."""

    def __init__(self, ip, port=6379, timeout=10):
        self.sock = socket.create_connection((ip, port), timeout=timeout)
        self.buffer = b""

    def send(self, commands):
        self.sock.sendall(b"".join(encode(*command) for command in commands))

    def replies(self, count):
        return [self._reply() for _ in range(count)]

    def _more(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        self.buffer += chunk

    def _line(self):
        while b"\r\n" not in self.buffer:
            self._more()
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def _reply(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind in (b"+", b":"):
            return rest.decode()
        if kind == b"-":
            return ReplyError(rest.decode())
        if kind == b"$":
            size = int(rest)
            if size < 0:
                return None
            while len(self.buffer) < size + 2:
                self._more()
            data, self.buffer = self.buffer[:size], self.buffer[size + 2:]
            return data.decode()
        raise ValueError(f"unexpected reply {line[:40]!r}")

    def close(self):
        self.sock.close()


class ReplyError(str):
    """A server's -ERR reply, kept in its place among the replies."""


def everywhere(connections, batches):
    """Sends every connection its batch at once, then reads the replies: {name: [reply, ...]}."""
    for name, commands in batches.items():
        connections[name].send(commands)
    return {name: connections[name].replies(len(commands)) for name, commands in batches.items()}


def answering(pod, deadline):
    while True:
        connection = None
        try:
            connection = Connection(pod.ip, timeout=0.2)
            connection.send([["PING"]])
            if connection.replies(1) == ["PONG"]:
                connection.sock.settimeout(10)
                return connection
        except OSError:
            pass
        if connection is not None:
            connection.close()
        if time.monotonic() > deadline:
            raise RuntimeError(f"{pod.name} did not answer")
        time.sleep(0.01)


MEETS = ("masters", "star", "pairs")


def introductions(cluster, meet):
    """{pod name: its MEETs}. masters: each pair of masters once, each replica its own master; star: every
    master the first one, as redis-init's creator introduces them, each replica its own master; pairs:
    every pair of pods once."""
    masters = [pod for pod in cluster.pods if pod.ordinal == 0]
    replicas = [pod for pod in cluster.pods if pod.ordinal > 0]
    def meets(pods):
        return [["CLUSTER", "MEET", pod.ip, 6379] for pod in pods]
    if meet == "pairs":
        everyone = masters + replicas
        return {pod.name: meets(everyone[i + 1:]) for i, pod in enumerate(everyone)}
    chosen = {m.name: meets(masters[i + 1:] if meet == "masters" else masters[:1] if i else []) for i, m in enumerate(masters)}
    chosen.update({r.name: meets([cluster.pod(r.shard, 0)]) for r in replicas})
    return chosen


def form(cluster, ranges, meet="masters", asks=False):
    """Forms `cluster` (servers started alone) from its declaration: ranges is {shard: (lo, hi)}; `meet` one
    of MEETS; `asks`: then mend what the nodes still lack, as redis-init's agents do (`mend`)."""
    deadline = time.monotonic() + 60
    connections = {pod.name: answering(pod, deadline) for pod in cluster.pods}
    try:
        masters = [pod for pod in cluster.pods if pod.ordinal == 0]
        replicas = [pod for pod in cluster.pods if pod.ordinal > 0]
        ids = {name: replies[0] for name, replies in
               everywhere(connections, {pod.name: [["CLUSTER", "MYID"]] for pod in cluster.pods}).items()}
        create = {m.name: [["CONFIG", "SET", "repl-diskless-sync-delay", "0"],
                           ["CLUSTER", "SET-CONFIG-EPOCH", m.shard + 1],
                           ["CLUSTER", "ADDSLOTSRANGE", *ranges[m.shard]]] for m in masters}
        failed(everywhere(connections, create), "create")
        meets = introductions(cluster, meet)
        failed(everywhere(connections, {name: batch for name, batch in meets.items() if batch}), "MEET")
        pending = replicas
        while pending:
            replies = everywhere(connections, {r.name: [["CLUSTER", "REPLICATE", ids[cluster.pod(r.shard, 0).name]]] for r in pending})
            pending = [r for r in pending if isinstance(replies[r.name][0], ReplyError)]
            if pending:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"REPLICATE still refused: {replies[pending[0].name][0]}")
                time.sleep(0.02)
        if asks:
            mend(cluster, connections, ids)
    finally:
        for connection in connections.values():
            connection.close()


def mend(cluster, connections, ids, budget=30):
    """Until every node lists every pod and nothing else: a node that lacks a pod MEETs it, and a node that
    lists a master without its slots, or a replica without its master, has that pod MEET it (a MEET from a
    known sender is read at once; the message that ends a handshake is not), as redis-init's agents do.
    The same pair is not asked again within 0.5 s.

    `CLUSTER INFO` of every node is read each 0.1 s; `CLUSTER NODES` each 0.1 s of a node that knows as
    many nodes as there are pods (only those are asked for MEETs, like the agents' asks), and of every
    node at most 200 a second (each 0.5 s at 50x1), for the missing pods. Reading every node's
    `CLUSTER NODES` each 0.1 s from the start (1,000 a second at 50x1) cost the servers the CPU they were
    forming the mesh with; reading only the nodes that knew every pod left 10x1's last members late."""
    pod_of = {ids[pod.name]: pod for pod in cluster.pods}
    masters = {ids[pod.name] for pod in cluster.pods if pod.ordinal == 0}
    asked = {}
    deadline = time.monotonic() + budget
    every_view_read = 0.0
    while time.monotonic() < deadline:
        infos = everywhere(connections, {pod.name: [["CLUSTER", "INFO"]] for pod in cluster.pods})
        ready = [pod for pod in cluster.pods if known_nodes(infos[pod.name][0]) >= len(cluster.pods)]
        read = ready
        if time.monotonic() - every_view_read >= max(0.1, len(cluster.pods) / 200):
            read, every_view_read = cluster.pods, time.monotonic()
        views = everywhere(connections, {pod.name: [["CLUSTER", "NODES"]] for pod in read})
        now = time.monotonic()
        meets = {}

        def ask(on, to):
            if now - asked.get((on.name, to.name), 0) > 0.5:
                asked[on.name, to.name] = now
                meets.setdefault(on.name, []).append(["CLUSTER", "MEET", to.ip, 6379])

        for pod in read:
            entries = {fields[0]: fields for fields in (line.split() for line in views[pod.name][0].splitlines())}
            shaking = {fields[1].split(":")[0] for fields in entries.values() if "handshake" in fields[2]}
            for node_id, other in pod_of.items():
                entry = entries.get(node_id)
                if other is pod or (entry is None and other.ip in shaking) or (entry and "handshake" in entry[2]):
                    continue
                if entry is None:
                    ask(pod, other)
                elif pod in ready and (("slave" in entry[2] and entry[3] == "-")
                                       or (node_id in masters and "master" in entry[2] and len(entry) == 8)):
                    ask(other, pod)
        if not meets and len(read) == len(ready) == len(cluster.pods) and all(
                len(views[pod.name][0].splitlines()) == len(cluster.pods) for pod in read):
            return
        if meets:
            everywhere(connections, meets)
        time.sleep(0.1)


def known_nodes(info):
    return next(int(line.split(":")[1]) for line in info.splitlines() if line.startswith("cluster_known_nodes:"))


def failed(replies, step):
    for name, answers in replies.items():
        for answer in answers:
            if isinstance(answer, ReplyError):
                raise RuntimeError(f"{step} on {name}: {answer}")
