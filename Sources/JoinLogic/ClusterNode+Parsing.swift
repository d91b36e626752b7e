import Declaration

/// Why a reply could not be read as what the agent asked for. Names the line so a human can see it.
public struct ObservationParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was being parsed.
    public let what: String
    /// The offending text, shortened.
    public let text: String

    public init(what: String, text: String) {
        self.what = what
        self.text = String(text.prefix(120))
    }

    public var description: String { "cannot parse \(what): '\(text)'" }
}

extension ClusterNode {
    /// Parses the whole `CLUSTER NODES` reply. Blank lines are skipped; any malformed line fails the
    /// whole reply, because a partial picture of the cluster could lead to a wrong action. IDs and
    /// hostnames come from `pool` when one is given (`StringPool`).
    public static func parseAll(_ text: String, pool: StringPool = StringPool()) throws(ObservationParseError) -> [ClusterNode] {
        var nodes: [ClusterNode] = []
        // Split on bytes, not Characters: at 50x1 an agent parses a few hundred lines a pass, and
        // grapheme-aware splitting was most of the agents' own CPU time (perf).
        for line in text.utf8.split(whereSeparator: { $0 == newline || $0 == carriageReturn })
        where !line.allSatisfy({ $0 == space }) {
            nodes.append(try parse(line: Substring(line), pool: pool))
        }
        guard nodes.filter(\.flags.myself).count == 1 else {
            throw ObservationParseError(what: "CLUSTER NODES (expected exactly one 'myself' line)", text: text)
        }
        return nodes
    }

    /// Parses one line: `<id> <ip:port@cport[,hostname[,aux=...]]> <flags> <master> <ping-sent>
    /// <pong-recv> <config-epoch> <link-state> <slot>...`.
    public static func parse(line: String, pool: StringPool = StringPool()) throws(ObservationParseError) -> ClusterNode {
        try parse(line: line[...], pool: pool)
    }

    static func parse(line: Substring, pool: StringPool) throws(ObservationParseError) -> ClusterNode {
        // Built only when a line is refused: most replies have none, and building it cost every line.
        var fail: ObservationParseError { ObservationParseError(what: "CLUSTER NODES line", text: String(line)) }
        let fields = line.utf8.split(separator: space).map(Substring.init)
        guard fields.count >= 8 else { throw fail }
        guard isNodeID(fields[0]) else { throw fail }
        let id = pool.share(fields[0])

        let addressParts = fields[1].utf8.split(separator: comma, omittingEmptySubsequences: false).map(Substring.init)
        let hostPort = addressParts[0]
        guard let at = hostPort.utf8.lastIndex(of: UInt8(ascii: "@")), let colon = hostPort[..<at].utf8.lastIndex(of: UInt8(ascii: ":")),
            let port = Int(hostPort[hostPort.utf8.index(after: colon)..<at]),
            let busPort = Int(hostPort[hostPort.utf8.index(after: at)...].prefix { $0 != "," })
        else { throw fail }
        let ip = String(hostPort[..<colon])
        var hostname: String? = nil
        for aux in addressParts.dropFirst() {
            if aux.hasPrefix("hostname=") {
                hostname = pool.share(aux.dropFirst("hostname=".count))
            } else if !aux.contains("="), hostname == nil {
                hostname = pool.share(aux)
            }
        }
        if hostname?.isEmpty == true { hostname = nil }

        var flags = Flags()
        for flag in fields[2].utf8.split(separator: comma).map(Substring.init) {
            switch flag {
            case "myself": flags.myself = true
            case "master": flags.master = true
            case "slave": flags.replica = true
            case "fail?": flags.suspectedFailing = true
            case "fail": flags.failing = true
            case "handshake": flags.handshake = true
            case "noaddr": flags.noAddress = true
            default: break  // nofailover, noflags: not used by the planner
            }
        }
        let masterID = fields[3] == "-" ? nil : pool.share(fields[3])
        guard let configEpoch = Int(fields[6]) else { throw fail }
        let linkConnected = fields[7] == "connected"
        guard linkConnected || fields[7] == "disconnected" else { throw fail }

        var slots: [SlotRange] = []
        var migrating: [Int: String] = [:], importing: [Int: String] = [:]
        for field in fields.dropFirst(8) {
            if field.hasPrefix("[") {
                guard let (slot, arrow, peer) = openSlot(field) else { throw fail }
                if arrow == "->-" { migrating[slot] = pool.share(peer) } else { importing[slot] = pool.share(peer) }
                continue
            }
            let bounds = field.utf8.split(separator: dash, omittingEmptySubsequences: false).map(Substring.init)
            guard bounds.count <= 2, let lower = Int(bounds[0]), let upper = Int(bounds.last!),
                lower >= 0, lower <= upper, upper < SlotRange.slotCount
            else { throw fail }
            slots.append(SlotRange(lower, upper))
        }
        return ClusterNode(
            id: id, ip: ip, port: port, busPort: busPort, hostname: hostname, flags: flags, masterID: masterID,
            configEpoch: configEpoch, linkConnected: linkConnected, slots: slots, migrating: migrating, importing: importing)
    }

    /// `[slot->-id]` (migrating to id) or `[slot-<-id]` (importing from id): the slot, the arrow, the ID.
    static func openSlot(_ field: Substring) -> (Int, Substring, Substring)? {
        guard field.hasSuffix("]") else { return nil }
        let inner = field.dropFirst().dropLast()
        guard let dash = inner.firstIndex(of: "-"), let slot = Int(inner[..<dash]), slot >= 0, slot < SlotRange.slotCount
        else { return nil }
        let rest = inner[dash...]
        guard rest.hasPrefix("->-") || rest.hasPrefix("-<-") else { return nil }
        let peer = rest.dropFirst(3)
        guard isNodeID(peer) else { return nil }
        return (slot, rest.prefix(3), peer)
    }
}

extension ClusterNode {
    /// Whether `text` has the shape of a node ID: 40 hex digits.
    public static func isNodeID(_ text: Substring) -> Bool {
        text.utf8.count == 40 && text.utf8.allSatisfy(isHex)
    }
}

private let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r"), space = UInt8(ascii: " ")
private let comma = UInt8(ascii: ","), dash = UInt8(ascii: "-")

private func isHex(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66)
}
