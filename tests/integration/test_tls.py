"""TLS only: every server listens on a TLS port alone (port 0), its cluster bus and replication over TLS,
and asks clients for a certificate. The agents form the cluster and `status` reads it, checking every
server's certificate against the CA and the pod's DNS name; plaintext gets nothing, another CA nothing."""

import redis
from lib.certificates import Certificates
from lib.processes import wait_for


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


def test_certificates_rotated_while_the_cluster_runs(make_cluster, tmp_path):
    """A new CA and certificates it signed swapped in while the cluster runs (the CA bundle holding the old
    CA and the new one), as the kubelet swaps a renewed Secret: every agent has its server load them, with
    no restart; `status` trusting the new CA alone then finds every server; a pod restarted rejoins with them."""
    certificates = Certificates(str(tmp_path / "tls"), service="tr")
    cluster = make_cluster(3, 1, name="tr", tls=certificates)
    cluster.start_all()
    cluster.wait_healthy(60)
    started = {pod.name: pod.proc.pid for pod in cluster.pods}
    certificates.rotate()
    base = [arg for arg in cluster.agent_args() if arg not in certificates.agent_args()]
    new_ca_only = [*base, *certificates.agent_args(ca="new-ca.crt")]
    wait_for(lambda: cluster.run_cli("status", *new_ca_only).returncode == 0, 40, interval=1,
             what="every server to present a certificate of the new CA")
    assert {pod.name: pod.proc.pid for pod in cluster.pods} == started, "a pod was restarted"
    for pod in cluster.pods:
        assert "it loaded them again" in open(pod.agent_log).read(), pod.name
    pod = cluster.pod(1, 0)
    cluster.processes.stop(pod.proc)
    cluster.start(pod)
    wait_for(lambda: cluster.run_cli("status", *new_ca_only).returncode == 0, 60, interval=0.5, what="the restarted pod to rejoin")
    cluster.write_and_read_keys(100)
