import Declaration
import Platform

/// Says which declared pod a `CLUSTER NODES` entry is: by its announced hostname where the server
/// has one (it survives IP changes), else by the node ID as this agent recorded it (`NodeIDMap`),
/// else by the pod whose name currently resolves to its IP. A pod of the same naming beyond the
/// declaration is told apart from another cluster's node.
public struct PodMatcher: Sendable {
    /// Who a node is.
    public enum Identity: Equatable, Sendable {
        /// One of the declared pods.
        case ours(PodIdentity)
        /// A pod of the same StatefulSets beyond the declaration (a shrunk declaration leaves them).
        case undeclared(podName: String)
        /// It announces a hostname that is none of ours: another cluster's node.
        case foreign(hostname: String)
        /// No hostname and an address no pod resolves to: cannot tell yet.
        case unknown
    }

    let topology: Topology
    let nodeIDs: NodeIDMap
    let podsByAddress: [String: PodIdentity]

    /// A matcher for the declaration, the addresses resolved this pass and the node IDs recorded.
    public init(topology: Topology, addresses: [String: IPAddress], nodeIDs: NodeIDMap = NodeIDMap()) {
        self.topology = topology
        self.nodeIDs = nodeIDs
        var byAddress: [String: PodIdentity] = [:]
        for pod in topology.pods {
            if let address = addresses[pod.name] { byAddress["\(address):\(pod.port)"] = pod }
            if let literal = IPAddress(pod.host) { byAddress["\(literal):\(pod.port)"] = pod }
        }
        podsByAddress = byAddress
    }

    /// Who `node` is.
    public func identify(_ node: ClusterNode) -> Identity {
        if let hostname = node.hostname {
            if let pod = topology.pod(withHost: hostname) { return .ours(pod) }
            if let podName = topology.undeclaredPodName(withHost: hostname) { return .undeclared(podName: podName) }
            return .foreign(hostname: hostname)
        }
        if let pod = durablePod(of: node) { return .ours(pod) }
        if let podName = nodeIDs.podName(of: node.id), topology.isUndeclaredPodName(podName) { return .undeclared(podName: podName) }
        if !node.ip.isEmpty, let address = IPAddress(node.ip), let pod = podsByAddress["\(address):\(node.port)"] {
            return .ours(pod)
        }
        return .unknown
    }

    /// Whether `view` lists another cluster's node: then it is that cluster's view, whatever hostname its
    /// own node was given since, and says nothing of who serves our shards.
    public func listsForeignNode(_ view: NodeView) -> Bool {
        view.nodes.contains { if case .foreign = identify($0) { true } else { false } }
    }

    /// The pod `node` is by its hostname or recorded node ID, which stay true when addresses change.
    public func durablePod(of node: ClusterNode) -> PodIdentity? {
        if let hostname = node.hostname { return topology.pod(withHost: hostname) }
        return nodeIDs.podName(of: node.id).flatMap(topology.pod(named:))
    }

    /// The pod `node` is, when it is ours.
    public func pod(of node: ClusterNode) -> PodIdentity? {
        if case .ours(let pod) = identify(node) { return pod }
        return nil
    }

    /// The pod `node` is, declared or beyond the declaration (`Topology.undeclaredPod(named:)`).
    public func anyPod(of node: ClusterNode) -> PodIdentity? {
        switch identify(node) {
        case .ours(let pod): return pod
        case .undeclared(let podName): return topology.undeclaredPod(named: podName)
        case .foreign, .unknown: return nil
        }
    }
}
