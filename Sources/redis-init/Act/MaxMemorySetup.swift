import JoinLogic
import Platform

/// `run`'s one-time step: the server's maxmemory from the container's memory limit (`MaxMemory`),
/// once the server answers.
final class MaxMemorySetup {
    private let local: Action.Target
    private let percent: Int
    private let containerLimit: UInt64?
    private let pool: ConnectionPool
    private let log: Log
    private var done: Bool

    /// `percent` 0 (sidecar, rejoin, or --maxmemory-percent 0) does nothing.
    init(local: Action.Target, percent: Int, containerLimit: UInt64?, pool: ConnectionPool, log: Log) {
        self.local = local
        self.percent = percent
        self.containerLimit = containerLimit
        self.pool = pool
        self.log = log
        done = percent == 0 || containerLimit == nil
    }

    func run(_ executor: Executor) {
        guard !done else { return }
        guard let text = try? pool.with(local.endpoint, { $0.configValue("maxmemory") }), let configured = UInt64(text) else { return }
        switch MaxMemory.decide(percent: percent, containerLimit: containerLimit, configured: configured) {
        case .leave:
            break
        case .configured(let bytes, let limit):
            log.info("maxmemory \(Self.mib(bytes)) from the configuration, within the container's memory limit \(Self.mib(limit))")
        case .aboveLimit(let bytes, let limit):
            log.warning(
                "maxmemory \(Self.mib(bytes)) is above the container's memory limit \(Self.mib(limit)): the kernel kills the server before it evicts or refuses writes; lower maxmemory, or remove it and let --maxmemory-percent set it"
            )
        case .set(let bytes, let limit, let percent):
            do {
                try executor.perform(.setConfig(on: local, name: "maxmemory", value: String(bytes)))
            } catch {
                return  // not answering yet, or still loading: the next pass
            }
            log.info(
                "the container's memory limit is \(Self.mib(limit)) and the configuration sets no maxmemory: maxmemory \(Self.mib(bytes)) (\(percent) %; --maxmemory-percent 0 leaves it alone)"
            )
        }
        done = true
    }

    static func mib(_ bytes: UInt64) -> String {
        bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes (\(bytes >> 20) MiB)"
    }
}
