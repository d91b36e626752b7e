import Platform

/// The parts of resolv.conf a stub resolver uses, with glibc's defaults and caps.
/// Lines it does not understand are ignored, as glibc does, so a garbage line never stops a lookup.
public struct ResolvConf: Equatable, Sendable {
    /// Where to send queries, in order.
    public var nameservers: [Endpoint]
    /// Domains appended to names with fewer than `ndots` dots (Kubernetes: the namespace's first).
    public var search: [String]
    /// A name with at least this many dots is tried as-is first (Kubernetes sets 5).
    public var ndots: Int
    /// Seconds to wait for one server's answer.
    public var timeout: Double
    /// Rounds over all servers.
    public var attempts: Int

    /// A configuration; the defaults are glibc's.
    public init(
        nameservers: [Endpoint] = [], search: [String] = [], ndots: Int = 1, timeout: Double = 5, attempts: Int = 2
    ) {
        self.nameservers = nameservers
        self.search = search
        self.ndots = ndots
        self.timeout = timeout
        self.attempts = attempts
    }

    /// Parses resolv.conf text. With no usable nameserver, glibc's fallback 127.0.0.1 is used.
    public static func parse(_ text: String) -> ResolvConf {
        var config = ResolvConf()
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.split(maxSplits: 1, omittingEmptySubsequences: false, whereSeparator: { $0 == "#" || $0 == ";" }).first ?? ""
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let keyword = words.first else { continue }
            let values = Array(words.dropFirst())
            switch keyword {
            case "nameserver":
                // glibc uses at most 3 servers.
                if let text = values.first, let address = IPAddress(text), config.nameservers.count < 3 {
                    config.nameservers.append(Endpoint(address, 53))
                }
            case "search", "domain":
                // The last search/domain line wins, as in glibc.
                config.search = values.map { $0.hasSuffix(".") ? String($0.dropLast()) : $0 }.filter { !$0.isEmpty }
                config.search = Array(config.search.prefix(32))
            case "options":
                for option in values {
                    let parts = option.split(separator: ":", maxSplits: 1)
                    guard parts.count == 2, let number = Int(parts[1]), number >= 0 else { continue }
                    switch parts[0] {
                    case "ndots": config.ndots = min(number, 15)
                    case "timeout": config.timeout = Double(max(1, min(number, 30)))
                    case "attempts": config.attempts = max(1, min(number, 5))
                    default: break
                    }
                }
            default:
                continue
            }
        }
        if config.nameservers.isEmpty {
            config.nameservers = [Endpoint(IPAddress("127.0.0.1")!, 53)]
        }
        return config
    }

    /// The absolute names to try for `name`, in order, by the ndots and search rules of glibc:
    /// a trailing dot means exactly that name; a name with at least `ndots` dots is tried as-is
    /// before the search domains, any other after them.
    public func candidates(for name: String) -> [String] {
        if name.hasSuffix(".") { return [String(name.dropLast())] }
        let dots = name.filter { $0 == "." }.count
        let searched = search.map { "\(name).\($0)" }
        return dots >= ndots ? [name] + searched : searched + [name]
    }
}
