import Declaration
import JoinLogic
import Platform
import RESPClient

/// The agent's set-up step, before each pass observes until it is done: find the node-ID map beside
/// nodes.conf, set `run`'s maxmemory from the container's limit (`MaxMemorySetup`), and announce the
/// pod's hostname. Redis 7+ carries `cluster-announce-hostname` in gossip,
/// a node ID -> pod mapping that survives IP changes; older servers do not know it, and nodes are then
/// matched to pods by the node-ID map and address. While a node it knows runs a server that drops pings
/// carrying a hostname, it waits (`HostnameAnnouncement`).
final class LocalSetup {
    private let me: PodIdentity
    private let local: Action.Target
    private let pool: ConnectionPool
    private let nodeIDs: NodeIDMapFile
    private let log: Log
    private let maxMemory: MaxMemorySetup
    private var hostnameAnnounced: Bool
    private var nextCheck: Deadline? = nil
    private var lastHold: String? = nil
    /// How often a held announcement is looked at again.
    static let recheckSeconds = 10.0

    /// `maxMemoryPercent` 0 leaves maxmemory alone (every agent but `run`'s, whose server shares its container).
    init(
        me: PodIdentity, localEndpoint: Endpoint, pool: ConnectionPool, nodeIDs: NodeIDMapFile, maxMemoryPercent: Int, log: Log
    ) {
        self.me = me
        local = Action.Target(pod: me, endpoint: localEndpoint)
        self.pool = pool
        self.nodeIDs = nodeIDs
        self.log = log
        maxMemory = MaxMemorySetup(
            local: local, percent: maxMemoryPercent, containerLimit: maxMemoryPercent > 0 ? ContainerMemory.limit() : nil, pool: pool,
            log: log)
        // A pod addressed by IP (the static layout's hosts) has no hostname to announce.
        hostnameAnnounced = IPAddress(me.host) != nil
    }

    /// What is still to do; a server that does not answer yet is asked on the next pass.
    func run(_ executor: Executor) {
        try? pool.with(local.endpoint) { nodeIDs.locate(using: $0) }
        maxMemory.run(executor)
        guard !hostnameAnnounced, nextCheck?.hasPassed ?? true else { return }
        guard let decision = try? versionsDecide() else { return }
        switch decision {
        case .announce:
            announce(executor)
        case .hold(let reason):
            if reason != lastHold { log.info(reason) }
            lastHold = reason
            nextCheck = .after(seconds: Self.recheckSeconds)
        }
    }

    /// The local server's version and the versions of the nameless nodes it knows, decided.
    private func versionsDecide() throws -> HostnameAnnouncement.Decision {
        let (version, nodes) = try pool.with(local.endpoint) { connection in
            (ServerVersion(info: try connection.text("INFO", "server")), try ClusterNode.parseAll(try connection.text("CLUSTER", "NODES")))
        }
        guard let version, version.readsPingExtensions else { return .announce }
        var answers: [(node: String, version: ServerVersion)] = []
        for node in HostnameAnnouncement.nodesToAsk(nodes) {
            guard let endpoint = node.endpoint else { continue }
            let answer = try? pool.with(endpoint) { ServerVersion(info: try $0.text("INFO", "server")) }
            if let answer { answers.append(("\(node.ip):\(node.port)", answer)) }
        }
        return HostnameAnnouncement.decide(local: version, answers: answers)
    }

    private func announce(_ executor: Executor) {
        do {
            try executor.perform(.setConfig(on: local, name: "cluster-announce-hostname", value: me.host))
            hostnameAnnounced = true
            if lastHold != nil { log.info("every node this one knows reads hostnames now: announcing \(me.host)") }
        } catch {
            // Not answering yet, or still loading its data (it takes only CONFIG GET then): the next pass.
            guard let message = (error as? RedisClientError)?.serverMessage, !message.contains("loading"), !message.hasPrefix("LOADING")
            else { return }
            hostnameAnnounced = true
            log.info(
                "the server does not take cluster-announce-hostname (\(error)); nodes are matched to pods by the node-ID map and address")
        }
    }
}
