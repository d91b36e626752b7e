# Sourced by scripts/e2e and scripts/bench: the kernel settings the proving ground needs, and a trap that
# removes this run's namespaces, links and DNS servers, by their exact names and PIDs, whatever happens.

# The neighbour-table limits 100 pods need (tests/lib/neighbours.py says why).
python3 "$(dirname "${BASH_SOURCE[0]}")/../../tests/lib/neighbours.py"

# One proving ground at a time: every one puts 198.18.0.1 on a bridge of its own, and two such bridges
# send a pod's DNS queries into the wrong one (CI once ran beside the leftovers of a run a machine restart
# had cut short: every query timed out, every scenario waited its full time). The lock dies with its holder.
exec 9>/run/redis-init-proving-ground.lock
if ! flock -n 9; then
    echo "error: another proving ground (scripts/e2e, scripts/bench or scripts/chaos) is running;" \
        "wait for it, or stop it by its PID (pgrep -af 'tests/e2e|bench/bench.py')." >&2
    exit 1
fi

# Removes the namespaces (and every process in them), links and DNS servers whose names begin with $1.
remove_proving_ground() {
    local prefix=$1 ns pid link pidfile
    for ns in $(ip netns list | awk '{print $1}' | grep "^${prefix}" || true); do
        for pid in $(ip netns pids "$ns"); do kill -9 "$pid" 2>/dev/null || true; done
        ip netns del "$ns" 2>/dev/null || true
        rm -rf "/etc/netns/$ns"
    done
    for link in $(ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep "^${prefix}" || true); do
        ip link del "$link" 2>/dev/null || true
    done
    for pidfile in /tmp/redis-init-e2e-"${prefix}"*/dnsmasq.pid; do
        [ -f "$pidfile" ] && grep -q dnsmasq "/proc/$(cat "$pidfile")/cmdline" 2>/dev/null \
            && kill "$(cat "$pidfile")" 2>/dev/null || true
    done
}

# Holding the lock, any link that still carries the bridge's address is a dead run's: remove what its
# cluster made, by the prefix its bridge's name gives (<prefix>b, <prefix>n*, <prefix>h*).
for bridge in $(ip -o addr show to 198.18.0.1 | awk '{print $2}'); do
    # Every proving-ground bridge has this MAC address (proving_ground.py, Network): it marks ours.
    if [ "${bridge%b}" = "$bridge" ] || [ "$(cat "/sys/class/net/$bridge/address")" != "02:00:c6:12:00:01" ]; then
        echo "error: 198.18.0.1 is on link $bridge, which no proving ground made; remove it" \
            "(ip link del $bridge) or free 198.18.0.0/15 for the tests." >&2
        exit 1
    fi
    echo "removing the leftovers of an ended proving ground: ${bridge%b}*" >&2
    remove_proving_ground "${bridge%b}"
done

proving_ground_cleanup() { remove_proving_ground "e${E2E_RUN_ID}"; }
trap proving_ground_cleanup EXIT INT TERM
