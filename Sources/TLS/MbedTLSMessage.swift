import CMbedTLS

/// Mbed TLS's text for an error code, and for the flags of a failed certificate verification.
enum MbedTLSMessage {
    static func of(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 200)
        mbedtls_strerror(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// One line per failed check, joined: "The certificate is not correctly signed by the trusted CA; ...".
    static func verification(_ flags: UInt32) -> String {
        var buffer = [CChar](repeating: 0, count: 1024)
        mbedtls_x509_crt_verify_info(&buffer, buffer.count, "", flags)
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.split(separator: "\n").map { $0.trimmingPrefix(" ") }.joined(separator: "; ")
    }
}
