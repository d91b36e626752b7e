"""TLS only: every server listens on a TLS port alone (port 0), its cluster bus and replication over TLS,
and asks clients for a certificate. The agents form the cluster and `status` reads it, checking every
server's certificate against the CA and the pod's DNS name; plaintext gets nothing, another CA nothing."""

import redis
from lib.certificates import Certificates


def test_a_tls_only_cluster_forms_and_every_certificate_is_checked(make_cluster, tmp_path):
    certificates = Certificates(str(tmp_path / "tls"), service="tl")
    cluster = make_cluster(3, 1, name="tl", tls=certificates)
    cluster.start_all()
    cluster.wait_healthy(60)
    cluster.check_topology()
    cluster.write_and_read_keys(200)

    pod = cluster.pods[0]
    plain = redis.Redis(host=pod.ip, port=6379, socket_timeout=1, socket_connect_timeout=1)
    try:
        plain.ping()
        raise AssertionError("a plaintext client got an answer from a TLS-only server")
    except redis.exceptions.ConnectionError:
        pass

    # Another CA: every server is named with the certificate problem, nothing is read, exit 1.
    base = [arg for arg in cluster.agent_args() if arg not in certificates.agent_args()]
    result = cluster.run_cli("status", *base, *certificates.agent_args(ca="other-ca.crt"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.count("its certificate is not trusted as") >= len(cluster.pods), result.stdout
    assert "not correctly signed by the trusted CA" in result.stdout, result.stdout
