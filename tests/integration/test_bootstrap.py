"""Bootstrap with real redis-servers and a real DNS server: agents started together, in a random
order printed as a seed, form exactly the declared cluster."""



def form_and_verify(cluster, max_delay=0.0):
    cluster.start_all(max_delay=max_delay)
    cluster.wait_healthy(timeout=60)
    cluster.check_topology()
    cluster.redis_cli_check()
    cluster.write_and_read_keys()


def test_3x1_shards_layout_random_order(make_cluster):
    form_and_verify(make_cluster(3, 1, layout="shards"))


def test_3x2_ordinal_layout_random_order(make_cluster):
    form_and_verify(make_cluster(3, 2, layout="ordinal", name="bn"))


def test_3x1_random_delays(make_cluster):
    form_and_verify(make_cluster(3, 1, name="rd"), max_delay=1.5)


def test_5x1_shards_layout(make_cluster):
    form_and_verify(make_cluster(5, 1, name="five"))


def test_status_reports_degraded_until_formed(make_cluster):
    cluster = make_cluster(3, 0, name="st")
    before = cluster.status(json_output=False)
    assert before.returncode == 1, before.stdout + before.stderr
    assert "not resolvable" in before.stdout
    cluster.start_all()
    cluster.wait_healthy()
    after = cluster.status(json_output=False)
    assert after.returncode == 0 and after.stdout.strip().endswith("healthy"), after.stdout
