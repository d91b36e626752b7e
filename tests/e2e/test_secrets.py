"""The password, in pods: it reaches the agent as a Secret file and the server through `init --auth-conf`,
and it is never in any process's argv or environment, in a log, or in what `status` and `peers` print, not
even while the cluster heals or when the password is wrong."""

import glob
import os

from lib.processes import processes_holding, wait_for

# Quotes, a backslash, spaces and a non-ASCII letter: what a generated password may hold.
SECRET = 'pr0v1ng "gr0und" \\ s3cret-\u00fc'
WRONG = "not-the-right-one-1234"


def test_the_password_never_shows(ground):
    cluster = ground(3, 1, name="secret", password=SECRET)
    cluster.start_all()
    cluster.assert_healthy(keys=50)
    # Heal something, so the agents have MEETs, failovers and reconnections to talk about.
    master = cluster.pod(1, 0)
    master.restart(new_ip=True)
    cluster.assert_healthy(keys=50, designated_roles=False)

    assert not processes_holding(SECRET), f"the password is in {processes_holding(SECRET)}"
    for pod in cluster.pods:
        assert os.stat(pod.auth_conf).st_mode & 0o777 == 0o600
        for log in glob.glob(os.path.join(pod.logs, "*.log")):
            assert SECRET not in open(log, errors="replace").read(), f"{log} holds the password"
    for command in (["status"], ["status", "--json"], ["peers"], ["peers", "--json"]):
        result = cluster.run_cli(*command)
        assert result.returncode == 0, result.stderr
        assert SECRET not in result.stdout + result.stderr, f"{command} printed the password"

    # The agent of one pod gets a wrong password (its server keeps the right one): it stops with exit
    # code 4 and says so, and neither password is in what it said.
    pod = cluster.pod(2, 1)
    wrong = os.path.join(cluster.workdir, "wrong-password")
    with open(wrong, "w") as f:
        f.write(WRONG)
    os.chmod(wrong, 0o644)  # readable by everyone: a warning of its own
    pod.run_environment = {"REDIS_INIT_PASSWORD_FILE": wrong}
    pod.restart()
    wait_for(lambda: pod.proc.poll() is not None, 30, what=f"{pod.name}'s agent to give up")
    log = open(pod.agent_log).read().split("----- incarnation")[-1]
    assert pod.proc.returncode == 4, log
    assert "authentication failed" in log and "check --password-file" in log, log
    assert "is readable by every user" in log, log
    assert WRONG not in log and SECRET not in log, log
    assert not processes_holding(WRONG)

    # With the right password again, the pod rejoins.
    pod.run_environment = {}
    pod.restart()
    cluster.assert_healthy(keys=50, designated_roles=False)
    assert not processes_holding(SECRET)
