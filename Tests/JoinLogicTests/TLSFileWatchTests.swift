import Testing

@testable import JoinLogic

/// `TLSFileWatch`: a file is reported changed only when its content differs from the last read.
@Suite struct TLSFileWatchTests {
    @Test func onlyOtherBytesCountAsAChange() {
        var watch = TLSFileWatch()
        let old = TLSFileWatch.fingerprint(Array("old certificate".utf8))
        let new = TLSFileWatch.fingerprint(Array("new certificate".utf8))
        #expect(old != new)
        // First sight: what the server loaded at start.
        #expect(watch.changed(["/tls/tls.crt": old, "/tls/tls.key": 7]) == [])
        #expect(watch.changed(["/tls/tls.crt": old, "/tls/tls.key": 7]) == [])
        // Unreadable for a moment (being swapped): nothing, and nothing forgotten.
        #expect(watch.changed(["/tls/tls.key": 7]) == [])
        #expect(watch.changed(["/tls/tls.crt": new, "/tls/tls.key": 8]) == ["/tls/tls.crt", "/tls/tls.key"])
        #expect(watch.changed(["/tls/tls.crt": new, "/tls/tls.key": 8]) == [])
        // A setting that names a new path: first sight again.
        #expect(watch.changed(["/tls2/tls.crt": old]) == [])
    }

    @Test func theFingerprintIsFNV1a() {
        #expect(TLSFileWatch.fingerprint([]) == 0xcbf2_9ce4_8422_2325)
        #expect(TLSFileWatch.fingerprint(Array("a".utf8)) == 0xaf63_dc4c_8601_ec8c)
    }
}
