import Glibc

/// A non-blocking socket used as a blocking one: every call waits with `poll` until a deadline,
/// so no peer, however slow or silent, can hold the agent longer than it allows.
public final class Socket {
    /// The file descriptor, closed on deinit.
    public let descriptor: Int32
    /// The remote end (for TCP) or the default destination (for UDP); named in every error.
    public let peer: Endpoint

    private init(descriptor: Int32, peer: Endpoint) {
        self.descriptor = descriptor
        self.peer = peer
    }

    deinit { close(descriptor) }

    /// Opens a TCP connection to `peer`, giving up at `deadline`.
    public static func connectTCP(to peer: Endpoint, deadline: Deadline) throws(SocketError) -> Socket {
        let socket = try open(type: Int32(SOCK_STREAM.rawValue), peer: peer)
        var one: Int32 = 1
        setsockopt(socket.descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let result = withSocketAddress(of: peer) { Glibc.connect(socket.descriptor, $0, $1) }
        if result != 0 {
            guard errno == EINPROGRESS || errno == EINTR else { throw .system(SystemError("connect"), peer: peer) }
            try socket.wait(for: Int16(POLLOUT), until: deadline, operation: "connect")
            var pending: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(socket.descriptor, SOL_SOCKET, SO_ERROR, &pending, &length)
            if pending != 0 { throw .system(SystemError("connect", code: pending), peer: peer) }
        }
        return socket
    }

    /// Opens a UDP socket whose datagrams go to `peer`.
    public static func connectUDP(to peer: Endpoint) throws(SocketError) -> Socket {
        let socket = try open(type: Int32(SOCK_DGRAM.rawValue), peer: peer)
        let result = withSocketAddress(of: peer) { Glibc.connect(socket.descriptor, $0, $1) }
        if result != 0 { throw .system(SystemError("connect"), peer: peer) }
        return socket
    }

    /// Writes all of `bytes` before `deadline`.
    public func write(_ bytes: [UInt8], deadline: Deadline) throws(SocketError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Glibc.send(descriptor, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written >= 0 {
                offset += written
            } else if errno == EAGAIN || errno == EINTR {
                try wait(for: Int16(POLLOUT), until: deadline, operation: "write")
            } else {
                throw .system(SystemError("send"), peer: peer)
            }
        }
    }

    /// Reads what is available, at most `limit` bytes, waiting until `deadline` for at least one.
    /// For TCP an orderly close throws `.closed`; for UDP one call returns one datagram.
    public func read(limit: Int, deadline: Deadline) throws(SocketError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: limit)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.recv(descriptor, $0.baseAddress, limit, 0) }
            if count > 0 { return Array(buffer[0..<count]) }
            if count == 0 { throw .closed(peer: peer) }
            guard errno == EAGAIN || errno == EINTR else {
                throw .system(SystemError("recv"), peer: peer)
            }
            try wait(for: Int16(POLLIN), until: deadline, operation: "read")
        }
    }

    private static func open(type: Int32, peer: Endpoint) throws(SocketError) -> Socket {
        let family = peer.address.isIPv6 ? AF_INET6 : AF_INET
        let descriptor = Glibc.socket(family, type | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw .system(SystemError("socket"), peer: peer) }
        return Socket(descriptor: descriptor, peer: peer)
    }

    /// Waits until the socket is ready for `events` (`POLLIN`, `POLLOUT`), or throws at `deadline`: for a
    /// layer above that reads and writes the descriptor itself (TLS).
    public func wait(for events: Int16, until deadline: Deadline, operation: String) throws(SocketError) {
        while true {
            let remaining = deadline.remainingMilliseconds
            if remaining == 0 { throw .timedOut(operation: operation, peer: peer) }
            var entry = pollfd(fd: descriptor, events: events, revents: 0)
            let ready = poll(&entry, 1, remaining)
            if ready > 0 { return }
            if ready < 0 && errno != EINTR { throw .system(SystemError("poll"), peer: peer) }
        }
    }
}

/// Calls `body` with a sockaddr for `endpoint`, as connect/bind want it.
func withSocketAddress<T>(of endpoint: Endpoint, _ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
    if endpoint.address.isIPv6 {
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_port = endpoint.port.bigEndian
        withUnsafeMutableBytes(of: &address.sin6_addr) { $0.copyBytes(from: endpoint.address.bytes) }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
        }
    }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = endpoint.port.bigEndian
    withUnsafeMutableBytes(of: &address.sin_addr) { $0.copyBytes(from: endpoint.address.bytes) }
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
}
