"""Certificates made by openssl for one test: a CA, a server certificate for a headless Service's
wildcard name (what cert-manager issues), a client certificate, and another CA that signed nothing of
ours. As a mounted Secret's files: `current` is a link to one version's directory, which `rotate` swaps
in one step, as the kubelet does. Every key stays inside the test's directory."""

import os
import subprocess


class Certificates:
    def __init__(self, directory, service, namespace="demo"):
        self.directory, self.names = directory, f"DNS:*.{service}.{namespace}.svc.cluster.local"
        self.version = 1
        first = self._version_directory()
        self._self_signed(first, "ca", "/CN=redis-init test CA 1")
        self._self_signed(first, "other-ca", "/CN=another CA")
        self._issue(first, "server", "/CN=redis", self.names, ca="ca")
        self._issue(first, "client", "/CN=redis-init", "DNS:redis-init", ca="ca")
        os.symlink(first, os.path.join(directory, "current"))

    def path(self, name):
        """A file as servers and agents are given it: through `current`."""
        return os.path.join(self.directory, "current", name)

    def rotate(self):
        """A new CA, its certificates, and a CA bundle holding the old CA and the new one (so both are
        trusted while the change goes round), swapped in at once."""
        old = os.path.realpath(os.path.join(self.directory, "current"))
        self.version += 1
        new = self._version_directory()
        self._self_signed(new, "new-ca", f"/CN=redis-init test CA {self.version}")
        self._issue(new, "server", "/CN=redis", self.names, ca="new-ca")
        self._issue(new, "client", "/CN=redis-init", "DNS:redis-init", ca="new-ca")
        with open(os.path.join(new, "ca.crt"), "w") as bundle:
            for source in (os.path.join(old, "ca.crt"), os.path.join(new, "new-ca.crt")):
                bundle.write(open(source).read())
        for name in ("other-ca.crt",):
            os.link(os.path.join(old, name), os.path.join(new, name))
        link = os.path.join(self.directory, "current.new")
        os.symlink(new, link)
        os.replace(link, os.path.join(self.directory, "current"))

    def _version_directory(self):
        path = os.path.join(self.directory, f"v{self.version}")
        os.makedirs(path)
        return path

    def _openssl(self, *args):
        subprocess.run(["openssl", *args], check=True, capture_output=True)

    def _self_signed(self, directory, name, subject):
        self._openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                      "-keyout", os.path.join(directory, f"{name}.key"), "-out", os.path.join(directory, f"{name}.crt"),
                      "-subj", subject)

    def _issue(self, directory, name, subject, names, ca):
        at = lambda suffix: os.path.join(directory, f"{name}.{suffix}")  # noqa: E731
        self._openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                      "-keyout", at("key"), "-out", at("csr"), "-subj", subject)
        with open(at("ext"), "w") as f:
            f.write(f"subjectAltName={names}\n")
        self._openssl("x509", "-req", "-in", at("csr"), "-CA", os.path.join(directory, f"{ca}.crt"),
                      "-CAkey", os.path.join(directory, f"{ca}.key"), "-CAcreateserial", "-days", "2", "-out", at("crt"),
                      "-extfile", at("ext"))
        os.chmod(at("key"), 0o600)

    def server_args(self):
        """A TLS-only server (with --port 0): clients, the cluster bus and replication all over TLS."""
        return ["--tls-port", "6379", "--tls-cert-file", self.path("server.crt"), "--tls-key-file", self.path("server.key"),
                "--tls-ca-cert-file", self.path("ca.crt"), "--tls-auth-clients", "yes", "--tls-cluster", "yes",
                "--tls-replication", "yes"]

    def agent_args(self, ca="ca.crt"):
        return ["--tls", "--tls-ca-cert-file", self.path(ca), "--tls-cert-file", self.path("client.crt"),
                "--tls-key-file", self.path("client.key")]

    def client_settings(self):
        """redis-py's: the oracle reaches pods by IP, so it checks the chain, not the name."""
        return {"ssl": True, "ssl_ca_certs": self.path("ca.crt"), "ssl_certfile": self.path("client.crt"),
                "ssl_keyfile": self.path("client.key"), "ssl_check_hostname": False}
