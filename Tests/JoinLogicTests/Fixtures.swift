import Declaration
import Platform

@testable import JoinLogic

/// A 3x1 `shards` declaration and helpers to write what its nodes would report, so each planner
/// test reads as the situation it describes.
struct Fixture {
    let topology: Topology

    init(shards: Int = 3, replicas: Int = 1, layout: Layout = .shards) {
        topology = try! Topology(
            layout: layout, name: "rc", service: nil, namespace: "demo", clusterDomain: "cluster.local", shards: shards,
            replicas: replicas, port: 6379, peers: [])
    }

    func pod(_ shard: Int, _ ordinal: Int) -> PodIdentity {
        topology.pods.first { $0.shard == shard && $0.ordinal == ordinal }!
    }

    /// A stable, readable 40-hex node ID per pod (a "generation" gives a wiped pod a new one).
    func id(_ pod: PodIdentity, generation: Int = 0) -> String {
        // 'e' separates the numbers, so no two (shard, ordinal, generation) give the same ID.
        let tag = "e\(generation)e\(pod.shard)e\(pod.ordinal)"
        return String(repeating: "a", count: 40 - tag.count) + tag
    }

    func ip(_ pod: PodIdentity) -> String { "198.18.\(pod.shard).\(pod.ordinal + 1)" }

    func endpoint(_ pod: PodIdentity) -> Endpoint { Endpoint(IPAddress(ip(pod))!, pod.port) }

    /// One `CLUSTER NODES` line.
    func line(
        _ pod: PodIdentity, myself: Bool = false, role: String = "master", master: PodIdentity? = nil, epoch: Int = 0,
        slots: [SlotRange] = [], extraFlags: String = "", ipKnown: Bool = true, hostname: String? = "", generation: Int = 0,
        at address: String? = nil, linkDown: Bool = false
    ) -> String {
        let host = hostname == "" ? pod.host : hostname
        let address = (ipKnown ? address ?? ip(pod) : "") + ":6379@16379" + (host.map { ",\($0)" } ?? "")
        let flags = (myself ? ["myself"] : []) + [role == "replica" ? "slave" : "master"] + (extraFlags.isEmpty ? [] : [extraFlags])
        let masterField = master.map { id($0) } ?? "-"
        let slotText = slots.map(\.description).joined(separator: " ")
        let link = linkDown ? "disconnected" : "connected"
        return
            "\(id(pod, generation: generation)) \(address) \(flags.joined(separator: ",")) \(masterField) 0 0 \(epoch) \(link) \(slotText)"
    }

    /// A node's view: its own line first, then what it knows.
    func view(
        _ pod: PodIdentity, _ lines: [String], ok: Bool = false, keys: Int = 0, local: Bool = false
    ) -> NodeView {
        let nodes = try! ClusterNode.parseAll(lines.joined(separator: "\n"))
        let myEpoch = nodes.first { $0.flags.myself }!.configEpoch
        let assigned = nodes.flatMap(\.slots).reduce(0) { $0 + $1.count }
        let info = ClusterInfo(isOK: ok, slotsAssigned: assigned, knownNodes: nodes.count, currentEpoch: myEpoch, myEpoch: myEpoch)
        let endpoint = local ? Endpoint(IPAddress("127.0.0.1")!, 6379) : self.endpoint(pod)
        return NodeView(endpoint: endpoint, nodes: nodes, info: info, keyCount: keys)
    }

    /// A node that knows only itself and has nothing: what a fresh redis-server reports.
    func virgin(_ pod: PodIdentity, local: Bool = false) -> NodeView {
        view(pod, [line(pod, myself: true, ipKnown: false, hostname: pod.host)], local: local)
    }

    /// Every pod resolved to its address.
    var allAddresses: [String: IPAddress] {
        Dictionary(uniqueKeysWithValues: topology.pods.map { ($0.name, IPAddress(ip($0))!) })
    }

    func observation(
        _ me: PodIdentity, local: NodeView, peers: [PodIdentity: PeerState] = [:], moved: [PodIdentity: String] = [:],
        nodeIDs: NodeIDMap = NodeIDMap()
    ) -> Observation {
        var addresses = allAddresses
        for (pod, ip) in moved { addresses[pod.name] = IPAddress(ip)! }
        return Observation(
            me: me, local: local, peers: Dictionary(uniqueKeysWithValues: peers.map { ($0.key.name, $0.value) }),
            addresses: addresses, nodeIDs: nodeIDs)
    }

    /// A node-ID map that names every pod's node of `generation`.
    func nodeIDs(generation: Int = 0) -> NodeIDMap {
        NodeIDMap(text: topology.pods.map { "\(id($0, generation: generation)) \($0.name)\n" }.joined())
    }

    func target(_ pod: PodIdentity, local: Bool = false) -> Action.Target {
        Action.Target(pod: pod, endpoint: local ? Endpoint(IPAddress("127.0.0.1")!, 6379) : endpoint(pod))
    }

    /// The lines of a fully formed, healthy 3x1 cluster as any of its nodes reports them (without
    /// hostnames: as Redis 6.2 does).
    func formedLines(myself: PodIdentity, hostnames: Bool = true) -> [String] {
        var lines: [String] = []
        for shard in 0..<topology.shards {
            let master = pod(shard, 0)
            let replica = pod(shard, 1)
            lines.append(
                line(
                    master, myself: master == myself, epoch: shard + 1, slots: [topology.slots(ofShard: shard)],
                    hostname: hostnames ? "" : nil))
            lines.append(
                line(replica, myself: replica == myself, role: "replica", master: master, epoch: shard + 1, hostname: hostnames ? "" : nil))
        }
        return lines.sorted { $0.contains("myself") && !$1.contains("myself") }
    }
}

extension Planner {
    /// The repairs, matching nodes to pods as `plan` does.
    func repairs(_ observation: Observation) -> [Action] {
        repairs(observation, matcher: observation.matcher(topology))
    }

    /// The vanished-master rule, matching nodes to pods as `plan` does.
    func replaceVanishedMaster(_ observation: Observation) -> Decision? {
        replaceVanishedMaster(observation, matcher: observation.matcher(topology))
    }
}
