"""The deployment files: the Dockerfile is lint-clean, both Kubernetes layouts render and validate for
Kubernetes 1.31 (strict), and what they declare agrees with redis-init: the StatefulSets make exactly the
pods redis-init expects, every container runs redis-init the documented way, and no secret is on a
command line."""

import json
import os
import re
import shutil
import subprocess

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("REDIS_INIT_BIN", os.path.join(ROOT, "dist", "redis-init"))
LAYOUTS = ["shards", "ordinal"]


def render(layout):
    if not shutil.which("kubectl"):
        pytest.skip("kubectl is not installed")
    result = subprocess.run(["kubectl", "kustomize", os.path.join(ROOT, "deploy", "kubernetes", layout)],
                            capture_output=True, text=True, check=True)
    return result.stdout, [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def of_kind(documents, kind):
    return [doc for doc in documents if doc["kind"] == kind]


def test_dockerfile_is_lint_clean():
    result = subprocess.run(["hadolint", os.path.join(ROOT, "docker", "Dockerfile")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("layout", LAYOUTS)
def test_manifests_validate_strictly_for_kubernetes_1_31(layout, tmp_path):
    text, _ = render(layout)
    rendered = tmp_path / f"{layout}.yaml"
    rendered.write_text(text)
    result = subprocess.run(["kubernetes-validate", "--strict", "--kubernetes-version", "1.31.0", str(rendered)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "passed" in result.stdout and "failed" not in result.stdout.lower()


@pytest.mark.parametrize("layout", LAYOUTS)
def test_statefulsets_make_the_pods_redis_init_declares(layout):
    _, documents = render(layout)
    settings = next(doc for doc in of_kind(documents, "ConfigMap") if doc["metadata"]["name"] == "redis-init")["data"]
    assert settings["REDIS_INIT_LAYOUT"] == layout
    pods = set()
    for statefulset in of_kind(documents, "StatefulSet"):
        pods |= {f"{statefulset['metadata']['name']}-{k}" for k in range(statefulset["spec"]["replicas"])}
    env = {**os.environ, **settings, "REDIS_INIT_NAMESERVER": "127.0.0.1:9", "REDIS_INIT_TIMEOUT": "0.2"}
    env.pop("REDIS_INIT_PASSWORD_FILE")
    declared = json.loads(subprocess.run([BINARY, "peers", "--json"], capture_output=True, text=True, env=env).stdout)
    assert pods == {pod["pod"] for pod in declared}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_pods_run_redis_init_as_documented(layout):
    text, documents = render(layout)
    (service,) = of_kind(documents, "Service")
    assert service["spec"]["clusterIP"] == "None" and service["spec"]["publishNotReadyAddresses"] is True
    assert of_kind(documents, "PodDisruptionBudget")
    for statefulset in of_kind(documents, "StatefulSet"):
        spec = statefulset["spec"]
        assert spec["serviceName"] == service["metadata"]["name"]
        assert spec["podManagementPolicy"] == "Parallel"
        assert spec["volumeClaimTemplates"][0]["metadata"]["name"] == "data"
        pod = spec["template"]["spec"]
        assert pod["affinity"]["podAntiAffinity"]
        (init,) = pod["initContainers"]
        assert init["command"][:2] == ["/redis-init", "init"] and "--install-to=/opt/redis-init" in init["command"]
        (redis,) = pod["containers"]
        assert redis["command"] == ["/opt/redis-init/redis-init", "run", "--", "redis-server", "/etc/redis/redis.conf"]
        assert redis["readinessProbe"]["exec"]["command"] == ["/opt/redis-init/redis-init", "probe", "readiness"]
        assert redis["livenessProbe"]["exec"]["command"] == ["/opt/redis-init/redis-init", "probe", "liveness"]
        for container in (init, redis):
            resources = container["resources"]
            assert resources["requests"]["memory"] == resources["limits"]["memory"], container["name"]
            assert not any("password" in argument.lower() and "file" not in argument.lower() for argument in container["command"])
        secret_volume = next(volume for volume in pod["volumes"] if "secret" in volume)
        assert secret_volume["secret"]["secretName"] == "redis-auth"
    # The password reaches the server through init --auth-conf only, never through the manifests.
    assert not re.search(r"^\s*(requirepass|masterauth)\s", text, re.MULTILINE)
