"""The kernel's neighbour (ARP) table is shared by every network namespace and capped at 1024 entries by
default: 100 pods that all talk to each other need about 10,000, and past the cap packets are dropped
silently. The proving ground raises the limits here, from pytest or from scripts/lib/proving-ground.sh."""

LIMITS = {"gc_thresh1": 8192, "gc_thresh2": 32768, "gc_thresh3": 65536}


def raise_limits():
    for key, value in LIMITS.items():
        path = f"/proc/sys/net/ipv4/neigh/default/{key}"
        with open(path) as f:
            if int(f.read()) >= value:
                continue
        with open(path, "w") as f:
            f.write(str(value))


if __name__ == "__main__":
    raise_limits()
