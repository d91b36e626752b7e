/// Which of the local server's TLS files changed since last seen: the kubelet swaps a Secret's files in
/// place (cert-manager renews them every few weeks), and a server keeps using what it loaded until its
/// TLS settings are set again. Compared by content, since a swap may keep sizes and times.
///
/// | a file, compared with the last time it was read | decision |
/// |---|---|
/// | first read (the agent just started, or a setting names a new path) | remember it; the server loaded it at start |
/// | same bytes | nothing |
/// | other bytes | changed: have the server load its TLS files again |
/// | unreadable now | nothing (it is being swapped, or not visible in this container); looked at again later |
public struct TLSFileWatch: Sendable {
    private var seen: [String: UInt64] = [:]

    public init() {}

    /// The paths whose content differs from the last read, given each readable path's fingerprint now.
    public mutating func changed(_ fingerprints: [String: UInt64]) -> [String] {
        var changed: [String] = []
        for (path, fingerprint) in fingerprints.sorted(by: { $0.key < $1.key }) {
            if let last = seen[path], last != fingerprint { changed.append(path) }
            seen[path] = fingerprint
        }
        return changed
    }

    /// FNV-1a over the bytes: a fingerprint, not a secret (no key material leaves the process).
    public static func fingerprint(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
