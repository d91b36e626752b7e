/// The commands, each with its usage line and summary for `--help`.
enum Command: String, CaseIterable, Sendable {
    case run, sidecar, `init`, rejoin, handover, peers, status, probe

    /// The usage line after `redis-init`.
    var usage: String {
        switch self {
        case .run: return "run [options] -- redis-server [args...]"
        case .probe: return "probe liveness|readiness [options]"
        default: return "\(rawValue) [options]"
        }
    }

    /// One line of what it does.
    var summary: String {
        switch self {
        case .run:
            return
                "start the server with cluster mode, form or join the cluster, keep it healed, move slots when the shard count changes; exits with the server's status"
        case .sidecar: return "the same against a server that is already running in this pod"
        case .`init`: return "before the server starts: refresh nodes.conf addresses from DNS (atomic, backup kept); copy this binary"
        case .rejoin: return "reconcile the local node until it is converged, then exit (for a human after an incident)"
        case .handover:
            return "hand this master's slots to a caught-up replica of its shard before the server stops (a preStop hook); "
                + "exit 0 once the node serves no slots, 1 with the reason otherwise"
        case .peers: return "every declared pod with its shard, ordinal, role and resolved address"
        case .status: return "the cluster against the declaration; exit 0 healthy, 1 degraded, 2 usage error"
        case .probe:
            return "for the kubelet, from the local server alone: liveness = it answers; readiness = it serves its shard "
                + "in a healthy cluster (exit 0 yes, 1 no)"
        }
    }

    /// Whether it takes words besides options (`probe readiness`).
    var takesWords: Bool { self == .probe }
}
