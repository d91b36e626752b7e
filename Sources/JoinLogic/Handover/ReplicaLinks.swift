/// What a master's `INFO replication` says of its replicas' progress: one line a replica
/// (`slave0:ip=198.18.1.5,port=6379,state=online,offset=1234,lag=0`) and its own `master_repl_offset`.
public struct ReplicaLinks: Equatable, Sendable {
    /// One replica as its master sees it.
    public struct Link: Equatable, Sendable {
        public let ip: String
        public let port: Int
        /// `state=online`: its first sync is done and it streams the master's writes.
        public let online: Bool
        /// The replication offset it acknowledged.
        public let offset: Int
        /// Seconds since its last acknowledgement.
        public let lag: Int

        public init(ip: String, port: Int, online: Bool, offset: Int, lag: Int) {
            self.ip = ip
            self.port = port
            self.online = online
            self.offset = offset
            self.lag = lag
        }
    }

    /// `master_repl_offset`: how far the master's own stream has gone.
    public let offset: Int
    public let links: [Link]

    public init(offset: Int, links: [Link]) {
        self.offset = offset
        self.links = links
    }

    /// Parses the reply; lines it does not understand are skipped (a replica's reply has no links).
    public init(parsing text: String) {
        let fields = InfoFields(parsing: text)
        var links: [Link] = []
        for (key, value) in fields.values.sorted(by: { $0.key < $1.key }) where key.hasPrefix("slave") && Int(key.dropFirst(5)) != nil {
            var parts: [String: String] = [:]
            for pair in value.split(separator: ",") {
                let kv = pair.split(separator: "=", maxSplits: 1)
                if kv.count == 2 { parts[String(kv[0])] = String(kv[1]) }
            }
            guard let ip = parts["ip"], let port = parts["port"].flatMap({ Int($0) }) else { continue }
            links.append(
                Link(
                    ip: ip, port: port, online: parts["state"] == "online", offset: parts["offset"].flatMap { Int($0) } ?? 0,
                    lag: parts["lag"].flatMap { Int($0) } ?? Int.max))
        }
        self.init(offset: fields.integer("master_repl_offset") ?? 0, links: links)
    }

    /// The link of the replica at `ip:port`, if the master lists it.
    public func link(ip: String, port: Int) -> Link? { links.first { $0.ip == ip && $0.port == port } }
}
