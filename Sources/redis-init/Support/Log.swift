import Glibc

/// Log lines on stderr, as text or one JSON object per line. Writes go out in one `write` call each,
/// so lines from the agent thread and the supervisor never interleave.
struct Log: Sendable {
    /// The two output forms of --log-format.
    enum Format: String, Sendable { case text, json }

    let format: Format
    let pod: String

    func info(_ message: String) { emit("info", message) }
    func warning(_ message: String) { emit("warn", message) }
    func error(_ message: String) { emit("error", message) }

    private func emit(_ level: String, _ message: String) {
        let time = Log.timestamp()
        let line: String
        switch format {
        case .text: line = "\(time) redis-init[\(pod)] \(level): \(message)\n"
        case .json:
            line =
                JSON.object([
                    ("time", .string(time)), ("level", .string(level)), ("pod", .string(pod)), ("msg", .string(message)),
                ]).rendered + "\n"
        }
        let bytes = Array(line.utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }

    /// UTC, millisecond precision, ISO 8601.
    static func timestamp() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var parts = tm()
        var seconds = spec.tv_sec
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(spec.tv_nsec / 1_000_000), 3))Z"
    }
}
