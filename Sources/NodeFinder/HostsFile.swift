import Platform

/// /etc/hosts: the kubelet writes the pod's own name there, so a pod finds itself without DNS.
public struct HostsFile: Equatable, Sendable {
    /// Each address with its names, lowercased, in file order.
    public let entries: [(address: IPAddress, names: [String])]

    /// Parses hosts text; malformed lines are skipped.
    public static func parse(_ text: String) -> HostsFile {
        var entries: [(IPAddress, [String])] = []
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count >= 2, let address = IPAddress(String(words[0])) else { continue }
            entries.append((address, words.dropFirst().map { $0.lowercased() }))
        }
        return HostsFile(entries: entries)
    }

    /// The addresses for `name`, IPv4 first.
    public func addresses(for name: String) -> [IPAddress] {
        let wanted = (name.hasSuffix(".") ? String(name.dropLast()) : name).lowercased()
        let found = entries.filter { $0.names.contains(wanted) }.map(\.address)
        return found.filter { !$0.isIPv6 } + found.filter(\.isIPv6)
    }

    public static func == (lhs: HostsFile, rhs: HostsFile) -> Bool {
        lhs.entries.count == rhs.entries.count
            && zip(lhs.entries, rhs.entries).allSatisfy { $0.address == $1.address && $0.names == $1.names }
    }
}
