import Declaration
import Platform

/// What one Redis node says about itself and the cluster, read in one pass.
public struct NodeView: Equatable, Sendable {
    /// Where the agent reached it (127.0.0.1 for the local node).
    public let endpoint: Endpoint
    /// Its `CLUSTER NODES`, its own line included.
    public let nodes: [ClusterNode]
    /// Its `CLUSTER INFO`.
    public let info: ClusterInfo
    /// Keys in its database (`DBSIZE`).
    public let keyCount: Int
    /// Its `INFO replication`, where it was read.
    public let replication: ReplicationInfo?

    /// Assembles a view; `nodes` must hold exactly one `myself` line (the parser guarantees it).
    public init(endpoint: Endpoint, nodes: [ClusterNode], info: ClusterInfo, keyCount: Int, replication: ReplicationInfo? = nil) {
        self.endpoint = endpoint
        self.nodes = nodes
        self.info = info
        self.keyCount = keyCount
        self.replication = replication
    }

    /// Its own line.
    public var myself: ClusterNode { nodes.first { $0.flags.myself }! }

    /// Every line but its own.
    public var others: [ClusterNode] { nodes.filter { !$0.flags.myself } }

    /// The line for `id`, if it knows that node.
    public func node(withID id: String) -> ClusterNode? { nodes.first { $0.id == id } }

    /// Virgin: knows only itself, serves no slot, holds no key, epoch 0. Only such a node may be given
    /// a config epoch and a fresh slot range.
    public var isVirgin: Bool {
        nodes.count == 1 && !myself.ownsSlots && keyCount == 0 && myself.configEpoch == 0
    }

    /// Whether a handshake with the node at `ip`:`port` is under way here (the first moment of a MEET,
    /// before the node's real ID is known).
    public func isHandshaking(withIP ip: String, port: Int) -> Bool {
        nodes.contains { $0.flags.handshake && $0.ip == ip && $0.port == port }
    }

    /// Whether it knows no node but itself.
    public var isAlone: Bool { nodes.count == 1 }

    /// The address others reach its node at: where the agent reached it. A node keeps reporting the
    /// address it had until someone MEETs it at a new one (found by scripts/chaos: a wiped creator MEETed
    /// a promoted replica, moved to a new IP, at its old address, for good). The local view, read over
    /// loopback, gives the address the node reports for itself instead.
    public var reachableAddress: (ip: String, port: Int, busPort: Int) {
        let me = myself
        let readOverLoopback = endpoint.address == NodeView.loopback4 || endpoint.address == NodeView.loopback6
        let ip = me.ip.isEmpty || !readOverLoopback ? endpoint.address.description : me.ip
        return (ip, me.port, me.busPort)
    }

    private static let loopback4 = IPAddress("127.0.0.1")!
    private static let loopback6 = IPAddress("::1")!
}
