# Sourced by scripts/e2e and scripts/bench: the kernel settings the proving ground needs, and a trap that
# removes this run's namespaces, links and DNS servers, by their exact names and PIDs, whatever happens.

# 100 pods that all talk to each other need about 10,000 neighbour entries; past the default cap of 1024
# packets are dropped silently.
for key in gc_thresh1:8192 gc_thresh2:32768 gc_thresh3:65536; do
    path=/proc/sys/net/ipv4/neigh/default/${key%%:*}
    [ "$(cat "$path")" -ge "${key##*:}" ] || echo "${key##*:}" > "$path"
done

proving_ground_cleanup() {
    for ns in $(ip netns list | awk '{print $1}' | grep "^e${E2E_RUN_ID}" || true); do
        for pid in $(ip netns pids "$ns"); do kill -9 "$pid" 2>/dev/null || true; done
        ip netns del "$ns" 2>/dev/null || true
        rm -rf "/etc/netns/$ns"
    done
    for link in $(ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep "^e${E2E_RUN_ID}" || true); do
        ip link del "$link" 2>/dev/null || true
    done
    for pidfile in /tmp/redis-init-e2e-e"${E2E_RUN_ID}"*/dnsmasq.pid; do
        [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
    done
}
trap proving_ground_cleanup EXIT INT TERM
