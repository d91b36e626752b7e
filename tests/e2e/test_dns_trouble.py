"""DNS in trouble: the pods' nameserver (troubled_dns.py, in front of the real one) fails in one way while
the cluster forms, then recovers. The agents must say what is wrong, keep their retries bounded, never
crash, and form the cluster once DNS answers."""

import time

import pytest
from lib.processes import wait_for

TROUBLE_SECONDS = 6
PODS = 6
# What every agent's log must say while the nameserver is in that mode.
SAID = {
    "servfail": "DNS gives no answer",
    "silent": "DNS gives no answer",
    "garbage": "malformed or mismatched replies",
}


@pytest.mark.parametrize("mode", ["servfail", "silent", "garbage", "nxdomain"])
def test_dns_trouble_then_recovery(ground, mode):
    cluster = ground(3, 1, name="dns", troubled_dns=True)
    dns = cluster.troubled_dns
    dns.mode = mode
    cluster.start_all()
    started = time.monotonic()
    if mode in SAID:
        for pod in cluster.pods:
            wait_for(lambda: SAID[mode] in open(pod.agent_log).read(), TROUBLE_SECONDS + 4,
                     what=f"{pod.name}'s agent to report the DNS trouble ({SAID[mode]!r})")
    else:
        # NXDOMAIN is what a name not yet published gets: a wait that names the pod, not an alarm.
        creator = cluster.pod(0, 0)
        wait_for(lambda: "no such name (yet)" in open(creator.agent_log).read(), TROUBLE_SECONDS + 4,
                 what="the creator to say which name does not resolve yet")
    time.sleep(max(0.0, TROUBLE_SECONDS - (time.monotonic() - started)))
    for pod in cluster.pods:
        pod.assert_agent_running()
    during = len(dns.queries())
    elapsed = time.monotonic() - started
    # Bounded retries: each agent asks again at most a few times a second, never in a tight loop.
    rate = during / elapsed / PODS
    print(f"{mode}: {during} queries in {elapsed:.1f} s from {PODS} agents ({rate:.1f} per agent per second)")
    assert rate < 10, f"{rate:.1f} queries per agent per second while DNS was in trouble"

    dns.mode = "forward"
    cluster.assert_healthy(keys=50)
    if mode in SAID:
        for pod in cluster.pods:
            assert "DNS answers again" in open(pod.agent_log).read(), f"{pod.name} did not say DNS recovered"


def test_truncated_answers_are_asked_again_over_tcp(ground):
    cluster = ground(3, 1, name="dns", troubled_dns=True)
    cluster.troubled_dns.mode = "truncate"
    cluster.start_all()
    cluster.assert_healthy(keys=50)
    transports = {transport for _, transport, _ in cluster.troubled_dns.queries()}
    assert transports == {"udp", "tcp"}, transports


GARBAGE = (
    "\x00\x01\x02 binary \xff\xfe junk\n"
    "nameserver not-an-address\n"
    "nameserver 999.1.1.1\n"
    "options ndots:banana timeout:-3 attempts:999999 rotate edns0\n"
    "search " + "a" * 300 + ".example\n"
    "domain\n"
    + "x" * 100_000 + "\n"
    "; a comment\n# another\n"
)


def test_a_resolv_conf_with_garbage_lines_still_resolves(ground):
    cluster = ground(3, 1, name="dns", resolv_conf_garbage=GARBAGE)
    cluster.start_all()
    cluster.assert_healthy(keys=50)
    for pod in cluster.pods:
        pod.assert_agent_running()
