import Declaration

/// Which declaration each live agent holds, as the client names of the agents' connections show it.
/// Every agent names the connections it opens `redis-init.<pod>.<shards>x<replicas>`; every agent reads
/// the creator's node each pass, so the creator's `CLIENT LIST` shows every live agent's declaration.
/// Slots move only when they all agree (docs/DESIGN.md, "Changing the declaration").
public struct AgentRoster: Equatable, Sendable {
    /// The declaration tag of each pod whose agent has a connection, by pod name.
    public let declarations: [String: String]

    /// A roster from pod names to tags (for tests; agents parse one).
    public init(declarations: [String: String]) {
        self.declarations = declarations
    }

    /// The client name an agent for `pod` gives its connections.
    public static func clientName(pod: String, topology: Topology) -> String {
        "\(prefix)\(pod).\(tag(of: topology))"
    }

    /// A declaration in short: `4x1` for 4 shards of 1 + 1 pods.
    public static func tag(of topology: Topology) -> String { "\(topology.shards)x\(topology.replicas)" }

    static let prefix = "redis-init."

    /// Reads `CLIENT LIST`. A pod with several connections counts by its most recently used one: a
    /// killed agent's connection lingers on the server until TCP keepalive ends it, and says what the
    /// agent believed before its restart.
    public init(parsingClientList text: String) {
        var best: [String: (idle: Int, tag: String)] = [:]
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            var name: Substring? = nil
            var idle = Int.max
            for field in line.split(separator: " ") {
                if field.hasPrefix("name=") { name = field.dropFirst(5) }
                if field.hasPrefix("idle="), let seconds = Int(field.dropFirst(5)) { idle = seconds }
            }
            guard let name, name.hasPrefix(Self.prefix), let dot = name.lastIndex(of: ".") else { continue }
            let pod = String(name[name.index(name.startIndex, offsetBy: Self.prefix.count)..<dot])
            let tag = String(name[name.index(after: dot)...])
            guard !pod.isEmpty, !tag.isEmpty else { continue }
            if let current = best[pod], current.idle <= idle { continue }
            best[pod] = (idle, tag)
        }
        declarations = best.mapValues(\.tag)
    }

    /// The pods whose agents hold another declaration than `tag`, sorted, each with theirs.
    public func disagreeing(with tag: String) -> [(pod: String, tag: String)] {
        declarations.filter { $0.value != tag }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
