import Declaration
import JoinLogic
import NodeFinder
import Platform
import RESPClient

/// Hands the local master's slots to a caught-up replica of its shard before the server stops: `run` on
/// SIGTERM, and the `handover` command (a preStop hook). It reads the local node, lets `Handover` decide
/// and `HandoverStateMachine` time it, and sends the one failover they ask for.
enum HandoverRunner {
    static func run(settings: Settings, me: PodIdentity) -> HandoverStateMachine.Ending {
        let log = settings.log
        let pool = ConnectionPool(access: settings.access, local: (settings.localEndpoint, me.host))
        let executor = Executor(pool: pool, log: log, mover: LegacySlotMover(settings: settings))
        let nodeIDs = NodeIDMapFile(nodesConf: settings.nodesConf, log: log)
        let addresses = shardAddresses(settings, me)
        var machine = HandoverStateMachine(started: .now(), timeout: settings.handoverTimeout)
        while true {
            let decision: Handover.Decision
            do {
                decision = try pool.with(settings.localEndpoint) { connection in
                    nodeIDs.locate(using: connection)
                    let local = try NodeReader.read(connection, withReplication: false)
                    let links = ReplicaLinks(parsing: try connection.text("INFO", "replication"))
                    let matcher = PodMatcher(topology: settings.topology, addresses: addresses, nodeIDs: nodeIDs.map)
                    return Handover.decide(local: local, links: links, me: me, matcher: matcher)
                }
            } catch {
                decision = .noHeir("the local server does not answer: \(error)")
            }
            switch machine.step(decision, now: .now()) {
            case .send(let action): executor.execute([action])
            case .pause(let seconds): sleep(seconds: seconds)
            case .end(let ending): return ending
            }
        }
    }

    /// The addresses of this shard's pods, resolved as the agent resolves every pod, for servers that
    /// announce no hostname (6.2); none if DNS fails.
    private static func shardAddresses(_ settings: Settings, _ me: PodIdentity) -> [String: IPAddress] {
        let book = AddressBook(resolver: Resolver.system(nameserver: settings.nameserver, maxTimeout: settings.timeout), log: settings.log)
        var addresses: [String: IPAddress] = [:]
        for pod in settings.topology.pods(inShard: me.shard) {
            if case .success(let address) = book.address(of: pod) { addresses[pod.name] = address }
        }
        return addresses
    }
}

extension Log {
    /// Logs how a handover ended: a clean one as progress, the others as warnings.
    func report(_ ending: HandoverStateMachine.Ending) {
        switch ending {
        case .handedOver(let text): info(text)
        case .nothingToHandOver(let text): info("nothing to hand over: \(text)")
        case .noHeir(let text): warning("stopping without a handover: \(text)")
        case .gaveUp(let text): warning(text)
        }
    }
}
