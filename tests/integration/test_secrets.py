"""Passwords come from a file or the environment; they never reach argv, logs or output, and a wrong
password is an error with its own exit code."""

import os
import signal
import subprocess

from lib.processes import processes_holding

# Quotes, a backslash, spaces and a non-ASCII letter: the server's copy (init --auth-conf) must quote it right.
SECRET = 's3cret "Pa55 word" \\ xyzzy-\u00fc'
# The ACL scenario writes its own acl lines, where a space would need quoting of its own.
ACL_SECRET = "acl-s3cret-Pa55word"



def test_password_protected_cluster_keeps_the_secret(make_cluster):
    cluster = make_cluster(3, 1, name="sec", password=SECRET)
    cluster.start_all()
    cluster.wait_healthy()
    cluster.check_topology()
    cluster.write_and_read_keys(50)

    assert not processes_holding(SECRET), f"the password is in {processes_holding(SECRET)}"
    for pod in cluster.pods:
        conf = os.path.join(pod.dir, "auth.conf")
        assert os.stat(conf).st_mode & 0o777 == 0o600
    for pod in cluster.pods:
        with open(pod.agent_log) as f:
            assert SECRET not in f.read(), f"{pod.name}'s agent log holds the password"
    status = cluster.status(json_output=False)
    assert status.returncode == 0 and SECRET not in status.stdout + status.stderr

    # A wrong password: exit code 4, a message that says so, and still no secret in it.
    wrong = os.path.join(cluster.workdir, "wrong")
    with open(wrong, "w") as f:
        f.write("not-the-password\n")
    os.chmod(wrong, 0o600)
    args = [a if a != cluster.password_file else wrong for a in cluster.agent_args()]
    result = cluster.run_cli("status", *args)
    assert result.returncode == 4, result.stdout + result.stderr
    assert "authentication failed" in result.stderr and "not-the-password" not in result.stderr

    # A password file readable by everyone is used, with a warning.
    loose = os.path.join(cluster.workdir, "loose")
    with open(loose, "w") as f:
        f.write(SECRET)
    os.chmod(loose, 0o644)
    args = [a if a != cluster.password_file else loose for a in cluster.agent_args()]
    result = cluster.run_cli("status", *args)
    assert result.returncode == 0 and "readable by every user" in result.stderr


def test_password_from_the_environment(make_cluster):
    cluster = make_cluster(3, 0, name="envpw", password=SECRET)
    cluster.start_all()
    cluster.wait_healthy()
    args = [a for a in cluster.agent_args() if a not in ("--password-file", cluster.password_file)]
    for variable in ("REDIS_PASSWORD", "REDISCLI_AUTH"):
        result = cluster.run_cli("status", *args, env={**os.environ, variable: SECRET})
        assert result.returncode == 0, (variable, result.stderr)
    assert cluster.run_cli("status", *args).returncode == 4  # no password at all: NOAUTH


def test_agent_with_wrong_password_stops_with_exit_4(make_cluster):
    cluster = make_cluster(3, 0, name="badpw", password=SECRET)
    pod = cluster.pods[0]
    cluster.publish(pod)
    wrong = os.path.join(cluster.workdir, "wrong")
    with open(wrong, "w") as f:
        f.write("nope\n")
    conf = os.path.join(pod.dir, "auth.conf")
    written = cluster.run_cli("init", *cluster.agent_args(), "--nodes-conf", os.path.join(pod.dir, "nodes.conf"), "--auth-conf", conf)
    assert written.returncode == 0, written.stderr
    args = [a if a != cluster.password_file else wrong for a in cluster.agent_args()]
    proc = cluster.processes.start(
        [cluster.binary, "run", *args, "--pod-name", pod.name, "--local-address", pod.ip, "--",
         "redis-server", conf, "--bind", pod.ip, "--port", "6379", "--dir", pod.dir, "--save", ""],
        stop_signal=signal.SIGINT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 4, err
    assert "authentication failed" in err


def test_acl_user(make_cluster):
    """An ACL user instead of the default user: AUTH <user> <password> everywhere."""
    cluster = make_cluster(3, 0, name="acl", password=ACL_SECRET, extra_agent_args=["--user", "agent"])
    for pod in cluster.pods:
        cluster.publish(pod)
        conf = os.path.join(pod.dir, "acl.conf")
        with open(conf, "w") as f:
            f.write(f"user default off\nuser agent on >{ACL_SECRET} ~* &* +@all\n")
        os.chmod(conf, 0o600)
        log = open(pod.agent_log, "a")
        pod.proc = cluster.processes.start(
            [cluster.binary, "run", *cluster.agent_args(), "--pod-name", pod.name, "--local-address", pod.ip, "--",
             "redis-server", conf, "--bind", pod.ip, "--bind-source-addr", pod.ip, "--port", "6379", "--dir", pod.dir,
             "--save", "", "--protected-mode", "no"], stop_signal=signal.SIGINT, stdout=log, stderr=log)
    cluster.wait_healthy()
    for pod in cluster.pods:
        client = pod.client(username="agent", password=ACL_SECRET)
        assert client.execute_command("CLUSTER", "INFO").startswith("cluster_state:ok")
    # The default user is off: without --user the same password is refused.
    args = [a for a in cluster.agent_args() if a not in ("--user", "agent")]
    assert cluster.run_cli("status", *args).returncode == 4
