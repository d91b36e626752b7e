"""The proving ground's own pod operations, checked from outside, so that later scenarios can rely on
them: DNS follows a pod to its new IP, a cut link silences it, a wipe empties its volume, a graceful
stop ends the server and the agent with the server's status."""

import json
import os
import socket

from lib.processes import wait_for


def reachable(ip, port=6379, timeout=0.5):
    try:
        with socket.create_connection((ip, port), timeout=timeout):
            return True
    except OSError:
        return False


def resolved(cluster, pod):
    entries = json.loads(cluster.run_cli("peers", "--json").stdout)
    return next(e["address"] for e in entries if e["pod"] == pod.name)


def test_pod_operations(ground):
    cluster = ground(3, 0, name="ops")
    cluster.start_all()
    cluster.assert_healthy(keys=20)
    pod = cluster.pod(1, 0)

    # Restart with a new IP: a new sandbox, the DNS record follows, the old address is gone.
    old_ip = pod.ip
    pod.restart(new_ip=True)
    assert pod.ip != old_ip
    assert resolved(cluster, pod) == pod.ip
    wait_for(lambda: reachable(pod.ip), 10, what="the pod at its new address")
    assert not reachable(old_ip)

    # Cut and heal the pod's link.
    pod.cut()
    assert not reachable(pod.ip)
    pod.heal()
    wait_for(lambda: reachable(pod.ip), 10, what="the pod after its link came back")

    # Hide and reveal its DNS record.
    pod.hide()
    assert resolved(cluster, pod) is None
    pod.reveal()
    assert resolved(cluster, pod) == pod.ip

    # Graceful stop: SIGTERM to the entrypoint reaches the server, which exits 0, and so does the agent.
    pod.stop()
    assert pod.proc.returncode == 0, pod.proc.returncode
    assert "exited with status 0" in open(pod.agent_log).read()
    assert not reachable(pod.ip)

    # Wipe: the volume is empty afterwards (it held nodes.conf and the AOF before).
    assert os.listdir(pod.data)
    pod.wipe()
    assert os.listdir(pod.data) == []

    # Kill: nothing of the pod keeps running.
    pod.start()
    wait_for(lambda: reachable(pod.ip), 10, what="the restarted pod")
    pod.kill()
    assert not reachable(pod.ip)
