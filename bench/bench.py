"""Time to a healthy cluster: redis-cli --cluster create (A) against redis-init run (B), beside a reference
controller that does redis-init's steps from one place with no agents (C, controller.py), in the proving
ground's pods, taking turns in the same run. Prints the figures and writes the raw ones as JSON.

All are timed from the moment the first server process is started (every sandbox, address and DNS
record is made before), to
  topology healthy: every node cluster_state:ok, knows every node, none failing or in a handshake, every
  replica attached to a master, and then redis-cli --cluster check passes;
  synced: also every replica's master_link_status:up."""

import argparse
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "e2e"))

import controller  # noqa: E402
import redis  # noqa: E402
import rollout  # noqa: E402
import scale  # noqa: E402
from lib import oracle  # noqa: E402
from lib.processes import free_cluster_port, wait_for  # noqa: E402
from proving_ground import ROOT, Cluster  # noqa: E402

POLL = 0.05
TOOL_NAMES = {"A": "redis-cli", "B": "redis-init", "C": "controller"}


class Watcher:
    """Polls every node with one pipelined round trip each: CLUSTER INFO, CLUSTER NODES, INFO replication."""

    def __init__(self, pods, shards, replicas):
        self.pods, self.shards, self.replicas = pods, shards, replicas
        self.clients = {}

    def client(self, pod):
        key = (pod.name, pod.ip)
        if key not in self.clients:
            self.clients[key] = redis.Redis(host=pod.ip, port=6379, socket_timeout=0.5, socket_connect_timeout=0.5,
                                            decode_responses=True)
        return self.clients[key]

    def state(self):
        """(topology healthy by the cheap checks, synced too, what is missing first). CLUSTER INFO of every
        node first: it is small, and a poller that parsed every node's CLUSTER NODES each time would take
        the CPU the cluster needs."""
        total = len(self.pods)
        for pod in self.pods:
            try:
                info = self.client(pod).execute_command("CLUSTER", "INFO")
            except Exception as error:
                return False, False, f"{pod.name} does not answer ({error})"
            missing = info_shortfall(info, total)
            if missing:
                return False, False, f"{pod.name} {missing}"
        synced, unsynced = True, ""
        for pod in self.pods:
            try:
                pipe = self.client(pod).pipeline(transaction=False)
                pipe.execute_command("CLUSTER", "INFO")
                pipe.execute_command("CLUSTER", "NODES")
                pipe.execute_command("INFO", "replication")
                info, nodes, replication = pipe.execute()
            except Exception as error:
                return False, False, f"{pod.name} does not answer ({error})"
            info = info if isinstance(info, str) else info.decode()
            missing = info_shortfall(info, total)
            if missing:
                return False, False, f"{pod.name} {missing}"
            lines = [line.split() for line in (nodes if isinstance(nodes, str) else str(nodes)).splitlines() if line.strip()]
            if len(lines) != total:
                return False, False, f"{pod.name} lists {len(lines)} nodes"
            replicas = 0
            for fields in lines:
                flags = fields[2].split(",")
                bad = [flag for flag in ("fail", "fail?", "handshake", "noaddr") if flag in flags]
                if bad or fields[7] != "connected":
                    return False, False, f"{pod.name} sees {fields[1]} {','.join(bad) or fields[7]}"
                if "slave" in flags:
                    replicas += 1
                    if fields[3] == "-":
                        return False, False, f"{pod.name} sees replica {fields[1]} without a master"
            if replicas != self.shards * self.replicas:
                return False, False, f"{pod.name} sees {replicas} replicas"
            role = replication.get("role")
            if role == "slave" and replication.get("master_link_status") != "up" and synced:
                synced, unsynced = False, f"{pod.name} link to its master {replication.get('master_link_status')}"
        return True, synced, unsynced or "synced"

    def close(self):
        for client in self.clients.values():
            client.close()


def info_shortfall(info, total):
    """What a node's CLUSTER INFO lacks for a healthy cluster of `total` nodes, or ''."""
    fields = dict(line.split(":", 1) for line in info.split("\r\n") if ":" in line)
    if fields.get("cluster_state") != "ok":
        return f"cluster_state:{fields.get('cluster_state')} ({fields.get('cluster_slots_ok')} slots ok)"
    if fields.get("cluster_known_nodes") != str(total):
        return f"knows {fields.get('cluster_known_nodes')} of {total} nodes"
    return ""


def measure(cluster, t0, timeout=120, trace=False):
    """Seconds from t0 to topology healthy and to synced. `trace` prints each change of what is missing."""
    watcher = Watcher(cluster.pods, cluster.shards, cluster.replicas)
    topology = synced = None
    last_reason = None
    try:
        while time.monotonic() - t0 < timeout:
            healthy, all_synced, reason = watcher.state()
            now = time.monotonic() - t0
            if trace and reason != last_reason:
                print(f"  {now:6.2f} s  {reason}", flush=True)
                last_reason = reason
            if healthy and topology is None and oracle.redis_cli_check_problem(cluster.pods[0].ip) is None:
                topology = now
            if healthy and all_synced and topology is not None:
                synced = now
                break
            time.sleep(POLL)
    finally:
        watcher.close()
    if topology is None or synced is None:
        raise RuntimeError(f"not healthy within {timeout} s (topology {topology}, synced {synced})")
    return topology, synced


def agent_usage(cluster):
    """Peak RSS (KiB) and CPU seconds of each agent process (the server is a child, counted apart)."""
    ticks = os.sysconf("SC_CLK_TCK")
    peaks, cpu = [], []
    for pod in cluster.pods:
        pid = pod.proc.pid
        try:
            status = open(f"/proc/{pid}/status").read()
            stat = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        peaks.append(int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1]))
        cpu.append((int(stat[11]) + int(stat[12])) / ticks)
    return peaks, cpu


def new_cluster(shards, replicas, name, server):
    # The agents alone are timed: init runs in each pod's initContainer before the clock could start.
    cluster = Cluster(shards, replicas, name=name, server=server, init_container=False)
    for pod in cluster.pods:
        pod.prepare(publish=False)
    cluster.publish()
    return cluster


def rollout_figures(server, rounds):
    """redis-init only, 3x1, node-timeout 5 s: a StatefulSet update of every pod (each away 6 s, the next once
    it is ready) with one writer per shard, with the handover and with plain SIGTERM (--handover-timeout 0).
    Per run: the longest write gap of any shard, and how long the whole rollout took."""
    results = {"handover": [], "plain_sigterm": []}
    for _ in range(rounds):
        for variant in results:
            cluster = Cluster(3, 1, layout="ordinal", name="bo", server=server, node_timeout_ms=5000)
            if variant == "plain_sigterm":
                cluster.extra_environment = {"REDIS_INIT_HANDOVER_TIMEOUT": "0"}
            try:
                cluster.start_all()
                cluster.wait_healthy()
                writers = rollout.writing(cluster)
                t0 = time.monotonic()
                for pod in rollout.statefulset_order(cluster):
                    rollout.roll(cluster, pod)
                took = time.monotonic() - t0
                for writer in writers:
                    writer.stop()
                gap = max(writer.longest_gap() for writer in writers)
                lost = sum(len(writer.lost()) for writer in writers)
                print(f"rollout, {variant}: longest write gap {gap:.2f} s, rollout {took:.1f} s, acknowledged writes lost {lost}",
                      flush=True)
                results[variant].append((gap, took))
            finally:
                cluster.close()
    return results


def run_redis_cli(shards, replicas, server, trace=False):
    cluster = new_cluster(shards, replicas, "ba", server)
    try:
        t0 = time.monotonic()
        for pod in cluster.pods:
            pod.start_server_alone()
        # As the Bitnami chart and KubeDB's script do: wait for every server, then create.
        for pod in cluster.pods:
            wait_for(lambda: redis.Redis(host=pod.ip, port=6379, socket_timeout=0.2).ping(), 30, interval=0.01,
                     what=f"{pod.name} to answer")
        # redis-cli takes masters first: the designated masters in shard order, then the rest.
        ordered = sorted(cluster.pods, key=lambda p: (p.ordinal, p.shard))
        subprocess.run(["redis-cli", "--cluster", "create", *[f"{p.ip}:6379" for p in ordered],
                        "--cluster-replicas", str(replicas), "--cluster-yes"],
                       check=True, capture_output=True, text=True, timeout=120)
        return measure(cluster, t0, trace=trace), None
    finally:
        cluster.close()


def run_controller(shards, replicas, server, meet, asks, trace=False):
    cluster = new_cluster(shards, replicas, "bc", server)
    try:
        ranges = cluster.declared_ranges()
        t0 = time.monotonic()
        for pod in cluster.pods:
            pod.start_server_alone()
        controller.form(cluster, ranges, meet=meet, asks=asks)
        return measure(cluster, t0, trace=trace), None
    finally:
        cluster.close()


def run_redis_init(shards, replicas, server, usage=False, trace=False):
    cluster = new_cluster(shards, replicas, "bb", server)
    try:
        t0 = time.monotonic()
        for pod in cluster.pods:
            pod.start(publish=False)
        figures = measure(cluster, t0, trace=trace)
        return figures, (agent_usage(cluster) if usage else None)
    finally:
        cluster.close()


def rejoin_figures(shards, replicas, server, rounds):
    """redis-init only: time to healthy after a replica restarted with a new IP, after a wiped master came
    back (timed from its start, after the failover), and after every pod restarted with a new IP."""
    results = {"replica_new_ip": [], "wiped_master_after_failover": [], "all_new_ips": []}
    for _ in range(rounds):
        cluster = new_cluster(shards, replicas, "br", server)
        try:
            for pod in cluster.pods:
                pod.start(publish=False)
            measure(cluster, time.monotonic())

            replica = cluster.pod(1, 1)
            replica.kill()
            t0 = time.monotonic()
            replica.start(new_ip=True)
            results["replica_new_ip"].append(measure(cluster, t0))

            master = cluster.pod(2, 0)
            master.kill()
            other = cluster.pod(2, 1)
            wait_for(lambda: redis.Redis(host=other.ip, port=6379, socket_timeout=0.5, decode_responses=True)
                     .execute_command("ROLE")[0] == "master", 60, interval=0.05, what="the failover")
            master.wipe()
            t0 = time.monotonic()
            master.start()
            results["wiped_master_after_failover"].append(measure(cluster, t0))

            for pod in cluster.pods:
                pod.kill()
            t0 = time.monotonic()
            for pod in cluster.pods:
                pod.start(new_ip=True)
            results["all_new_ips"].append(measure(cluster, t0))
        finally:
            cluster.close()
    return results


def first_dns_query(binary, repetitions=20):
    """Milliseconds from starting `redis-init sidecar` (a server already running) to its first DNS query."""
    # A cluster-enabled server needs port + 10000 free and valid too. It binds 127.0.0.1 only, where
    # free_cluster_port looked: on every address, a port another socket had taken meanwhile (after a 50x1
    # run the host holds hundreds of the poller's) made it exit, and a whole run died waiting for it.
    for _ in range(5):
        port = free_cluster_port()
        server = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--cluster-enabled", "yes",
                                   "--save", "", "--appendonly", "no", "--cluster-config-file", f"/tmp/bench-dns-{port}.conf",
                                   "--dir", "/tmp"], stdout=subprocess.DEVNULL)
        if wait_for(lambda: server.poll() is not None or redis.Redis(port=port).ping(), 10, interval=0.01) and server.poll() is None:
            break
    else:
        raise RuntimeError("no redis-server for the first-DNS-query figure started on any of 5 free ports")
    times = []
    try:
        for _ in range(repetitions):
            dns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            dns.bind(("127.0.0.1", 0))
            dns.settimeout(5)
            env = {"PATH": os.environ["PATH"], "HOSTNAME": "bd-shard0-1"}
            t0 = time.monotonic()
            agent = subprocess.Popen([binary, "sidecar", "--name", "bd", "--shards", "3", "--replicas", "1",
                                      "--port", str(port), "--nameserver", f"127.0.0.1:{dns.getsockname()[1]}"],
                                     env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                dns.recvfrom(512)
                times.append((time.monotonic() - t0) * 1000)
            finally:
                agent.send_signal(signal.SIGKILL)
                agent.wait()
                dns.close()
    finally:
        server.terminate()
        server.wait()
        for suffix in ("conf",):
            try:
                os.unlink(f"/tmp/bench-dns-{port}.{suffix}")
            except OSError:
                pass
    return times


def summary(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": values}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="3,10,50", help="shard counts, each with one replica per shard")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--rejoin-rounds", type=int, default=3)
    parser.add_argument("--rollout-rounds", type=int, default=1, help="rollouts with and without the handover")
    parser.add_argument("--scale-keys", type=int, default=1_000_000, help="keys for the 3 -> 4 -> 3 shards run (0: none)")
    parser.add_argument("--scale-value-bytes", default="100,10000",
                        help="value sizes of the scale runs (the second with a hundredth of the keys: a few large values)")
    parser.add_argument("--server", default="redis-7.0")
    parser.add_argument("--trace", action="store_true", help="print, for every run, each change of what is missing")
    parser.add_argument("--tools", default="A,B,C", help="A redis-cli, B redis-init, C the reference controller")
    parser.add_argument("--meet", choices=controller.MEETS, default="masters", help="the reference controller's MEETs")
    parser.add_argument("--no-asks", dest="asks", action="store_false",
                        help="the reference controller leaves what the nodes still lack to Redis "
                             "(by default it mends it, as the agents do)")
    parser.add_argument("--output", default=os.path.join(ROOT, "bench", "results.json"))
    parser.add_argument("--report-only", action="store_true",
                        help="run nothing: write results.md and the chart again from --output's figures")
    args = parser.parse_args()
    if args.report_only:
        with open(args.output) as f:
            write_report(json.load(f), args.output)
        return
    binary = os.environ.get("REDIS_INIT_BIN", os.path.join(ROOT, "dist", "redis-init"))
    sizes = [int(s) for s in args.sizes.split(",")]

    results = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": machine(), "server": args.server,
               "command": " ".join(sys.argv), "bootstrap": {}, "agent": {}}
    tools = args.tools.split(",")
    if not tools or any(tool not in TOOL_NAMES for tool in tools):
        parser.error(f"--tools takes a comma-separated list of {', '.join(TOOL_NAMES)}, not {args.tools!r}")
    for shards in sizes:
        runs, usage = {tool: [] for tool in tools}, ([], [])
        for round_ in range(args.rounds):
            # Each round starts with another tool, so none always runs first after the same one.
            k = round_ % len(tools)
            for tool in tools[k:] + tools[:k]:
                if tool == "A":
                    figures, _ = run_redis_cli(shards, 1, args.server, trace=args.trace)
                elif tool == "B":
                    figures, used = run_redis_init(shards, 1, args.server, usage=True, trace=args.trace)
                    usage[0].extend(used[0])
                    usage[1].extend(used[1])
                else:
                    figures, _ = run_controller(shards, 1, args.server, args.meet, args.asks, trace=args.trace)
                runs[tool].append(figures)
                print(f"{shards}x1 round {round_ + 1} {tool}: topology {figures[0]:.2f} s, synced {figures[1]:.2f} s", flush=True)
        entry = results["bootstrap"][f"{shards}x1"] = {
            TOOL_NAMES[tool]: {"topology": summary([r[0] for r in runs[tool]]), "synced": summary([r[1] for r in runs[tool]])}
            for tool in tools}
        if usage[0]:
            entry.update({"agent_peak_rss_kib_max": max(usage[0]), "agent_peak_rss_kib_median": statistics.median(usage[0]),
                          "agent_cpu_seconds_max": max(usage[1]), "agent_cpu_seconds_median": statistics.median(usage[1])})
    if args.rejoin_rounds:
        rejoin = rejoin_figures(3, 1, args.server, args.rejoin_rounds)
        results["rejoin_3x1"] = {name: {"topology": summary([r[0] for r in runs]), "synced": summary([r[1] for r in runs])}
                                 for name, runs in rejoin.items()}
    if args.rollout_rounds:
        runs = rollout_figures(args.server, args.rollout_rounds)
        results["rollout_3x1"] = {variant: {"longest_write_gap": summary([r[0] for r in figures]),
                                            "rollout_seconds": summary([r[1] for r in figures])}
                                  for variant, figures in runs.items()}
    if args.scale_keys:
        sizes = [int(size) for size in args.scale_value_bytes.split(",")]
        results["scale_3_4_3"] = [scale.scale_figures(args.server, args.scale_keys if i == 0 else args.scale_keys // 100, size)
                                  for i, size in enumerate(sizes)]
    results["agent"]["binary_bytes"] = os.path.getsize(binary)
    results["agent"]["first_dns_query_ms"] = summary(first_dns_query(binary, repetitions=20 if "B" in tools else 1))
    with open(args.output, "w") as f:
        json.dump(results, f, indent=1)
    write_report(results, args.output)


def write_report(results, output):
    """Prints the figures and writes them, as BENCHMARKS.md cites them, to results.md beside `output`,
    with the chart."""
    text = (f"# Current figures\n\nWritten by `scripts/bench` (`{results['command']}`) on {results['date']}; "
            f"machine: {results['machine']}; servers: {results['server']}. Method and what bounds each figure: "
            f"BENCHMARKS.md. Raw runs: `results.json`.\n\n{report(results)}\n\n![time to healthy](time-to-healthy.svg)\n")
    print(report(results))
    directory = os.path.dirname(output)
    with open(os.path.join(directory, "results.md"), "w") as f:
        f.write(text)
    with open(os.path.join(directory, "time-to-healthy.svg"), "w") as f:
        f.write(chart(results))
    print(f"raw figures: {output}; report: {directory}/results.md; chart: {directory}/time-to-healthy.svg")


def machine():
    cpus = os.cpu_count()
    memory = int(open("/proc/meminfo").readline().split()[1]) // 1024 // 1024
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    return f"{platform.machine()}, {cpus} cores ({model}), {memory} GiB, Linux {platform.release()}"


def report(results):
    """Markdown tables of the medians; a ratio to redis-cli beside each tool that is not redis-cli."""
    lines = ["| size | figure | tool | median (min-max) | / redis-cli |", "|---|---|---|---|---|"]
    for size, figures in results["bootstrap"].items():
        for figure in ("topology", "synced"):
            a = figures.get("redis-cli", {}).get(figure)
            for tool in TOOL_NAMES.values():
                if tool not in figures:
                    continue
                t = figures[tool][figure]
                ratio = f"{t['median'] / a['median']:.2f}" if a and tool != "redis-cli" else ""
                lines.append(f"| {size} | {figure} | {tool} | {t['median']:.2f} s ({t['min']:.2f}-{t['max']:.2f}) | {ratio} |")
    if "rejoin_3x1" in results:
        lines += ["", "| rejoin (3x1, redis-init) | topology median (min-max) | synced median (min-max) |", "|---|---|---|"]
        for name, figures in results["rejoin_3x1"].items():
            t, s = figures["topology"], figures["synced"]
            lines.append(f"| {name} | {t['median']:.2f} s ({t['min']:.2f}-{t['max']:.2f}) "
                         f"| {s['median']:.2f} s ({s['min']:.2f}-{s['max']:.2f}) |")
    if "rollout_3x1" in results:
        lines += ["", "| rollout (3x1, node-timeout 5 s, writer per shard) | longest write gap, any shard | whole rollout |",
                  "|---|---|---|"]
        for variant, figures in results["rollout_3x1"].items():
            g, r = figures["longest_write_gap"], figures["rollout_seconds"]
            lines.append(f"| {variant.replace('_', ' ')} | {g['median']:.2f} s ({g['min']:.2f}-{g['max']:.2f}) "
                         f"| {r['median']:.1f} s ({r['min']:.1f}-{r['max']:.1f}) |")
    for run in results.get("scale_3_4_3", []):
        lines += ["", f"| shards, {run['keys']:,} keys of {run['value_bytes']} bytes, writer per shard | redis-init | redis-cli "
                  "| redis-init / redis-cli |", "|---|---|---|---|"]
        a, b = run["redis-init"], run["redis-cli"]
        for step, name in (("out", "3 -> 4 (`rebalance --cluster-use-empty-masters`)"), ("in", "4 -> 3 (`rebalance` weight 0)")):
            lines.append(f"| {name} | {a[step]:.2f} s | {b[step]:.2f} s | {a[step] / b[step]:.2f} |")
        lines.append(f"| longest write stall, any shard | {a['longest_write_gap']:.2f} s | {b['longest_write_gap']:.2f} s | |")
        lines.append(f"| acknowledged writes lost | {a['acknowledged_lost']} | {b['acknowledged_lost']} | |")
    agent = results["agent"]
    lines += ["", f"binary: {agent['binary_bytes']} bytes ({agent['binary_bytes'] / 1048576:.2f} MiB); "
              f"exec to first DNS query: median {agent['first_dns_query_ms']['median']:.1f} ms "
              f"(min {agent['first_dns_query_ms']['min']:.1f}, max {agent['first_dns_query_ms']['max']:.1f})"]
    for size, figures in results["bootstrap"].items():
        if "agent_peak_rss_kib_median" not in figures:
            continue
        lines.append(f"{size}: agent peak RSS median {figures['agent_peak_rss_kib_median'] / 1024:.2f} MiB, "
                     f"max {figures['agent_peak_rss_kib_max'] / 1024:.2f} MiB; CPU seconds per agent "
                     f"median {figures['agent_cpu_seconds_median']:.2f}, max {figures['agent_cpu_seconds_max']:.2f}")
    return "\n".join(lines)


def chart(results):
    """A small SVG: median time to topology healthy and to synced against cluster size, each tool run
    (the reference controller's topology line only)."""
    sizes = list(results["bootstrap"])
    series = [("redis-cli", "topology", "#c0392b", ""), ("redis-cli", "synced", "#c0392b", "6,4"),
              ("redis-init", "topology", "#2471a3", ""), ("redis-init", "synced", "#2471a3", "6,4"),
              ("controller", "topology", "#1e8449", "2,3")]
    series = [entry for entry in series if all(entry[0] in results["bootstrap"][s] for s in sizes)]
    top = max(results["bootstrap"][s][tool][fig]["median"] for s in sizes for tool, fig, _, _ in series)
    width, height, left, bottom = 560, 316, 50, 56
    def x(i):
        return left + (width - left - 40) * (i / max(1, len(sizes) - 1))
    def y(v):
        return height - bottom - (height - bottom - 20) * v / (top * 1.1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
             f'<text x="{left}" y="14">median seconds from server start ({results["server"]})</text>',
             f'<line x1="{left}" y1="{y(0)}" x2="{width - 40}" y2="{y(0)}" stroke="#888"/>',
             f'<line x1="{left}" y1="{y(0)}" x2="{left}" y2="20" stroke="#888"/>']
    step = 2 if top < 12 else 5
    for v in range(0, int(top * 1.1) + 1, step):
        parts.append(f'<text x="{left - 6}" y="{y(v) + 4}" text-anchor="end">{v}</text>')
    for i, size in enumerate(sizes):
        parts.append(f'<text x="{x(i)}" y="{height - bottom + 16}" text-anchor="middle">{size}</text>')
    for n, (tool, figure, colour, dash) in enumerate(series):
        points = " ".join(f"{x(i)},{y(results['bootstrap'][s][tool][figure]['median'])}" for i, s in enumerate(sizes))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}" points="{points}"/>')
        row, column = height - 24 + 16 * (n // 3), left + 10 + 160 * (n % 3)
        parts.append(f'<line x1="{column}" y1="{row}" x2="{column + 20}" y2="{row}" '
                     f'stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>')
        parts.append(f'<text x="{column + 24}" y="{row + 4}">{tool} {figure}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


if __name__ == "__main__":
    main()
