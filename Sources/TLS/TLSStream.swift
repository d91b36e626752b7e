import CMbedTLS
import Glibc
import Platform

/// A TLS client session over a connected non-blocking socket: TLS 1.2 (the version Debian's Mbed TLS
/// speaks; every server we run accepts it), the server's chain verified against the CA file and its name
/// against `serverName`, the pod's DNS name the agent meant. Every call is bounded by a deadline, as the
/// plain socket's are (docs/DESIGN.md, "TLS").
public final class TLSStream {
    public let peer: Endpoint
    public let serverName: String
    private let socket: Socket
    private let material: TLSMaterial
    private let ssl = UnsafeMutablePointer<mbedtls_ssl_context>.allocate(capacity: 1)
    private let config = UnsafeMutablePointer<mbedtls_ssl_config>.allocate(capacity: 1)
    private let entropy = UnsafeMutablePointer<mbedtls_entropy_context>.allocate(capacity: 1)
    private let random = UnsafeMutablePointer<mbedtls_ctr_drbg_context>.allocate(capacity: 1)
    private let descriptor = UnsafeMutablePointer<Int32>.allocate(capacity: 1)

    /// Shakes hands over `socket` before `deadline`, with the files as they are now.
    public init(over socket: Socket, files: TLSFiles, serverName: String, deadline: Deadline) throws(TLSError) {
        self.socket = socket
        self.peer = socket.peer
        self.serverName = serverName
        material = try files.load()
        mbedtls_ssl_init(ssl)
        mbedtls_ssl_config_init(config)
        mbedtls_entropy_init(entropy)
        mbedtls_ctr_drbg_init(random)
        descriptor.initialize(to: socket.descriptor)
        try setUp()
        try handshake(deadline: deadline)
    }

    deinit {
        mbedtls_ssl_free(ssl)
        mbedtls_ssl_config_free(config)
        mbedtls_ctr_drbg_free(random)
        mbedtls_entropy_free(entropy)
        for pointer in [UnsafeMutableRawPointer(ssl), UnsafeMutableRawPointer(config), UnsafeMutableRawPointer(entropy)] {
            pointer.deallocate()
        }
        random.deallocate()
        descriptor.deallocate()
    }

    private func setUp() throws(TLSError) {
        func check(_ result: Int32, _ what: String) throws(TLSError) {
            guard result == 0 else { throw .handshake(peer: peer, reason: "\(what): \(MbedTLSMessage.of(result))") }
        }
        try check(mbedtls_ctr_drbg_seed(random, mbedtls_entropy_func, entropy, nil, 0), "seeding the random generator")
        try check(
            mbedtls_ssl_config_defaults(config, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT),
            "TLS defaults")
        // Nothing older than TLS 1.2.
        mbedtls_ssl_conf_min_version(config, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3)
        mbedtls_ssl_conf_authmode(config, MBEDTLS_SSL_VERIFY_REQUIRED)
        mbedtls_ssl_conf_ca_chain(config, material.ca, nil)
        mbedtls_ssl_conf_rng(config, mbedtls_ctr_drbg_random, random)
        if material.hasClientCertificate {
            try check(mbedtls_ssl_conf_own_cert(config, material.certificate, material.key), "the client certificate")
        }
        try check(mbedtls_ssl_setup(ssl, config), "the session")
        // The name checked against the certificate (and sent as SNI): never the address alone.
        try check(mbedtls_ssl_set_hostname(ssl, serverName), "the server name \(serverName)")
        mbedtls_ssl_set_bio(ssl, descriptor, tlsSend, tlsReceive, nil)
    }

    private func handshake(deadline: Deadline) throws(TLSError) {
        while true {
            let result = mbedtls_ssl_handshake(ssl)
            if result == 0 { return }
            if try waited(result, deadline: deadline, operation: "handshake") { continue }
            let flags = mbedtls_ssl_get_verify_result(ssl)
            if result == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED, flags != 0, flags != UInt32.max {
                throw .untrusted(peer: peer, serverName: serverName, reason: MbedTLSMessage.verification(flags))
            }
            throw .handshake(peer: peer, reason: MbedTLSMessage.of(result))
        }
    }

    /// For WANT_READ or WANT_WRITE, waits on the socket and returns true; false for any other result.
    private func waited(_ result: Int32, deadline: Deadline, operation: String) throws(TLSError) -> Bool {
        let events: Int16
        switch result {
        case MBEDTLS_ERR_SSL_WANT_READ: events = Int16(POLLIN)
        case MBEDTLS_ERR_SSL_WANT_WRITE: events = Int16(POLLOUT)
        default: return false
        }
        do {
            try socket.wait(for: events, until: deadline, operation: operation)
        } catch {
            if case .timedOut = error { throw .timedOut(operation: operation, peer: peer) }
            throw .broken(peer: peer, reason: error.description)
        }
        return true
    }

    /// Writes all of `bytes` before `deadline`.
    public func write(_ bytes: [UInt8], deadline: Deadline) throws(TLSError) {
        var offset = 0
        while offset < bytes.count {
            let result = bytes.withUnsafeBufferPointer { mbedtls_ssl_write(ssl, $0.baseAddress! + offset, $0.count - offset) }
            if result > 0 {
                offset += Int(result)
            } else if try !waited(result, deadline: deadline, operation: "write") {
                throw .broken(peer: peer, reason: MbedTLSMessage.of(result))
            }
        }
    }

    /// Reads what is available, at most `limit` bytes, waiting until `deadline` for at least one.
    public func read(limit: Int, deadline: Deadline) throws(TLSError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: limit)
        while true {
            let result = buffer.withUnsafeMutableBufferPointer { mbedtls_ssl_read(ssl, $0.baseAddress!, limit) }
            if result > 0 { return Array(buffer[0..<Int(result)]) }
            if result == 0 || result == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY {
                throw .broken(peer: peer, reason: "connection closed by peer")
            }
            if try !waited(result, deadline: deadline, operation: "read") {
                throw .broken(peer: peer, reason: MbedTLSMessage.of(result))
            }
        }
    }
}

/// Mbed TLS's send callback: the non-blocking socket's `send`, EAGAIN as "want write".
private func tlsSend(_ context: UnsafeMutableRawPointer?, _ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    let descriptor = context!.load(as: Int32.self)
    let sent = Glibc.send(descriptor, bytes, count, Int32(MSG_NOSIGNAL))
    if sent >= 0 { return Int32(sent) }
    return errno == EAGAIN || errno == EINTR ? MBEDTLS_ERR_SSL_WANT_WRITE : MBEDTLS_ERR_NET_SEND_FAILED
}

/// Mbed TLS's receive callback: the non-blocking socket's `recv`, EAGAIN as "want read", 0 at the end.
private func tlsReceive(_ context: UnsafeMutableRawPointer?, _ bytes: UnsafeMutablePointer<UInt8>?, _ count: Int) -> Int32 {
    let descriptor = context!.load(as: Int32.self)
    let received = Glibc.recv(descriptor, bytes, count, 0)
    if received >= 0 { return Int32(received) }
    return errno == EAGAIN || errno == EINTR ? MBEDTLS_ERR_SSL_WANT_READ : MBEDTLS_ERR_NET_RECV_FAILED
}
