import Glibc

/// An IPv4 or IPv6 address in network byte order. Parsing and printing go through
/// inet_pton/inet_ntop, which need no resolver and work in a static binary.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    /// Wraps raw bytes; nil unless there are exactly 4 or 16.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Parses a numeric address (`198.18.0.1`, `::1`); nil for anything else, hostnames included.
    public init?(_ text: String) {
        var v4 = [UInt8](repeating: 0, count: 4)
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = v4
            return
        }
        var v6 = [UInt8](repeating: 0, count: 16)
        if inet_pton(AF_INET6, text, &v6) == 1 {
            bytes = v6
            return
        }
        return nil
    }

    /// Whether this is an IPv6 address.
    public var isIPv6: Bool { bytes.count == 16 }

    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = isIPv6 ? AF_INET6 : AF_INET
        guard inet_ntop(family, bytes, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// An address and port: where a Redis server or a DNS server listens.
public struct Endpoint: Hashable, Sendable, CustomStringConvertible {
    /// The numeric address.
    public let address: IPAddress
    /// The TCP or UDP port.
    public let port: UInt16

    /// Pairs an address with a port.
    public init(_ address: IPAddress, _ port: UInt16) {
        self.address = address
        self.port = port
    }

    /// Parses `ip`, `ip:port`, `[v6]:port` or a bare IPv6 address, with `defaultPort` when none is given.
    public init?(parsing text: String, defaultPort: UInt16) {
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            guard let address = IPAddress(String(text[text.index(after: text.startIndex)..<close])) else { return nil }
            let rest = text[text.index(after: close)...]
            if rest.isEmpty {
                self.init(address, defaultPort)
            } else {
                guard rest.hasPrefix(":"), let port = UInt16(rest.dropFirst()) else { return nil }
                self.init(address, port)
            }
            return
        }
        if let address = IPAddress(text) {
            self.init(address, defaultPort)
            return
        }
        guard let colon = text.lastIndex(of: ":"), let address = IPAddress(String(text[..<colon])),
            let port = UInt16(text[text.index(after: colon)...])
        else { return nil }
        self.init(address, port)
    }

    public var description: String {
        address.isIPv6 ? "[\(address)]:\(port)" : "\(address):\(port)"
    }
}
