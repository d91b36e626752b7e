import CMbedTLS
import Glibc
import Platform

/// The agent's TLS files: the CA bundle every server's certificate must chain to, and the client
/// certificate and key for servers with `tls-auth-clients yes`. Read again for every connection, so a
/// Secret's files swapped by the kubelet are used from the next connection on, without a restart.
public struct TLSFiles: Sendable, Equatable {
    public let caCertFile: String
    public let certFile: String?
    public let keyFile: String?

    public init(caCertFile: String, certFile: String? = nil, keyFile: String? = nil) {
        self.caCertFile = caCertFile
        self.certFile = certFile
        self.keyFile = keyFile
    }

    /// Reads and parses the files, naming the first that fails.
    public func load() throws(TLSError) -> TLSMaterial {
        let material = TLSMaterial()
        try Self.check(flag: "--tls-ca-cert-file", caCertFile)
        let caResult = mbedtls_x509_crt_parse_file(material.ca, caCertFile)
        guard caResult == 0 else {
            let reason = caResult > 0 ? "\(caResult) certificates in it could not be parsed" : MbedTLSMessage.of(caResult)
            throw .badFile(flag: "--tls-ca-cert-file", path: caCertFile, reason: reason)
        }
        switch (certFile, keyFile) {
        case (nil, nil): break
        case (let cert?, let key?):
            try Self.check(flag: "--tls-cert-file", cert)
            try Self.check(flag: "--tls-key-file", key)
            let certResult = mbedtls_x509_crt_parse_file(material.certificate, cert)
            guard certResult == 0 else {
                throw .badFile(
                    flag: "--tls-cert-file", path: cert, reason: certResult > 0 ? "not a certificate" : MbedTLSMessage.of(certResult))
            }
            let keyResult = mbedtls_pk_parse_keyfile(material.key, key, nil)
            guard keyResult == 0 else { throw .badFile(flag: "--tls-key-file", path: key, reason: MbedTLSMessage.of(keyResult)) }
            guard mbedtls_pk_check_pair(&material.certificate.pointee.pk, material.key) == 0 else {
                throw .badFile(flag: "--tls-key-file", path: key, reason: "it is not the key of the certificate in \(cert)")
            }
            material.hasClientCertificate = true
        case (nil, let key?):
            throw .badFile(flag: "--tls-key-file", path: key, reason: "a key needs its certificate: give --tls-cert-file too")
        case (let cert?, nil):
            throw .badFile(flag: "--tls-cert-file", path: cert, reason: "a certificate needs its key: give --tls-key-file too")
        }
        return material
    }

    private static func check(flag: String, _ path: String) throws(TLSError) {
        guard Files.exists(path) else { throw .badFile(flag: flag, path: path, reason: "no such file") }
        guard access(path, R_OK) == 0 else { throw .badFile(flag: flag, path: path, reason: "not readable by this user") }
    }
}

/// Parsed TLS files, freed with it.
public final class TLSMaterial {
    let ca = UnsafeMutablePointer<mbedtls_x509_crt>.allocate(capacity: 1)
    let certificate = UnsafeMutablePointer<mbedtls_x509_crt>.allocate(capacity: 1)
    let key = UnsafeMutablePointer<mbedtls_pk_context>.allocate(capacity: 1)
    var hasClientCertificate = false

    init() {
        mbedtls_x509_crt_init(ca)
        mbedtls_x509_crt_init(certificate)
        mbedtls_pk_init(key)
    }

    deinit {
        mbedtls_x509_crt_free(ca)
        mbedtls_x509_crt_free(certificate)
        mbedtls_pk_free(key)
        ca.deallocate()
        certificate.deallocate()
        key.deallocate()
    }
}
