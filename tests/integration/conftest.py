import os
import subprocess

import pytest

from harness import ROOT, Cluster


@pytest.fixture(scope="session", autouse=True)
def built_binary():
    """Builds the release binary once, unless REDIS_INIT_BIN names one."""
    if "REDIS_INIT_BIN" not in os.environ:
        subprocess.run(["swift", "build", "-c", "release", "--product", "redis-init"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)


@pytest.fixture
def make_cluster(request):
    """Makes clusters that are always torn down; on failure their records are printed and kept."""
    made = []

    def make(*args, **kwargs):
        cluster = Cluster(*args, **kwargs)
        made.append(cluster)
        return cluster

    yield make
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for cluster in made:
        if failed:
            print(cluster.dump())
        cluster.close(keep=failed and os.environ.get("KEEP_FAILED") == "1")
