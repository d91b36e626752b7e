"""The command line as an operator meets it: help that is true, errors that name the fix, exit codes
that mean something, flags with environment twins."""

import os
import subprocess

from harness import ROOT

BINARY = os.environ.get("REDIS_INIT_BIN", os.path.join(ROOT, ".build", "release", "redis-init"))
DECL = ["--layout", "shards", "--name", "rc", "--shards", "3", "--nameserver", "127.0.0.1:9", "--timeout", "0.1"]


def run(*args, env=None):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("REDIS_INIT_")}
    full_env.update(env or {})
    return subprocess.run([BINARY, *args], capture_output=True, text=True, env=full_env, timeout=30)


def test_help_lists_every_flag_with_its_environment_twin():
    result = run("--help")
    assert result.returncode == 0
    for flag in ["--layout", "--name", "--service", "--namespace", "--cluster-domain", "--pod-name", "--shards",
                 "--replicas", "--peers", "--port", "--nameserver", "--password-file", "--user", "--timeout",
                 "--log-format", "--json"]:
        assert flag in result.stdout, flag
        assert "REDIS_INIT_" + flag[2:].upper().replace("-", "_") in result.stdout, flag
    assert run().returncode == 0
    assert run("status", "--help").returncode == 0


def test_usage_errors_exit_2_and_name_the_fix():
    cases = [
        (["frobnicate"], "unknown command"),
        (["peers", *DECL, "--bogus"], "unknown option '--bogus'"),
        (["peers", "--name", "rc"], "--shards is required"),
        (["peers", "--name", "rc", "--shards", "two"], "--shards 'two' is not a whole number"),
        (["peers", "--name", "rc", "--shards", "2"], "at least 3 masters"),
        (["peers", *DECL, "--layout", "weird"], "--layout must be one of"),
        (["peers", "--layout", "static", "--shards", "3", "--peers", "a,b"], "--peers lists 2 hosts"),
        (["sidecar", *DECL, "--pod-name", "rc-shard3-0"], "pod 'rc-shard3-0' is not part of the declared shards layout"),
        (["sidecar", *DECL, "--pod-name", "rc-shard1"], "expected names like rc-shard0-0"),
        (["run", *DECL, "--pod-name", "rc-shard0-0"], "run needs the server command after '--'"),
        (["peers", *DECL, "--password-file", "/nonexistent/pw"], "cannot read the password file"),
        (["peers", *DECL, "--timeout", "-1"], "--timeout '-1' is not a number of seconds"),
    ]
    for args, message in cases:
        result = run(*args)
        assert result.returncode == 2, (args, result.returncode, result.stderr)
        assert message in result.stderr, (args, result.stderr)


def test_environment_twins_and_flags_win():
    by_env = run("peers", "--json", env={"REDIS_INIT_NAME": "envname", "REDIS_INIT_SHARDS": "4", "REDIS_INIT_NAMESPACE": "prod",
                                         "REDIS_INIT_NAMESERVER": "127.0.0.1:9", "REDIS_INIT_TIMEOUT": "0.1"})
    assert by_env.returncode == 1  # nothing resolves
    assert by_env.stdout.count('"pod":"envname-shard') == 4
    assert "envname-shard3-0.envname.prod.svc.cluster.local" in by_env.stdout
    by_flag = run("peers", "--json", "--shards", "3", env={"REDIS_INIT_NAME": "envname", "REDIS_INIT_SHARDS": "4",
                                                            "REDIS_INIT_NAMESERVER": "127.0.0.1:9", "REDIS_INIT_TIMEOUT": "0.1"})
    assert by_flag.stdout.count('"pod":') == 3
    assert run("peers", *DECL, "--json", env={"HOSTNAME": "rc-shard0-0"}).stdout.startswith("[")


def test_missing_server_program_exits_127():
    result = run("run", *DECL, "--pod-name", "rc-shard0-0", "--", "/nonexistent/redis-server")
    assert result.returncode == 127
    assert "cannot start '/nonexistent/redis-server'" in result.stderr


def test_run_exits_with_the_servers_status():
    result = run("run", *DECL, "--pod-name", "rc-shard0-0", "--port", "1", "--", "sh", "-c", "exit 7")
    assert result.returncode == 7, result.stderr


def test_init_installs_the_binary(tmp_path):
    """init --install-to copies the running binary into a shared volume, executable; with no nodes.conf
    yet there is nothing else to do."""
    target = tmp_path / "shared"
    target.mkdir()
    result = run("init", *DECL, "--install-to", str(target), "--nodes-conf", str(tmp_path / "nodes.conf"))
    assert result.returncode == 0, result.stderr
    installed = target / "redis-init"
    assert installed.stat().st_mode & 0o777 == 0o755
    assert installed.read_bytes() == open(BINARY, "rb").read()
    assert subprocess.run([str(installed), "--help"], capture_output=True).returncode == 0
    assert "does not exist yet" in result.stderr
    bad = run("init", *DECL, "--install-to", "/nonexistent/dir", "--nodes-conf", str(tmp_path / "nodes.conf"))
    assert bad.returncode == 2 and "is --install-to a writable volume?" in bad.stderr
