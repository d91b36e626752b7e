import os
import subprocess

import pytest
from harness import ROOT, Cluster
from lib.fixtures import managed_clusters


@pytest.fixture(scope="session", autouse=True)
def built_binary():
    """Builds the release binary once, unless REDIS_INIT_BIN names one."""
    if "REDIS_INIT_BIN" not in os.environ:
        subprocess.run(["swift", "build", "-c", "release", "--product", "redis-init"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)


@pytest.fixture
def make_cluster(request):
    """Makes clusters that are always torn down; on failure their records are printed and kept."""
    def teardown(cluster, failed):
        if failed:
            print(cluster.dump())
        cluster.close(keep=failed and os.environ.get("KEEP_FAILED") == "1")

    yield from managed_clusters(request, Cluster, teardown)
