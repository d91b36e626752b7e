import Declaration
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
    private var unsaved = false
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
        } catch {
            log.warning("cannot read the node-ID map \(path): \(error); starting a new one")
        }
    }

    /// Records what `observation` shows, in memory. Returns whether that changed anything.
    func learn(from observation: Observation, topology: Topology) -> Bool {
        let learned = map.learning(from: observation, topology: topology)
        guard learned != map else { return false }
        map = learned
        unsaved = true
        return true
    }

    /// Writes what was learned since the last write, if anything.
    func saveIfChanged() {
        guard unsaved, let path, !warned else { return }
        unsaved = false
        do {
            try Files.writeAtomically(path, Array(map.text.utf8), mode: 0o644)
        } catch {
            warned = true
            log.warning(
                "cannot write the node-ID map \(path): \(error); keeping it in memory (set --nodes-conf to where this container sees nodes.conf)"
            )
        }
    }

    /// Where the server keeps nodes.conf, as it says. Redis 6.2 does not show cluster-config-file
    /// through CONFIG GET; there the default name is assumed (set --nodes-conf for another).
    private static func nodesConfPath(of connection: RedisConnection) -> String? {
        let file = connection.configValue("cluster-config-file") ?? "nodes.conf"
        if file.hasPrefix("/") { return file }
        guard let directory = connection.configValue("dir") else { return nil }
        return directory.hasSuffix("/") ? directory + file : directory + "/" + file
    }
}
