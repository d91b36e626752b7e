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
            case .success(let address):
                resolved[pod.name] = address
                pool.name(Endpoint(address, pod.port), pod.host)
            case .failure(let error): unresolved[pod.name] = error
            }
        }
        lookUp(me)
        // Every agent names its connection to the creator's node, where the creator reads the declarations.
        lookUp(settings.topology.creator)
        let creator = settings.topology.creator
        pool.namedEndpoints =
            me == creator ? [settings.localEndpoint] : Set(resolved[creator.name].map { [Endpoint($0, creator.port)] } ?? [])
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
        let (members, roster) = readForRebalance(local, addresses: resolved, strings: strings)
        func observed() -> Observation {
            Observation(me: me, local: local, peers: peers, addresses: resolved, nodeIDs: nodeIDs.map, members: members, roster: roster)
        }
        var observation = observed()
        if nodeIDs.learn(from: observation, topology: settings.topology) { observation = observed() }
        restored.confirm(observation, topology: settings.topology)
        return .observed(observation)
    }

    /// For the creator, which drives slot moves: the agents' declarations (its own node's `CLIENT LIST`),
    /// and while the cluster's shards are not the declared ones, the masters beyond the declaration.
    private func readForRebalance(
        _ local: NodeView, addresses: [String: IPAddress], strings: StringPool
    ) -> ([String: PeerState], AgentRoster?) {
        guard me == settings.topology.creator else { return ([:], nil) }
        let roster = try? pool.with(settings.localEndpoint) { AgentRoster(parsingClientList: try $0.text("CLIENT", "LIST")) }
        let matcher = PodMatcher(topology: settings.topology, addresses: addresses, nodeIDs: nodeIDs.map)
        guard planner.needsRebalance(for: me, local: local, matcher: matcher) else { return ([:], roster) }
        var members: [String: PeerState] = [:]
        for node in planner.rebalanceMembers(local, matcher: matcher) {
            guard let endpoint = node.endpoint else { continue }
            if case .undeclared(let podName) = matcher.identify(node), let host = settings.topology.undeclaredPod(named: podName)?.host {
                pool.name(endpoint, host)
            }
            do {
                members[node.id] = .observed(try pool.with(endpoint) { try NodeReader.read($0, withReplication: false, pool: strings) })
            } catch {
                members[node.id] = .unreachable(endpoint, "\(error)")
            }
        }
        return (members, roster)
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
