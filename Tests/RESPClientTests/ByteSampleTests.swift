import Testing

@testable import RESPClient

/// What a log line shows of a peer's bytes: readable, escaped, bounded.
struct ByteSampleTests {
    @Test func printableTextIsShownAsIs() {
        #expect(ByteSample.describe(Array("HTTP/1.1 400".utf8)) == "'HTTP/1.1 400'")
    }

    @Test func controlBytesAndBackslashesAreEscaped() {
        #expect(ByteSample.describe([0x2B, 0x0D, 0x0A, 0x00, 0x1B, 0xFF, 0x5C]) == #"'+\r\n\x00\x1b\xff\\'"#)
    }

    @Test func longInputIsCutWithItsLength() {
        let sample = ByteSample.describe([UInt8](repeating: 0x41, count: 1 << 20), limit: 4)
        #expect(sample == "'AAAA'... (1048576 bytes)")
    }

    @Test func nothingIsTwoQuotes() {
        #expect(ByteSample.describe([UInt8]()) == "''")
    }
}
