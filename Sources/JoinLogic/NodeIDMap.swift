import Declaration

/// Which pod each node ID belongs to, as this agent saw it: a node ID is recorded when the pod's name
/// resolved to an address and the node answering there reported that ID as its own. Servers without
/// `cluster-announce-hostname` (Redis 6.2) show a node only by IP, and an IP says nothing once pods move;
/// this map, kept in a file beside nodes.conf (`<nodes.conf>.pods`), still names the pod after every IP
/// changed, so a moved pod can be met at its new address and a wiped pod's old ID forgotten.
///
/// The file is one `<node-id> <pod-name>` line a node; lines that are not that are ignored.
public struct NodeIDMap: Equatable, Sendable {
    /// Pod name by node ID.
    public private(set) var podNames: [String: String]

    /// An empty map.
    public init() { podNames = [:] }

    /// A map from its file's text; malformed lines, IDs that are not 40 hex digits and names that are
    /// not printable ASCII (a pod name is a DNS label, a static peer a host:port) are skipped. Lines end
    /// at any newline, `\r\n` included (a `\r` kept in a name once made the file read back other lines
    /// than it wrote; found by scripts/fuzz NodesConf).
    public init(text: String) {
        var names: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 2, ClusterNode.isNodeID(fields[0]),
                fields[1].unicodeScalars.allSatisfy({ $0.value > 32 && $0.value < 127 })
            else { continue }
            names[String(fields[0])] = String(fields[1])
        }
        podNames = names
    }

    /// The file's text, sorted by pod then ID so that an unchanged map writes the same bytes.
    public var text: String {
        podNames.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map { "\($0.key) \($0.value)\n" }.joined()
    }

    /// The pod recorded for `nodeID`.
    public func podName(of nodeID: String) -> String? { podNames[nodeID] }

    /// This map with what `observation` proves added (the local node, every peer that answered at its
    /// pod's address, and every node a view lists under one of `topology`'s hostnames), and without IDs
    /// that no node in the observation knows any more: those were forgotten everywhere, and nothing will
    /// ask for them again.
    ///
    /// A hostname is the node's own word, as good as its answer: Redis does not always save it in
    /// nodes.conf before a restart, and a node restarted with such a file lists that peer by an old
    /// address alone, named by this map or by nothing.
    public func learning(from observation: Observation, topology: Topology) -> NodeIDMap {
        var names = podNames
        for view in observation.allViews {
            for node in view.nodes where !node.flags.handshake {
                if let hostname = node.hostname, let pod = topology.pod(withHost: hostname) { names[node.id] = pod.name }
            }
        }
        names[observation.local.myself.id] = observation.me.name
        for (podName, state) in observation.peers {
            if let view = state.view { names[view.myself.id] = podName }
        }
        let known = Set(observation.allViews.flatMap { view in view.nodes.map(\.id) })
        var result = NodeIDMap()
        result.podNames = names.filter { known.contains($0.key) }
        return result
    }
}
