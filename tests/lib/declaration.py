"""The declared pods of a layout, as redis-init names and maps them (README, "Layouts")."""


def declared_pods(layout, name, shards, replicas):
    """(pod name, shard, ordinal) for every pod, in creation order."""
    pods = []
    for k in range(shards * (1 + replicas)):
        if layout == "shards":
            shard, ordinal = k // (1 + replicas), k % (1 + replicas)
            pods.append((f"{name}-shard{shard}-{ordinal}", shard, ordinal))
        else:
            pods.append((f"{name}-{k}", k % shards, k // shards))
    return pods
