"""A real dnsmasq, authoritative for cluster.local (NXDOMAIN for unknown names), answering from a hosts
file that is rewritten live: both suites' DNS server."""

import os
import signal
import socket

from lib.processes import free_port, wait_for


class Dnsmasq:
    """dnsmasq on address:port; `update` and `set` change its names at once (SIGHUP re-reads the hosts
    file and clears the cache). Its PID file is `<workdir>/dnsmasq.pid`, where clean-up scripts look."""

    def __init__(self, processes, workdir, address="127.0.0.1", port=None, log_queries=False):
        self.address, self.port = address, port or free_port()
        self.hosts_file = os.path.join(workdir, "dns-hosts")
        self.pid_file = os.path.join(workdir, "dnsmasq.pid")
        self.records = {}  # name -> list of addresses
        self._write()
        self.proc = processes.start([
            "dnsmasq", "--conf-file=/dev/null", "--keep-in-foreground", "--no-resolv", "--no-hosts",
            f"--addn-hosts={self.hosts_file}", "--local=/cluster.local/", f"--listen-address={address}",
            "--bind-interfaces", f"--port={self.port}", "--user=root", "--no-negcache", f"--pid-file={self.pid_file}",
            f"--log-facility={os.path.join(workdir, 'dnsmasq.log')}", *(["--log-queries"] if log_queries else []),
        ])
        wait_for(self._answers, 5, what=f"dnsmasq to answer on {address}:{self.port}")

    def _answers(self):
        assert self.proc.poll() is None, f"dnsmasq exited (is port {self.port} on {self.address} taken?)"
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.settimeout(0.2)
            return s.connect_ex((self.address, self.port)) == 0

    def _write(self):
        tmp = self.hosts_file + ".tmp"
        with open(tmp, "w") as f:
            for name, addresses in sorted(self.records.items()):
                for address in addresses:
                    f.write(f"{address} {name}\n")
        os.replace(tmp, self.hosts_file)

    def update(self, records):
        """Every name at once: name -> list of addresses."""
        self.records = dict(records)
        self._write()
        self.proc.send_signal(signal.SIGHUP)

    def set(self, name, ip):
        """One name to one address, or gone (ip None)."""
        records = {key: value for key, value in self.records.items() if key != name}
        if ip is not None:
            records[name] = [ip]
        self.update(records)

    @property
    def nameserver(self):
        return f"{self.address}:{self.port}"
