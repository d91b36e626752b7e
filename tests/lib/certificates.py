"""Certificates made by openssl for one test: a CA, a server certificate for a headless Service's
wildcard name (what cert-manager issues), a client certificate, and another CA that signed nothing of
ours. Every key stays inside the test's directory."""

import os
import subprocess


class Certificates:
    def __init__(self, directory, service, namespace="demo"):
        self.directory = directory
        os.makedirs(directory, exist_ok=True)
        self._self_signed("ca", "/CN=redis-init test CA")
        self._self_signed("other-ca", "/CN=another CA")
        self._issue("server", "/CN=redis", f"DNS:*.{service}.{namespace}.svc.cluster.local")
        self._issue("client", "/CN=redis-init", "DNS:redis-init")

    def path(self, name):
        return os.path.join(self.directory, name)

    def _openssl(self, *args):
        subprocess.run(["openssl", *args], check=True, capture_output=True)

    def _self_signed(self, name, subject):
        self._openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                      "-keyout", self.path(f"{name}.key"), "-out", self.path(f"{name}.crt"), "-subj", subject)

    def _issue(self, name, subject, names):
        self._openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                      "-keyout", self.path(f"{name}.key"), "-out", self.path(f"{name}.csr"), "-subj", subject)
        with open(self.path(f"{name}.ext"), "w") as f:
            f.write(f"subjectAltName={names}\n")
        self._openssl("x509", "-req", "-in", self.path(f"{name}.csr"), "-CA", self.path("ca.crt"), "-CAkey", self.path("ca.key"),
                      "-CAcreateserial", "-days", "2", "-out", self.path(f"{name}.crt"), "-extfile", self.path(f"{name}.ext"))
        os.chmod(self.path(f"{name}.key"), 0o600)

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
