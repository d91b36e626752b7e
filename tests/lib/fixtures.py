"""The body of a fixture that makes clusters for a test and always tears them down."""


def managed_clusters(request, factory, teardown, interrupted_counts_as_failed=False):
    """Yields a function that makes clusters with `factory`; afterwards calls `teardown(cluster, failed)`
    for each, `failed` telling whether the test failed (or, if asked, was interrupted)."""
    made = []

    def make(*args, **kwargs):
        cluster = factory(*args, **kwargs)
        made.append(cluster)
        return cluster

    yield make
    report = getattr(request.node, "rep_call", None)
    failed = report.failed if report is not None else interrupted_counts_as_failed
    for cluster in made:
        teardown(cluster, failed)
