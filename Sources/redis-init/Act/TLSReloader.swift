import JoinLogic
import Platform
import RESPClient

/// With `--tls`, has the local server load its TLS files again when their content changes on disk
/// (`TLSFileWatch`): `CONFIG SET tls-cert-file <the same path>` makes Redis reload every TLS file. The
/// agent's own files need nothing: they are read for every connection (docs/DESIGN.md, "TLS").
final class TLSReloader {
    /// The server settings that name files.
    static let settings = ["tls-cert-file", "tls-key-file", "tls-ca-cert-file", "tls-client-cert-file", "tls-client-key-file"]
    /// How often the files are looked at.
    static let checkSeconds = 10.0

    private let local: Action.Target
    private let pool: ConnectionPool
    private let log: Log
    private let enabled: Bool
    private var watch = TLSFileWatch()
    private var nextCheck = Deadline.now()
    /// Files changed that the server has not loaded yet (its reload failed): tried again at each check.
    private var pending: [String] = []

    init(local: Action.Target, pool: ConnectionPool, enabled: Bool, log: Log) {
        self.local = local
        self.pool = pool
        self.enabled = enabled
        self.log = log
    }

    func run(_ executor: Executor) {
        guard enabled, nextCheck.hasPassed else { return }
        let read = try? pool.with(local.endpoint) { connection in
            Self.settings.compactMap { name in connection.configValue(name).map { (name, $0) } }
        }
        guard let configured = read.map({ Dictionary($0, uniquingKeysWith: { first, _ in first }) }),
            let certificate = configured["tls-cert-file"]
        else { return }
        // From the first answer on: the files read then are the ones the server loaded as it started.
        nextCheck = .after(seconds: Self.checkSeconds)
        var fingerprints: [String: UInt64] = [:]
        for path in Set(configured.values) {
            if let bytes = try? Files.read(path, limit: 1 << 20) { fingerprints[path] = TLSFileWatch.fingerprint(bytes) }
        }
        let changed = pending + watch.changed(fingerprints).filter { !pending.contains($0) }
        guard !changed.isEmpty else { return }
        do {
            try executor.perform(.setConfig(on: local, name: "tls-cert-file", value: certificate))
            log.info("the server's TLS files changed (\(changed.joined(separator: ", "))): it loaded them again")
            pending = []
        } catch {
            log.warning("the server's TLS files changed (\(changed.joined(separator: ", "))) but it could not load them again: \(error)")
            pending = changed
        }
    }
}
