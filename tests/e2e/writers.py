"""One writer per shard, as an application sees a rollout: each writes to its shard's current master, one
new key a write (a hash tag inside the shard's declared range), each followed by `WAIT 1`: a value counts
acknowledged once a replica has it. The longest time between two writes that succeeded is the time the
shard took no write. Like a cluster client it follows `MOVED` at once and otherwise asks the pods, in
random order, who serves its slot; it retries nothing blindly (redis-py's own retries and backoff would
measure themselves, not the cluster)."""

import itertools
import random
import threading
import time

import redis
from lib import oracle
from redis.backoff import NoBackoff
from redis.retry import Retry


def tag_in(lo, hi):
    """A hash tag whose slot lies in lo..hi."""
    return next(f"w{i}" for i in range(100000) if lo <= oracle.key_slot(f"w{i}") <= hi)


class ShardWriter(threading.Thread):
    def __init__(self, pods, shard, lo, hi, password=None):
        super().__init__(daemon=True, name=f"writer-{shard}")
        self.pods, self.shard, self.slot_range, self.password = pods, shard, (lo, hi), password
        self.tag = tag_in(lo, hi)
        self.stopping = threading.Event()
        self.successes, self.acknowledged, self.errors = [], [], 0
        self.error_log = []  # (when, what) of each failed write, for a report
        self.master = None
        self.asking, self.asked_from = False, None

    def key(self, n):
        return f"{{{self.tag}}}:{n}"

    def _connect(self, host, port):
        return redis.Redis(host=host, port=port, password=self.password, socket_timeout=1, socket_connect_timeout=0.3,
                           decode_responses=True, retry=Retry(NoBackoff(), 0))

    def _find_master(self):
        """The node serving the tag's slot, as any pod that answers says (CLUSTER SLOTS)."""
        slot = oracle.key_slot(self.tag)
        for pod in random.sample(self.pods, len(self.pods)):
            if pod.ip is None:  # between two sandboxes
                continue
            try:
                for lo, hi, master, *_ in self._connect(pod.ip, 6379).execute_command("CLUSTER", "SLOTS"):
                    if lo <= slot <= hi:
                        return self._connect(master[0], int(master[1]))
            except (redis.RedisError, OSError):
                continue
        return None

    def _asked_to(self, error):
        """The node an `ASK slot host:port` reply names, or None for any other error."""
        if not isinstance(error, redis.exceptions.AskError):
            return None
        return self._connect(error.host, error.port)

    def _moved_to(self, error):
        """The node a `MOVED slot host:port` reply names, or None for any other error."""
        words = str(error).split()
        if len(words) != 3 or words[0] != "MOVED" or ":" not in words[2]:
            return None
        host, port = words[2].rsplit(":", 1)
        return self._connect(host, int(port))

    def run(self):
        n = 0
        while not self.stopping.is_set():
            try:
                self.master = self.master or self._find_master()
                if self.master is None:
                    time.sleep(0.02)
                    continue
                pipe = self.master.pipeline(transaction=False)
                if self.asking:
                    pipe.execute_command("ASKING")
                pipe.set(self.key(n), n)
                pipe.execute_command("WAIT", 1, 200)
                *_, replicas = pipe.execute()
                if self.asking:
                    self.master, self.asking = self.asked_from, False
                self.successes.append(time.monotonic())
                if replicas >= 1:
                    self.acknowledged.append(n)
                n += 1
            except (redis.RedisError, OSError) as error:
                self.errors += 1
                self.error_log.append((time.monotonic(), f"{type(error).__name__}: {str(error)[:80]}"))
                asked = self._asked_to(error)
                if asked is not None:
                    # A slot being moved: this one write goes to the destination, after ASKING.
                    self.asked_from, self.master, self.asking = self.master, asked, True
                    continue
                self.master, self.asking = self._moved_to(error), False
                time.sleep(0.01)

    def stop(self):
        self.stopping.set()
        self.join(10)

    def longest_gap(self, since=0.0, until=float("inf")):
        """The longest time between two writes that succeeded (the last before `since` counts as its start)."""
        times = [t for t in self.successes if t <= until]
        start = max((i for i, t in enumerate(times) if t <= since), default=0)
        return max((b - a for a, b in itertools.pairwise(times[start:])), default=float("inf"))

    def gap_report(self):
        """Where the longest gap lies, and the errors inside it."""
        times = self.successes
        if len(times) < 2:
            return "no writes"
        gap, start = max((b - a, a) for a, b in itertools.pairwise(times))
        errors = [f"+{when - start:.2f} s {what}" for when, what in self.error_log if start <= when <= start + gap]
        return f"longest gap {gap:.2f} s from {start - times[0]:.1f} s after the first write; errors in it: {errors[:6]}"

    def lost(self):
        """The acknowledged values the cluster no longer has."""
        master = self._find_master()
        assert master is not None, f"no node serves shard {self.shard}"
        lost = []
        for start in range(0, len(self.acknowledged), 500):
            batch = self.acknowledged[start:start + 500]
            values = master.mget([self.key(n) for n in batch])
            lost += [n for n, value in zip(batch, values, strict=True) if value != str(n)]
        return lost


def start_writers(cluster):
    ranges = cluster.declared_ranges()
    writers = [ShardWriter(cluster.pods, shard, lo, hi, cluster.password) for shard, (lo, hi) in sorted(ranges.items())]
    for writer in writers:
        writer.start()
    return writers
