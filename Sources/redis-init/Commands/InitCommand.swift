import Declaration
import JoinLogic
import NodeFinder
import Platform
import RESPClient

/// `init`, for the initContainer: before the server starts, rewrite the address of every nodes.conf
/// line whose pod is known (by the hostname it carries, or by the agent's node-ID map beside it) from
/// what DNS says now, give each replica its master's shard ID, and optionally copy this binary into a
/// volume shared with the redis container. A nodes.conf that names only another cluster's nodes is refused and left untouched.
enum InitCommand {
    /// Where the initContainer finds nodes.conf when --nodes-conf is not given.
    static let defaultNodesConf = "/data/nodes.conf"

    static func execute(_ arguments: ParsedArguments) throws(Failure) -> Int32 {
        let settings = try Settings(arguments, needsPod: false, environment: environment)
        let log = settings.log
        if let directory = arguments.values["--install-to"] {
            try install(into: directory, log: log)
        }
        if let authConf = arguments.values["--auth-conf"] {
            try writeServerAuth(to: authConf, settings.credentials, log: log)
        }
        let path = settings.nodesConf ?? defaultNodesConf
        guard Files.exists(path) else {
            log.info("\(path) does not exist yet: a new node, nothing to rewrite")
            return 0
        }
        let original: [UInt8]
        do {
            original = try Files.read(path)
        } catch {
            throw .configuration("cannot read \(path): \(error); check --nodes-conf")
        }
        let conf = NodesConf(text: String(decoding: original, as: UTF8.self))
        let identities = ForeignCluster.identities(ofHostnames: conf.hostnames, in: settings.topology)
        if let refusal = ForeignCluster.refusal(identities, source: path, fix: "move nodes.conf (and the data) aside.") {
            throw .refused(refusal)
        }
        let nodeIDs = NodeIDMap(text: (try? Files.readText(path + ".pods")) ?? "")
        let resolver = Resolver.system(nameserver: settings.nameserver, maxTimeout: settings.timeout)
        let (moved, changes) = conf.rewritten { nodeID, hostname in
            // Only our own pods' names: a stranger's hostname is not ours to follow.
            if let hostname { return settings.topology.pod(withHost: hostname) != nil ? hostname : nil }
            return nodeIDs.podName(of: nodeID).flatMap(settings.topology.pod(named:))?.host
        } resolve: { hostname in
            switch resolver.addresses(of: hostname) {
            case .success(let addresses): return addresses.first.map { "\($0)" }
            case .failure(let error):
                log.info("keeping the address of \(hostname): \(error)")
                return nil
            }
        }
        let (rewritten, shardChanges) = moved.reconcilingShardIDs()
        guard !changes.isEmpty || !shardChanges.isEmpty else {
            log.info(
                "\(path): every address is current (\(conf.hostnames.count) nodes with hostnames, \(nodeIDs.podNames.count) in the node-ID map)"
            )
            return 0
        }
        do {
            try Files.writeAtomically(path, Array(rewritten.text.utf8), mode: 0o644, backup: path + ".bak")
        } catch {
            throw .configuration("cannot rewrite \(path): \(error)")
        }
        for change in changes {
            log.info("\(change.hostname) (\(change.nodeID.prefix(8))) moved: \(change.from.isEmpty ? "-" : change.from) -> \(change.to)")
        }
        for change in shardChanges {
            log.info(
                "replica \(change.nodeID.prefix(8)) takes the shard ID of its master \(change.masterID.prefix(8)) (\(change.from.prefix(8)) -> \(change.to.prefix(8))) so the server accepts the file (Valkey 8.0 refuses one where they differ)"
            )
        }
        log.info("\(path): \(changes.count) addresses and \(shardChanges.count) shard IDs rewritten; the previous file is \(path).bak")
        return 0
    }

    /// Writes the server's password lines for redis.conf to `include`, readable by the owner only: the
    /// password reaches redis-server through neither argv nor the environment.
    static func writeServerAuth(to path: String, _ credentials: RedisCredentials?, log: Log) throws(Failure) {
        guard let credentials else {
            throw .configuration("--auth-conf needs a password: set --password-file (or REDIS_PASSWORD)")
        }
        do {
            try Files.writeAtomically(path, Array(credentials.serverConfig.utf8), mode: 0o600)
        } catch {
            throw .configuration("cannot write \(path): \(error); is --auth-conf on a writable volume?")
        }
        log.info("wrote the server's password lines to \(path) (mode 600)")
    }

    /// Copies the running binary to `directory`/redis-init, atomically, executable by all.
    static func install(into directory: String, log: Log) throws(Failure) {
        let target = directory.hasSuffix("/") ? directory + "redis-init" : directory + "/redis-init"
        do {
            try Files.writeAtomically(target, try Files.read("/proc/self/exe", limit: 64 << 20), mode: 0o755)
        } catch {
            throw .configuration("cannot install into \(directory): \(error); is --install-to a writable volume?")
        }
        log.info("installed \(target)")
    }
}
