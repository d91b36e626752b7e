/// The declared cluster: M shards of 1 + R pods, their names, and how each is reached.
/// Everything the agent decides is relative to this declaration.
public struct Topology: Sendable {
    /// How pods are named.
    public let layout: Layout
    /// The StatefulSet base name (`shards`, `ordinal`).
    public let name: String
    /// The headless Service (`shards`, `ordinal`).
    public let service: String
    /// The namespace (`shards`, `ordinal`).
    public let namespace: String
    /// The cluster domain, `cluster.local` by default.
    public let clusterDomain: String
    /// M, the number of shards (masters).
    public let shards: Int
    /// R, replicas per shard.
    public let replicas: Int
    /// The Redis port for pods that do not name their own.
    public let port: UInt16
    /// Every declared pod, in shard-major order (shard 0 ordinals 0...R, then shard 1, ...).
    public let pods: [PodIdentity]
    /// Each shard's slot range at creation, in shard order.
    public let slotRanges: [SlotRange]
    /// Pods by name and by canonical host, for the look-ups every check makes for every node it sees
    /// (a scan that lowercased each pod's host per look-up cost an agent of a 50x1 cluster most of its CPU).
    private let podsByName: [String: PodIdentity]
    private let podsByHost: [String: PodIdentity]

    /// Validates a declaration. `peers` is used by the static layout only.
    public init(
        layout: Layout, name: String, service: String?, namespace: String, clusterDomain: String,
        shards: Int, replicas: Int, port: UInt16, peers: [String]
    ) throws(TopologyError) {
        guard shards >= 3 else { throw .tooFewShards(shards) }
        guard replicas >= 0 else { throw .negativeReplicas(replicas) }
        self.layout = layout
        self.name = name
        self.service = service ?? name
        self.namespace = namespace
        self.clusterDomain = clusterDomain
        self.shards = shards
        self.replicas = replicas
        self.port = port
        let total = shards * (1 + replicas)
        var pods: [PodIdentity] = []
        switch layout {
        case .shards, .ordinal:
            guard !name.isEmpty else { throw .missing(flag: "--name", layout: layout) }
            for (flag, value) in [("--name", name), ("--service", self.service), ("--namespace", namespace)] {
                guard Topology.isLabel(value) else { throw .invalidLabel(flag: flag, value: value) }
            }
            let suffix = "\(self.service).\(namespace).svc.\(clusterDomain)"
            for shard in 0..<shards {
                for ordinal in 0...replicas {
                    let podName = layout == .shards ? "\(name)-shard\(shard)-\(ordinal)" : "\(name)-\(ordinal * shards + shard)"
                    pods.append(
                        PodIdentity(
                            name: podName, shard: shard, ordinal: ordinal, host: "\(podName).\(suffix)", port: port, isFullyQualified: true)
                    )
                }
            }
        case .static:
            guard !peers.isEmpty else { throw .missing(flag: "--peers", layout: layout) }
            guard peers.count == total else { throw .peerCountMismatch(expected: total, got: peers.count) }
            guard Set(peers).count == peers.count else {
                throw .duplicatePeer(peers.first { peer in peers.filter { $0 == peer }.count > 1 }!)
            }
            for (index, peer) in peers.enumerated() {
                guard let (host, peerPort) = Topology.splitHostPort(peer, defaultPort: port) else { throw .invalidPeer(peer) }
                pods.append(PodIdentity(name: peer, shard: index % shards, ordinal: index / shards, host: host, port: peerPort))
            }
            pods.sort { ($0.shard, $0.ordinal) < ($1.shard, $1.ordinal) }
        }
        self.pods = pods
        slotRanges = SlotRange.all(shards: shards)
        podsByName = Dictionary(pods.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        podsByHost = Dictionary(pods.map { (Topology.canonical($0.host), $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The pod with this name. For the static layout a bare host also matches when only one peer
    /// uses it. Names are compared whole: `rc-shard1-0` never matches `rc-shard10-0`.
    public func pod(named podName: String) -> PodIdentity? {
        if let exact = podsByName[podName] { return exact }
        guard layout == .static else { return nil }
        let sameHost = pods.filter { $0.host == podName }
        return sameHost.count == 1 ? sameHost[0] : nil
    }

    /// Parses a pod name of this layout into (shard, ordinal), exactly: the whole name must match,
    /// numbers have no leading zeros, and both must be inside the declaration.
    public func parse(podName: String) -> (shard: Int, ordinal: Int)? {
        switch (layout, numbers(inPodName: podName)) {
        case (.shards, let numbers?):
            let (shard, ordinal) = (numbers[0], numbers[1])
            return shard < shards && ordinal <= replicas ? (shard, ordinal) : nil
        case (.ordinal, let numbers?):
            return numbers[0] < shards * (1 + replicas) ? (numbers[0] % shards, numbers[0] / shards) : nil
        case (.static, _):
            return pod(named: podName).map { ($0.shard, $0.ordinal) }
        default:
            return nil
        }
    }

    /// The numbers a name of this layout's StatefulSets carries, declared or not: `[shard, ordinal]` for
    /// `<name>-shard<s>-<k>`, `[index]` for `<name>-<i>`; nil for any other name and for the static layout.
    func numbers(inPodName podName: String) -> [Int]? {
        switch layout {
        case .shards:
            let prefix = "\(name)-shard"
            guard podName.hasPrefix(prefix) else { return nil }
            let parts = podName.dropFirst(prefix.count).split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, let shard = Topology.decimal(parts[0]), let ordinal = Topology.decimal(parts[1]) else { return nil }
            return [shard, ordinal]
        case .ordinal:
            let prefix = "\(name)-"
            guard podName.hasPrefix(prefix), let index = Topology.decimal(podName.dropFirst(prefix.count)) else { return nil }
            return [index]
        case .static:
            return nil
        }
    }

    /// The pods of one shard, ordinal 0 first.
    public func pods(inShard shard: Int) -> [PodIdentity] {
        pods.filter { $0.shard == shard }
    }

    /// Ordinal 0 of `shard`.
    public func designatedMaster(of shard: Int) -> PodIdentity {
        pods.first { $0.shard == shard && $0.ordinal == 0 }!
    }

    /// Every designated master, in shard order.
    public var designatedMasters: [PodIdentity] { pods.filter(\.isDesignatedMaster) }

    /// The one pod allowed to create the cluster: shard 0's designated master. Creation needs every
    /// designated master anyway, so a fixed creator costs no liveness and rules out two creators.
    public var creator: PodIdentity { designatedMaster(of: 0) }

    /// The slot range shard `shard` is given at creation.
    public func slots(ofShard shard: Int) -> SlotRange { slotRanges[shard] }

    /// The pod whose DNS name is `hostname` (an announced hostname), compared without case or a
    /// trailing dot.
    public func pod(withHost hostname: String) -> PodIdentity? {
        podsByHost[Topology.canonical(hostname)]
    }

    static func canonical(_ host: String) -> String {
        (host.hasSuffix(".") ? String(host.dropLast()) : host).lowercased()
    }

    static func decimal(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 6, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        guard text == "0" || !text.hasPrefix("0") else { return nil }
        return Int(text)
    }

    static func isLabel(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 63, bytes.first != 0x2D, bytes.last != 0x2D else { return false }
        return bytes.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }

    /// Splits `host[:port]` or `[v6]:port`; nil for an empty host or a bad port.
    static func splitHostPort(_ text: String, defaultPort: UInt16) -> (String, UInt16)? {
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if rest.isEmpty { return host.isEmpty ? nil : (host, defaultPort) }
            guard rest.hasPrefix(":"), let port = UInt16(rest.dropFirst()), port > 0, !host.isEmpty else { return nil }
            return (host, port)
        }
        let colons = text.filter { $0 == ":" }.count
        if colons == 1 {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard !parts[0].isEmpty, let port = UInt16(parts[1]), port > 0 else { return nil }
            return (String(parts[0]), port)
        }
        guard !text.isEmpty, !text.contains(" "), !text.contains(",") else { return nil }
        return (text, defaultPort)  // a bare host, or a bare IPv6 address
    }
}
