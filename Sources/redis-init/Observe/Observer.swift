import Declaration
import JoinLogic
import NodeFinder
import Platform
import RESPClient

/// Reads what one pass can see: the local node, the names the planner asks for, the peers in its scope.
/// It sends nothing that changes a server; what it learns (restored entries, node IDs) it keeps in memory.
final class Observer {
    /// What a pass could see: everything, or not even the local server (it may still be starting).
    enum Sight {
        case observed(Observation)
        case localNotAnswering(String)
    }

    private let settings: Settings
    private let me: PodIdentity
    private let planner: Planner
    private let pool: ConnectionPool
    private let addresses: AddressBook
    private let quarantine: PeerQuarantine
    private let nodeIDs: NodeIDMapFile
    private var restored = RestoredEntries()

    init(settings: Settings, me: PodIdentity, planner: Planner, pool: ConnectionPool, nodeIDs: NodeIDMapFile) {
        self.settings = settings
        self.me = me
        self.planner = planner
        self.pool = pool
        self.nodeIDs = nodeIDs
        addresses = AddressBook(resolver: Resolver.system(nameserver: settings.nameserver, maxTimeout: settings.timeout), log: settings.log)
        quarantine = PeerQuarantine(log: settings.log)
    }

    /// Reads the local node and the peers in scope. Throws only what no later pass can cure.
    func observe() throws(Failure) -> Sight {
        let strings = StringPool()
        let local: NodeView
        do {
            local = try pool.with(settings.localEndpoint) { try NodeReader.read($0, withReplication: true, pool: strings) }
            restored.record(local)
        } catch let error as NodeReader.ReadError {
            switch error {
            case .clusterDisabled: throw .configuration(error.description)
            case .client(.authenticationFailed): throw .authentication(error.description)
            default: return .localNotAnswering("waiting for the local redis-server: \(error)")
            }
        } catch {
            if case RedisClientError.authenticationFailed = error { throw .authentication("\(error)") }
            return .localNotAnswering("waiting for the local redis-server at \(settings.localEndpoint): \(error)")
        }

        var resolved: [String: IPAddress] = [:]
        var unresolved: [String: ResolveError] = [:]
        func lookUp(_ pod: PodIdentity) {
            guard resolved[pod.name] == nil, unresolved[pod.name] == nil else { return }
            switch addresses.address(of: pod) {
            case .success(let address): resolved[pod.name] = address
            case .failure(let error): unresolved[pod.name] = error
            }
        }
        lookUp(me)
        planner.namesToResolve(for: me, local: local, myAddress: resolved[me.name], nodeIDs: nodeIDs.map, restored: restored.unconfirmed)
            .forEach(lookUp)
        var peers: [String: PeerState] = [:]
        for pod in planner.podsToObserve(for: me, local: local, addresses: resolved, nodeIDs: nodeIDs.map) {
            lookUp(pod)
            guard let address = resolved[pod.name] else {
                peers[pod.name] = .unresolved(unresolved[pod.name]!.description)
                continue
            }
            peers[pod.name] = read(pod, at: Endpoint(address, pod.port), strings: strings)
        }
        var observation = Observation(me: me, local: local, peers: peers, addresses: resolved, nodeIDs: nodeIDs.map)
        if nodeIDs.learn(from: observation, topology: settings.topology) {
            observation = Observation(me: me, local: local, peers: peers, addresses: resolved, nodeIDs: nodeIDs.map)
        }
        restored.confirm(observation, topology: settings.topology)
        return .observed(observation)
    }

    /// One peer's view, or why it could not be read; a peer that keeps failing is asked less often.
    private func read(_ pod: PodIdentity, at endpoint: Endpoint, strings: StringPool) -> PeerState {
        if let reason = quarantine.reasonToSkip(endpoint) { return .unreachable(endpoint, reason) }
        do {
            let view = try pool.with(endpoint) { try NodeReader.read($0, withReplication: false, pool: strings) }
            quarantine.record(pod, at: endpoint, error: nil)
            return .observed(view)
        } catch {
            quarantine.record(pod, at: endpoint, error: error)
            addresses.forget(pod)
            return .unreachable(endpoint, "\(error)")
        }
    }
}
