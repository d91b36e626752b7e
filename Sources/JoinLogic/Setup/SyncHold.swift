/// When a master may start a full sync to a replica, decided from the local node alone.
///
/// Redis replicates by address, not by node ID: a replica whose master died keeps reconnecting to the
/// master's address, and a wiped node that comes back there answers it with a full sync of its empty
/// dataset, which the replica loads in place of its own (the hazard Redis documents for masters
/// restarted without persistence; the proving ground lost acknowledged keys to it on Redis 6.2). So
/// `run` starts the server holding full syncs (`repl-diskless-sync yes` with a delay of a day), and the
/// hold is lifted only once the local node's place is settled: it serves slots, or it replicates. A
/// wiped node stays held while it waits for the failover and is never a master anyone syncs from.
///
/// | phase | the local node | next |
/// |---|---|---|
/// | held (run) or untouched (sidecar) | neither serves slots nor replicates | stay |
/// | held or untouched | an empty master, replicas declared | delay 0: its replicas' first sync starts at once (nothing to batch) -> quick |
/// | held | anything else settled | the normal delay -> done |
/// | untouched | anything else settled | nothing -> done |
/// | quick | still an empty master, fewer replicas online than declared | stay |
/// | quick | otherwise | the normal delay -> done |
public enum SyncHold: Equatable, Sendable {
    case held
    case untouched
    case quick
    case done

    /// The delay a held server starts with: a day, longer than any wait for a failover.
    public static let heldDelay = "86400"

    /// The next phase, and the `repl-diskless-sync-delay` to set on the way (nil: set nothing).
    public func next(local: NodeView, declaredReplicas: Int, normalDelay: String) -> (phase: SyncHold, setDelay: String?) {
        let myself = local.myself
        let settled = myself.ownsSlots || myself.flags.replica
        let emptyMaster = myself.flags.master && local.keyCount == 0 && declaredReplicas > 0
        switch self {
        case .done:
            return (.done, nil)
        case .held, .untouched:
            guard settled else { return (self, nil) }
            if emptyMaster && myself.ownsSlots { return (.quick, "0") }
            return self == .held ? (.done, normalDelay) : (.done, nil)
        case .quick:
            let online = local.replication?.onlineReplicas ?? 0
            if emptyMaster && online < declaredReplicas { return (.quick, nil) }
            return (.done, normalDelay)
        }
    }
}
