"""docker/docker-compose.yml cannot run here (no Docker engine), so the proving ground runs what it declares:
the same static-layout peers, the same environment, the same server command, in pods reached by their bare
service names through a Docker-style resolv.conf (ndots:0)."""

import os

import yaml
from proving_ground import ROOT

COMPOSE = os.path.join(ROOT, "docker", "docker-compose.yml")


def declaration():
    spec = yaml.safe_load(open(COMPOSE))
    services = spec["services"]
    redis = {name: service for name, service in services.items() if name != "redis-init"}
    return spec, services["redis-init"], redis


def test_compose_file_is_consistent():
    spec, init, redis = declaration()
    environment = redis["redis-0"]["environment"]
    peers = environment["REDIS_INIT_PEERS"].split(",")
    assert environment["REDIS_INIT_LAYOUT"] == "static"
    pods = int(environment["REDIS_INIT_SHARDS"]) * (1 + int(environment["REDIS_INIT_REPLICAS"]))
    assert sorted(redis) == sorted(peers) and len(peers) == pods
    for name, service in redis.items():
        assert service["hostname"] == name
        assert service["environment"] == {**environment, "REDIS_INIT_POD_NAME": name}
        assert service["command"][:3] == ["/opt/redis-init/redis-init", "run", "--"]
        assert "redis-init:/opt/redis-init:ro" in service["volumes"]
        assert service["depends_on"]["redis-init"]["condition"] == "service_completed_successfully"
        assert service["secrets"] == ["redis_password"]
        assert service["healthcheck"]["test"][1:] == ["/opt/redis-init/redis-init", "probe", "readiness"]
    assert init["command"][:3] == ["init", "--install-to", "/opt/redis-init"]
    assert "redis-init:/opt/redis-init" in init["volumes"]
    assert environment["REDIS_INIT_PASSWORD_FILE"] == "/run/secrets/redis_password"
    assert "redis_password" in spec["secrets"]


def test_compose_declaration_forms_a_healthy_cluster(ground):
    _, _, redis = declaration()
    environment = redis["redis-0"]["environment"]
    peers = environment["REDIS_INIT_PEERS"].split(",")
    cluster = ground(int(environment["REDIS_INIT_SHARDS"]), int(environment["REDIS_INIT_REPLICAS"]), layout="static",
                     name="compose", peers=peers)
    # The compose file's own agent settings, but its password file: these servers run without one.
    cluster.extra_environment = {k: v for k, v in environment.items()
                                 if k not in ("REDIS_INIT_PASSWORD_FILE", "REDIS_INIT_POD_NAME")}
    cluster.start_all()
    cluster.assert_healthy()
    status = cluster.run_cli("status").stdout
    assert all(peer in status for peer in peers), status
