import Declaration
import Platform

/// The entries a restarted node brought back from its nodes.conf, until DNS confirms their addresses.
///
/// Each is at the address its pod had before the restart, and a pod restarted meanwhile is elsewhere.
/// `CLUSTER NODES` may not show that for a long time: Redis lists a link as connected while it is only
/// connecting (a connect to an address nobody holds fails after ARP's 3 s, and the next starts 0.1 s
/// later), and the other nodes' gossip keeps the entry's pong time fresh, so Redis pings it only now and
/// then and suspects it node-timeout after that. Two pods that both moved then each list the other at
/// its old address, and only their own MEET would correct it (CI, Valkey 8.1, every pod restarted with a
/// new address: a node still listed another at its old address, "connected", when `status` called the
/// cluster healthy). So the agent resolves each restored entry's pod until its name gives the address
/// the entry lists: if the pod moved, the repair MEETs it where it is now, and from then on it does.
public struct RestoredEntries: Equatable, Sendable {
    /// The node IDs whose addresses are not confirmed yet.
    public private(set) var unconfirmed: Set<String> = []
    private var recorded = false

    public init() {}

    /// Takes the local node's entries the first time it is read; a node that starts empty restores none.
    public mutating func record(_ local: NodeView) {
        guard !recorded else { return }
        recorded = true
        unconfirmed = Set(local.others.filter { !$0.flags.handshake }.map(\.id))
    }

    /// Drops the entries the observation settles: listed at the address their pod's name gave this pass,
    /// gone from the local node, or nameless (no hostname, no recorded node ID: nothing to resolve; the
    /// planner matches those by address).
    public mutating func confirm(_ observation: Observation, topology: Topology) {
        guard !unconfirmed.isEmpty else { return }
        let matcher = observation.matcher(topology)
        unconfirmed = unconfirmed.filter { id in
            guard let node = observation.local.node(withID: id), let pod = matcher.durablePod(of: node) else { return false }
            return node.flags.noAddress || observation.addresses[pod.name]?.description != node.ip
        }
    }
}
