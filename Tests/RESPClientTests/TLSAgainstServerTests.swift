import Glibc
import Platform
import TLS
import TestSupport
import Testing

@testable import RESPClient

/// Certificates made by `openssl` for one test: a CA, a server certificate for a headless Service's
/// wildcard name (what cert-manager issues), a client certificate, and a second CA nobody uses.
final class TestCertificates {
    let directory: String

    init() throws {
        var template = Array("/tmp/redis-init-tls-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SystemError("mkdtemp") }
        directory = String(cString: made)
        try openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-keyout", path("ca.key"), "-out", path("ca.crt"), "-subj", "/CN=test CA",
        ])
        try openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-keyout", path("other.key"), "-out", path("other.crt"), "-subj", "/CN=another CA",
        ])
        try issue("server", subject: "/CN=rc", names: "DNS:*.rc.demo.svc.cluster.local")
        try issue("client", subject: "/CN=redis-init", names: "DNS:redis-init")
    }

    func path(_ name: String) -> String { "\(directory)/\(name)" }

    private func issue(_ name: String, subject: String, names: String) throws {
        try openssl([
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", path("\(name).key"), "-out", path("\(name).csr"), "-subj", subject,
        ])
        let extensions = path("\(name).ext")
        try Files.writeAtomically(extensions, Array("subjectAltName=\(names)\n".utf8))
        try openssl([
            "x509", "-req", "-in", path("\(name).csr"), "-CA", path("ca.crt"), "-CAkey", path("ca.key"),
            "-CAcreateserial", "-days", "2", "-out", path("\(name).crt"), "-extfile", extensions,
        ])
    }

    private func openssl(_ arguments: [String]) throws {
        let pid = try spawnProcess(["openssl"] + arguments)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        guard status == 0 else { throw SystemError("openssl \(arguments[0]) exited with status \(status)") }
    }

    deinit {
        let pid = try? spawnProcess(["rm", "-rf", directory])
        var status: Int32 = 0
        if let pid { waitpid(pid, &status, 0) }
    }

    static var isInstalled: Bool { Files.exists("/usr/bin/openssl") && LoopbackRedis.isInstalled }
}

/// A redis-server that listens for TLS only, and asks every client for a certificate.
final class LoopbackTLSRedis {
    private(set) var pid: pid_t = 0
    private(set) var port: UInt16 = 0

    init(_ certificates: TestCertificates) throws {
        let files = TLSFiles(
            caCertFile: certificates.path("ca.crt"), certFile: certificates.path("client.crt"), keyFile: certificates.path("client.key"))
        (pid, port) = try startOnLoopbackPort(
            "redis-server (TLS)",
            spawn: { port in
                try spawnProcess([
                    "redis-server", "--port", "0", "--tls-port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--tls-cert-file", certificates.path("server.crt"), "--tls-key-file", certificates.path("server.key"),
                    "--tls-ca-cert-file", certificates.path("ca.crt"), "--tls-auth-clients", "yes", "--logfile", "/dev/null",
                ])
            },
            ready: { port in
                let peer = TLSPeer(files: files, serverName: "rc-0.rc.demo.svc.cluster.local")
                let connection = try? RedisConnection(
                    endpoint: Endpoint(IPAddress("127.0.0.1")!, port), timeout: 0.5, credentials: nil, tls: peer)
                return (try? connection?.command("PING")) != nil
            })
    }

    var endpoint: Endpoint { Endpoint(IPAddress("127.0.0.1")!, port) }

    deinit { stopChild(&pid) }
}

/// The agent's side of TLS against a real TLS-only server: the chain and the name verified, the client
/// certificate given, and every failure named, never a connection that goes on regardless.
@Suite(.serialized, .enabled(if: TestCertificates.isInstalled, "redis-server and openssl are installed by scripts/install-test-deps"))
struct TLSAgainstServerTests {
    let certificates: TestCertificates
    let server: LoopbackTLSRedis

    init() throws {
        certificates = try TestCertificates()
        server = try LoopbackTLSRedis(certificates)
    }

    var files: TLSFiles {
        TLSFiles(
            caCertFile: certificates.path("ca.crt"), certFile: certificates.path("client.crt"), keyFile: certificates.path("client.key"))
    }

    func connect(_ files: TLSFiles, name: String = "rc-0.rc.demo.svc.cluster.local") throws(RedisClientError) -> RedisConnection {
        try RedisConnection(endpoint: server.endpoint, timeout: 2, credentials: nil, tls: TLSPeer(files: files, serverName: name))
    }

    /// The TLS error a connection attempt failed with; nil if it succeeded or failed otherwise.
    func tlsError(_ files: TLSFiles, name: String = "rc-0.rc.demo.svc.cluster.local") -> TLSError? {
        do {
            _ = try connect(files, name: name).command("PING")
            return nil
        } catch {
            if case .tls(let tls) = error { return tls }
            Issue.record("not a TLS error: \(error)")
            return nil
        }
    }

    @Test func theServerAnswersWhenItsNameAndChainAreRight() throws {
        let connection = try connect(files)
        #expect(try connection.command("PING") == .simpleString("PONG"))
        let many = try connection.sendAll((0..<2000).map { ["ECHO", "reply \($0)"] })
        #expect(many.enumerated().allSatisfy { $0.element.text == "reply \($0.offset)" })
    }

    @Test func anotherNameIsRefused() {
        guard case .untrusted(_, let name, let reason)? = tlsError(files, name: "rc-0.other.demo.svc.cluster.local") else {
            Issue.record("a certificate for another name was accepted")
            return
        }
        #expect(name == "rc-0.other.demo.svc.cluster.local")
        #expect(reason.contains("CN"), "\(reason)")
    }

    @Test func anotherCAIsRefused() {
        let other = TLSFiles(caCertFile: certificates.path("other.crt"), certFile: files.certFile, keyFile: files.keyFile)
        guard case .untrusted(_, _, let reason)? = tlsError(other) else {
            Issue.record("a certificate of another CA was accepted")
            return
        }
        #expect(reason.contains("not correctly signed"), "\(reason)")
    }

    @Test func withoutAClientCertificateTheServerRefuses() {
        guard case .some = tlsError(TLSFiles(caCertFile: certificates.path("ca.crt"))) else {
            Issue.record("a server that asks for a client certificate answered without one")
            return
        }
    }

    @Test func plaintextGetsNothingFromATLSPort() {
        let plain = try? RedisConnection(endpoint: server.endpoint, timeout: 1, credentials: nil)
        #expect((try? plain?.command("PING")) == nil)
    }

    @Test func aPlaintextServerFailsTheHandshake() throws {
        let plain = try LoopbackRedis()
        do {
            _ = try RedisConnection(
                endpoint: plain.endpoint, timeout: 2, credentials: nil,
                tls: TLSPeer(files: files, serverName: "rc-0.rc.demo.svc.cluster.local"))
            Issue.record("a plaintext server passed a TLS handshake")
        } catch {
            // Redis reads the ClientHello as the start of a command and waits for its end: the deadline ends it.
            switch error {
            case .tls(.handshake), .tls(.timedOut): break
            default: Issue.record("expected a failed handshake, got \(error)")
            }
            #expect(error.isMisbehaviour)
        }
    }

    @Test func badFilesAreNamed() {
        let cases: [(TLSFiles, String)] = [
            (TLSFiles(caCertFile: certificates.path("missing.crt")), "--tls-ca-cert-file"),
            (TLSFiles(caCertFile: certificates.path("ca.key")), "--tls-ca-cert-file"),
            (TLSFiles(caCertFile: files.caCertFile, certFile: files.certFile, keyFile: certificates.path("server.key")), "--tls-key-file"),
            (TLSFiles(caCertFile: files.caCertFile, keyFile: files.keyFile), "--tls-key-file"),
            (TLSFiles(caCertFile: files.caCertFile, certFile: certificates.path("client.key"), keyFile: files.keyFile), "--tls-cert-file"),
        ]
        for (files, flag) in cases {
            guard case .badFile(let named, _, let reason)? = tlsError(files) else {
                Issue.record("\(files) was not refused as a bad file")
                continue
            }
            #expect(named == flag, "\(reason)")
            #expect(!RedisClientError.tls(.badFile(flag: named, path: "", reason: reason)).isMisbehaviour)
        }
    }
}
