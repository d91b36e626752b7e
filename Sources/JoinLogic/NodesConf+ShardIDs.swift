/// Shard IDs as the server checks them when it loads nodes.conf: a replica's `shard-id` must be its
/// master's. A node killed before the IDs settled can leave them apart, and Valkey 8.0 then refuses to
/// start ("corrupted cluster config file"); newer servers reconcile them to the master's on load, and so
/// does this before the server starts (docs/DESIGN.md, "Redis facts").
extension NodesConf {
    /// One replica's shard ID set to its master's.
    public struct ShardIDChange: Equatable, Sendable {
        public let nodeID: String
        public let masterID: String
        public let from: String
        public let to: String
    }

    /// The file with every replica's `shard-id` set to its master's (or, when the master has no line,
    /// to the first of its replicas' in file order), and what changed. Lines without a `shard-id` (Redis
    /// before 7.2) and lines that do not parse stay as they are.
    public func reconcilingShardIDs() -> (file: NodesConf, changes: [ShardIDChange]) {
        var shardOf: [String: String] = [:]  // node ID -> the shard ID its line carries
        var masterOf: [String: String] = [:]  // replica ID -> master ID
        var firstReplicaShard: [String: String] = [:]  // master ID -> its first replica's shard ID
        let parsed = lines.map(Self.shardFields)
        for case let node? in parsed {
            shardOf[node.id] = node.shardID
            if let master = node.masterID {
                masterOf[node.id] = master
                if firstReplicaShard[master] == nil { firstReplicaShard[master] = node.shardID }
            }
        }
        // A replica of a replica (a failover in flight) belongs to the shard at the top of its chain.
        func shard(ofMaster master: String) -> String? {
            var top = master
            var seen: Set<String> = [top]
            while let next = masterOf[top], seen.insert(next).inserted { top = next }
            return shardOf[top] ?? firstReplicaShard[top]
        }
        var changes: [ShardIDChange] = []
        let newLines = zip(lines, parsed).map { line, node -> String in
            guard let node, let master = node.masterID, let wanted = shard(ofMaster: master), wanted != node.shardID else { return line }
            changes.append(ShardIDChange(nodeID: node.id, masterID: master, from: node.shardID, to: wanted))
            let fields = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            let address = fields[1].split(separator: ",", omittingEmptySubsequences: false).map { aux in
                aux.hasPrefix("shard-id=") ? "shard-id=" + wanted : String(aux)
            }
            return ([fields[0], address.joined(separator: ",")] + fields.dropFirst(2)).joined(separator: " ")
        }
        return (NodesConf(lines: newLines), changes)
    }

    /// A node line's ID, its `shard-id` and, for a replica, its master's ID; nil for lines without a
    /// shard ID.
    private static func shardFields(of line: String) -> (id: String, shardID: String, masterID: String?)? {
        guard let field = addressField(of: line) else { return nil }
        let fields = line.split(separator: " ", omittingEmptySubsequences: false)
        guard
            let shardID = field.split(separator: ",", omittingEmptySubsequences: false).dropFirst()
                .first(where: { $0.hasPrefix("shard-id=") })?.dropFirst("shard-id=".count), !shardID.isEmpty
        else { return nil }
        let master = fields[3] == "-" || fields[3].isEmpty ? nil : String(fields[3])
        return (String(fields[0]), String(shardID), master)
    }
}
