import NodeFinder

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
        for line in text.split(whereSeparator: \.isNewline) where !line.allSatisfy({ $0 == " " }) {
            nodes.append(try parse(line: String(line), pool: pool))
        }
        guard nodes.filter(\.flags.myself).count == 1 else {
            throw ObservationParseError(what: "CLUSTER NODES (expected exactly one 'myself' line)", text: text)
        }
        return nodes
    }

    /// Parses one line: `<id> <ip:port@cport[,hostname[,aux=...]]> <flags> <master> <ping-sent>
    /// <pong-recv> <config-epoch> <link-state> <slot>...`.
    public static func parse(line: String, pool: StringPool = StringPool()) throws(ObservationParseError) -> ClusterNode {
        let fail = ObservationParseError(what: "CLUSTER NODES line", text: line)
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 8 else { throw fail }
        guard isNodeID(fields[0]) else { throw fail }
        let id = pool.share(fields[0])

        let addressParts = fields[1].split(separator: ",", omittingEmptySubsequences: false)
        let hostPort = addressParts[0]
        guard let at = hostPort.lastIndex(of: "@"), let colon = hostPort[..<at].lastIndex(of: ":"),
            let port = Int(hostPort[hostPort.index(after: colon)..<at]),
            let busPort = Int(hostPort[hostPort.index(after: at)...].prefix { $0 != "," })
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
        for flag in fields[2].split(separator: ",") {
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
        for field in fields.dropFirst(8) {
            if field.hasPrefix("[") { continue }  // [slot->-id] migrating, [slot-<-id] importing
            let bounds = field.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count <= 2, let lower = Int(bounds[0]), let upper = Int(bounds.last!),
                lower >= 0, lower <= upper, upper < SlotRange.slotCount
            else { throw fail }
            slots.append(SlotRange(lower, upper))
        }
        return ClusterNode(
            id: id, ip: ip, port: port, busPort: busPort, hostname: hostname, flags: flags, masterID: masterID,
            configEpoch: configEpoch, linkConnected: linkConnected, slots: slots)
    }
}

extension ClusterNode {
    /// Whether `text` has the shape of a node ID: 40 hex digits.
    public static func isNodeID(_ text: Substring) -> Bool {
        text.utf8.count == 40 && text.utf8.allSatisfy(isHex)
    }
}

private func isHex(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66)
}
