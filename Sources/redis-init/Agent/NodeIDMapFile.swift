import JoinLogic
import NodeFinder
import Platform
import RESPClient

/// The agent's node-ID -> pod map on disk, `<nodes.conf>.pods`, beside the file Redis keeps its own
/// view of the cluster in: both live and die with the same volume. The path comes from --nodes-conf,
/// else from the local server (`CONFIG GET dir` and `cluster-config-file`). A map that cannot be
/// written (a sidecar that does not mount the data volume) is kept in memory, with one warning.
final class NodeIDMapFile {
    private(set) var map = NodeIDMap()
    private var path: String?
    private var located = false
    private var warned = false
    private let log: Log
    private let configuredNodesConf: String?

    init(nodesConf: String?, log: Log) {
        configuredNodesConf = nodesConf
        self.log = log
    }

    /// On the first answer of the local server: finds the file and reads what it holds.
    func locate(using connection: RedisConnection) {
        guard !located else { return }
        located = true
        guard let nodesConf = configuredNodesConf ?? Self.nodesConfPath(of: connection) else { return }
        path = nodesConf + ".pods"
        guard let path, Files.exists(path) else { return }
        do {
            map = NodeIDMap(text: try Files.readText(path))
            written = map
        } catch {
            log.warning("cannot read the node-ID map \(path): \(error); starting a new one")
        }
    }

    /// Records what `observation` shows; returns whether that changed anything. The file is written
    /// when the map differs from it, at most once every `writeInterval` seconds: as its node meets the
    /// cluster an agent learns IDs pass after pass (at 50x1, about a hundred by hostname over a few
    /// seconds), and each write is fsynced, on a disk the servers' nodes.conf writes already keep busy.
    /// A change still unwritten goes with the next pass after that.
    @discardableResult
    func learn(from observation: Observation, topology: Topology) -> Bool {
        let learned = map.learning(from: observation, topology: topology)
        let changed = learned != map
        map = learned
        if map != written, lastWrite.map({ Deadline.now().seconds(since: $0) >= Self.writeInterval }) ?? true {
            save()
        }
        return changed
    }

    static let writeInterval = 2.0
    /// The map as last written (or read), and when it was written.
    private var written = NodeIDMap()
    private var lastWrite: Deadline? = nil

    private func save() {
        guard let path, !warned else { return }
        lastWrite = .now()
        do {
            try Files.writeAtomically(path, Array(map.text.utf8), mode: 0o644)
            written = map
        } catch {
            warned = true
            log.warning("cannot write the node-ID map \(path): \(error); keeping it in memory (set --nodes-conf to where this container sees nodes.conf)")
        }
    }

    /// Where the server keeps nodes.conf, as it says. Redis 6.2 does not show cluster-config-file
    /// through CONFIG GET; there the default name is assumed (set --nodes-conf for another).
    private static func nodesConfPath(of connection: RedisConnection) -> String? {
        let file = configValue("cluster-config-file", connection) ?? "nodes.conf"
        if file.hasPrefix("/") { return file }
        guard let directory = configValue("dir", connection) else { return nil }
        return directory.hasSuffix("/") ? directory + file : directory + "/" + file
    }

    private static func configValue(_ name: String, _ connection: RedisConnection) -> String? {
        switch try? connection.send(["CONFIG", "GET", name]) {
        case .array(let items)?: return items.count == 2 ? items[1].text.flatMap { $0.isEmpty ? nil : $0 } : nil
        case .map(let pairs)?: return pairs.first?.value.text.flatMap { $0.isEmpty ? nil : $0 }
        default: return nil
        }
    }
}
