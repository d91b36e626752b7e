/// The server's `maxmemory` from the container's memory limit. A server with no maxmemory in a
/// container with a limit is OOM-killed under load instead of evicting or refusing writes, so `run`
/// (whose server shares its container) sets it to a share of the limit when the configuration sets none.
///
/// | --maxmemory-percent | the container's limit | the configured maxmemory | decision |
/// |---|---|---|---|
/// | 0 | any | any | leave it, say nothing |
/// | > 0 | none | any | leave it, say nothing |
/// | > 0 | L | 0 (none) | set L x percent / 100, and say so |
/// | > 0 | L | at most L | leave it: the configuration decided |
/// | > 0 | L | above L | leave it, warn: the kernel kills the server before it evicts |
public enum MaxMemory {
    public enum Decision: Equatable, Sendable {
        case leave
        case configured(bytes: UInt64, limit: UInt64)
        case aboveLimit(bytes: UInt64, limit: UInt64)
        case set(bytes: UInt64, limit: UInt64, percent: Int)
    }

    public static func decide(percent: Int, containerLimit: UInt64?, configured: UInt64) -> Decision {
        guard percent > 0, let limit = containerLimit else { return .leave }
        // limit x percent / 100 without overflow (limits run to 2^62).
        let bytes = limit / 100 * UInt64(percent) + limit % 100 * UInt64(percent) / 100
        if configured == 0 { return .set(bytes: bytes, limit: limit, percent: percent) }
        return configured <= limit ? .configured(bytes: configured, limit: limit) : .aboveLimit(bytes: configured, limit: limit)
    }

    /// Where the limit of the process's own memory cgroup may be read, best first, from
    /// `/proc/self/cgroup`: its own cgroup (v2 `memory.max`, v1 `memory.limit_in_bytes`), then the root of
    /// the mount, which is the container's own cgroup where the runtime mounts it so.
    public static func limitFiles(procSelfCgroup: String) -> [String] {
        var files: [String] = []
        for line in procSelfCgroup.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, fields[2].hasPrefix("/"), !fields[2].contains("..") else { continue }
            let path = fields[2] == "/" ? "" : String(fields[2])
            if fields[0] == "0" && fields[1].isEmpty {
                files += ["/sys/fs/cgroup\(path)/memory.max", "/sys/fs/cgroup/memory.max"]
            } else if fields[1].split(separator: ",").contains("memory") {
                files += ["/sys/fs/cgroup/memory\(path)/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.limit_in_bytes"]
            }
        }
        var seen: Set<String> = []
        return files.filter { seen.insert($0).inserted }
    }

    /// A limit file's value in bytes; nil for `max` and for v1's "no limit" (a page-rounded 2^63 - 1).
    public static func limit(fileText: String) -> UInt64? {
        let text = fileText.split(whereSeparator: { $0 == "\n" || $0 == " " }).first.map(String.init) ?? ""
        guard let bytes = UInt64(text), bytes > 0, bytes < 1 << 62 else { return nil }
        return bytes
    }
}
