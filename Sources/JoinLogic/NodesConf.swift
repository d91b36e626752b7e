import Declaration

/// nodes.conf as Redis writes it: one line a node (`<id> <ip:port@cport[,hostname,...]> <flags> ...`)
/// and a `vars` line. Before the server starts, lines whose pod is known (by the hostname the node
/// announces, or by the agent's node-ID map) can have their address replaced by what the pod's name
/// resolves to now, so Redis reconnects to pods that moved (the fix the Bitnami chart ships for
/// "every pod restarted with a new IP").
public struct NodesConf: Equatable, Sendable {
    /// One address replaced.
    public struct Change: Equatable, Sendable {
        public let nodeID: String
        /// The name that was resolved.
        public let hostname: String
        public let from: String
        public let to: String
    }

    /// The lines, unchanged until rewritten.
    public let lines: [String]

    /// Splits the file's text into lines (its final newline is restored on output).
    public init(text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
    }

    /// The file's text.
    public var text: String { lines.map { $0 + "\n" }.joined() }

    /// The hostnames its node lines announce, in file order.
    public var hostnames: [String] {
        lines.compactMap { line in Self.addressField(of: line).flatMap { Self.split($0).hostname } }
    }

    /// The file with each node's address replaced by `resolve(name)` where that gives one and it
    /// differs, and the list of what changed. `name(nodeID, hostname)` says which name a node's address
    /// comes from, or nil to keep it. Lines that do not parse stay as they are.
    public func rewritten(
        name: (_ nodeID: String, _ hostname: String?) -> String?, resolve: (String) -> String?
    ) -> (file: NodesConf, changes: [Change]) {
        var changes: [Change] = []
        let newLines = lines.map { line -> String in
            guard let field = Self.addressField(of: line) else { return line }
            let parts = Self.split(field)
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            guard let hostname = name(String(fields[0]), parts.hostname), let address = resolve(hostname), address != parts.ip
            else { return line }
            let newField = address + field.dropFirst(parts.ip.count)
            changes.append(Change(nodeID: String(fields[0]), hostname: hostname, from: parts.ip, to: address))
            return ([String(fields[0]), newField] + fields.dropFirst(2).map(String.init)).joined(separator: " ")
        }
        return (NodesConf(lines: newLines), changes)
    }

    init(lines: [String]) { self.lines = lines }

    /// The second field of a node line; nil for `vars` and for lines too short to be node lines.
    static func addressField(of line: String) -> String? {
        let fields = line.split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count >= 8, fields[0] != "vars", fields[1].contains("@") else { return nil }
        return String(fields[1])
    }

    /// `ip:port@cport,hostname,aux=...` into its IP (possibly empty) and hostname.
    static func split(_ field: String) -> (ip: String, hostname: String?) {
        let parts = field.split(separator: ",", omittingEmptySubsequences: false)
        let hostPort = parts[0]
        let ip = hostPort.lastIndex(of: ":").map { String(hostPort[..<$0]) } ?? ""
        var hostname: String? = nil
        for aux in parts.dropFirst() {
            if aux.hasPrefix("hostname=") {
                hostname = String(aux.dropFirst("hostname=".count))
            } else if !aux.contains("="), hostname == nil {
                hostname = String(aux)
            }
        }
        return (ip, hostname?.isEmpty == true ? nil : hostname)
    }
}
