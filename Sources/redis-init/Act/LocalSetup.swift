import Declaration
import JoinLogic
import Platform
import RESPClient

/// The agent's set-up step, before each pass observes until it is done: find the node-ID map beside
/// nodes.conf, and announce the pod's hostname. Redis 7+ carries `cluster-announce-hostname` in gossip,
/// a node ID -> pod mapping that survives IP changes; older servers do not know it, and nodes are then
/// matched to pods by the node-ID map and address.
final class LocalSetup {
    private let me: PodIdentity
    private let local: Action.Target
    private let pool: ConnectionPool
    private let nodeIDs: NodeIDMapFile
    private let log: Log
    private var hostnameAnnounced: Bool

    init(me: PodIdentity, localEndpoint: Endpoint, pool: ConnectionPool, nodeIDs: NodeIDMapFile, log: Log) {
        self.me = me
        local = Action.Target(pod: me, endpoint: localEndpoint)
        self.pool = pool
        self.nodeIDs = nodeIDs
        self.log = log
        // A pod addressed by IP (the static layout's hosts) has no hostname to announce.
        hostnameAnnounced = IPAddress(me.host) != nil
    }

    /// What is still to do; a server that does not answer yet is asked on the next pass.
    func run(_ executor: Executor) {
        try? pool.with(local.endpoint) { nodeIDs.locate(using: $0) }
        guard !hostnameAnnounced else { return }
        do {
            try executor.perform(.setConfig(on: local, name: "cluster-announce-hostname", value: me.host))
            hostnameAnnounced = true
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
