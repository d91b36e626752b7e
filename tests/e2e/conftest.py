import os
import subprocess

import pytest
from lib import neighbours
from lib.fixtures import managed_clusters
from proving_ground import ROOT, Cluster


def pytest_configure(config):
    if os.geteuid() != 0:
        pytest.exit("the proving ground needs root (network namespaces)", returncode=2)
    neighbours.raise_limits()


@pytest.fixture(scope="session", autouse=True)
def built_binary():
    if "REDIS_INIT_BIN" not in os.environ:
        subprocess.run([os.path.join(ROOT, "scripts", "build-static")], check=True, stdout=subprocess.DEVNULL)


@pytest.fixture
def ground(request):
    """Makes clusters; always tears them down. A failed or interrupted test's record (seed, logs, every
    node's view) is written and printed, and its logs are kept."""
    def teardown(cluster, failed):
        if failed:
            path = cluster.record()
            print(open(path).read())
            print(f"record kept in {path}")
        cluster.close(keep_workdir=failed)

    yield from managed_clusters(request, Cluster, teardown, interrupted_counts_as_failed=True)




RESULTS = []


def pytest_runtest_logreport(report):
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        RESULTS.append((report.nodeid.split("::")[-1], report.outcome, report.duration))


def pytest_sessionfinish(session):
    """A markdown table of this run (name, outcome, duration) where E2E_RESULTS points, for a run's report."""
    path = os.environ.get("E2E_RESULTS")
    if not path or not RESULTS:
        return
    with open(path, "a") as f:
        for name, outcome, duration in RESULTS:
            f.write(f"| `{name}` | {outcome} | {duration:.1f} s |\n")
