import Declaration
import Platform

/// What became of one peer pod during a pass.
public enum PeerState: Equatable, Sendable {
    /// Its DNS name did not resolve; the text says why.
    case unresolved(String)
    /// It resolved but did not answer; the text says why.
    case unreachable(Endpoint, String)
    /// It answered.
    case observed(NodeView)

    /// The view, when observed.
    public var view: NodeView? {
        if case .observed(let view) = self { return view }
        return nil
    }
}

/// Everything one agent knows at one instant: its own node, the peers it looked at, and the
/// addresses their names resolved to. The planner decides from this alone.
public struct Observation: Equatable, Sendable {
    /// The pod this agent runs for.
    public let me: PodIdentity
    /// The local node.
    public let local: NodeView
    /// Peers looked at this pass, by pod name.
    public let peers: [String: PeerState]
    /// Pods whose names resolved, by pod name (this pod's own included when it resolved).
    public let addresses: [String: IPAddress]
    /// The pods of node IDs this agent recorded earlier (for servers that announce no hostname).
    public let nodeIDs: NodeIDMap
    /// Masters beyond the declaration that serve slots, read by the creator while it moves slots, by node ID.
    public let members: [String: PeerState]
    /// The declarations of the live agents (the creator reads them from its own node; others: nil).
    public let roster: AgentRoster?

    /// Assembles an observation.
    public init(
        me: PodIdentity, local: NodeView, peers: [String: PeerState], addresses: [String: IPAddress], nodeIDs: NodeIDMap = NodeIDMap(),
        members: [String: PeerState] = [:], roster: AgentRoster? = nil
    ) {
        self.me = me
        self.local = local
        self.peers = peers
        self.addresses = addresses
        self.nodeIDs = nodeIDs
        self.members = members
        self.roster = roster
    }

    /// Who each node is, by hostname, recorded node ID or current address.
    public func matcher(_ topology: Topology) -> PodMatcher {
        PodMatcher(topology: topology, addresses: addresses, nodeIDs: nodeIDs)
    }

    /// The view of `pod`: the local view for this pod, else the peer's when it was observed.
    public func view(of pod: PodIdentity) -> NodeView? {
        pod == me ? local : peers[pod.name]?.view
    }

    /// Every view at hand, local first.
    public var allViews: [NodeView] {
        [local] + peers.keys.sorted().compactMap { peers[$0]?.view } + members.keys.sorted().compactMap { members[$0]?.view }
    }

    /// The view of the node with `id`, wherever it was read.
    public func view(ofNodeID id: String) -> NodeView? {
        allViews.first { $0.myself.id == id }
    }
}
