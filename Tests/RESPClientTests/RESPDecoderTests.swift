import Testing

@testable import RESPClient

/// Every RESP2 and RESP3 type, with the bytes a server sends and the value expected.
let wellFormed: [(String, RESPValue)] = [
    ("+OK\r\n", .simpleString("OK")),
    ("+\r\n", .simpleString("")),
    ("-ERR unknown command\r\n", .error("ERR unknown command")),
    (":0\r\n", .integer(0)),
    (":-42\r\n", .integer(-42)),
    (":9223372036854775807\r\n", .integer(Int64.max)),
    ("$5\r\nhello\r\n", .bulkString(Array("hello".utf8))),
    ("$0\r\n\r\n", .bulkString([])),
    ("$4\r\na\r\nb\r\n", .bulkString(Array("a\r\nb".utf8))),
    ("$-1\r\n", .null),
    ("*-1\r\n", .null),
    ("*0\r\n", .array([])),
    ("*2\r\n$3\r\nfoo\r\n:1\r\n", .array([.bulkString(Array("foo".utf8)), .integer(1)])),
    ("*2\r\n*1\r\n+a\r\n*0\r\n", .array([.array([.simpleString("a")]), .array([])])),
    ("_\r\n", .null),
    (",3.25\r\n", .double(3.25)),
    (",-1e10\r\n", .double(-1e10)),
    (",inf\r\n", .double(.infinity)),
    (",-inf\r\n", .double(-.infinity)),
    ("#t\r\n", .boolean(true)),
    ("#f\r\n", .boolean(false)),
    ("(3492890328409238509324850943850943825024385\r\n", .bigNumber("3492890328409238509324850943850943825024385")),
    ("!21\r\nSYNTAX invalid syntax\r\n", .error("SYNTAX invalid syntax")),
    ("=15\r\ntxt:Some string\r\n", .verbatim(format: "txt", text: "Some string")),
    ("%2\r\n+a\r\n:1\r\n+b\r\n:2\r\n", .map([RESPPair(.simpleString("a"), .integer(1)), RESPPair(.simpleString("b"), .integer(2))])),
    ("~2\r\n+x\r\n+y\r\n", .set([.simpleString("x"), .simpleString("y")])),
    (">2\r\n+message\r\n+hi\r\n", .push([.simpleString("message"), .simpleString("hi")])),
    ("|1\r\n+ttl\r\n:3600\r\n:7\r\n", .integer(7)),  // the attribute is skipped
]

@Suite struct RESPDecoderTests {
    let decoder = RESPDecoder()

    @Test(arguments: wellFormed.indices)
    func decodesWholeValue(_ index: Int) throws {
        let (text, expected) = wellFormed[index]
        let bytes = Array(text.utf8)
        let decoded = try #require(try decoder.decode(bytes))
        #expect(decoded.value == expected)
        #expect(decoded.end == bytes.count)
    }

    /// Every strict prefix is "need more", never an error and never a value: the reply arrives in
    /// pieces of any size, down to one byte at a time.
    @Test(arguments: wellFormed.indices)
    func everyPrefixAsksForMore(_ index: Int) throws {
        let bytes = Array(wellFormed[index].0.utf8)
        for cut in 0..<bytes.count {
            #expect(try decoder.decode(Array(bytes[0..<cut])) == nil, "prefix of \(cut) bytes")
        }
    }

    /// Fed byte by byte the way a connection accumulates them, two values back to back come out in
    /// order, each when its last byte arrives.
    @Test func byteByByteStream() throws {
        let stream = Array("+first\r\n*2\r\n$1\r\nx\r\n:5\r\n".utf8)
        var buffer: [UInt8] = []
        var values: [RESPValue] = []
        for byte in stream {
            buffer.append(byte)
            while let (value, end) = try decoder.decode(buffer) {
                values.append(value)
                buffer.removeFirst(end)
            }
        }
        #expect(values == [.simpleString("first"), .array([.bulkString([0x78]), .integer(5)])])
        #expect(buffer.isEmpty)
    }

    @Test func decodesFromAnOffset() throws {
        let bytes = Array(":1\r\n:2\r\n".utf8)
        let first = try #require(try decoder.decode(bytes))
        let second = try #require(try decoder.decode(bytes, from: first.end))
        #expect(second.value == .integer(2))
        #expect(second.end == bytes.count)
    }

    @Test func nanDouble() throws {
        let decoded = try #require(try decoder.decode(Array(",nan\r\n".utf8)))
        guard case .double(let value) = decoded.value else { Issue.record("not a double"); return }
        #expect(value.isNaN)
    }

    static let malformed: [(String, RESPParsingError)] = [
        ("?what\r\n", .unknownType(UInt8(ascii: "?"), offset: 0)),
        ("+OK\rX", .missingLineFeed(offset: 3)),
        (":12a\r\n", .invalidNumber("12a", offset: 0)),
        (":\r\n", .invalidNumber("", offset: 0)),
        (":99999999999999999999\r\n", .invalidNumber("99999999999999999999", offset: 0)),
        ("$-2\r\n", .invalidNumber("-2", offset: 0)),
        ("*-5\r\n", .invalidNumber("-5", offset: 0)),
        ("%-1\r\n", .invalidNumber("-1", offset: 0)),
        ("$3\r\nabcd\r\n", .missingTrailingCRLF(offset: 7)),
        ("#x\r\n", .invalidPayload("boolean", offset: 0)),
        ("_x\r\n", .invalidPayload("null", offset: 0)),
        (",1.2.3x\r\n", .invalidPayload("double", offset: 0)),
        ("=3\r\ntxt\r\n", .invalidPayload("verbatim string", offset: 0)),
        ("(12a\r\n", .invalidPayload("big number", offset: 0)),
        ("*1\r\n?\r\n", .unknownType(UInt8(ascii: "?"), offset: 4)),
    ]

    @Test(arguments: malformed.indices)
    func rejectsMalformed(_ index: Int) {
        let (text, expected) = Self.malformed[index]
        #expect(throws: expected) { try decoder.decode(Array(text.utf8)) }
    }

    /// A hostile peer declaring a huge bulk string is refused on its header, before any allocation.
    @Test func rejectsHugeBulkLength() {
        #expect(throws: RESPParsingError.bulkTooLong(100_000_000_000_000, limit: RESPLimits.agent.maxBulkLength)) {
            try decoder.decode(Array("$100000000000000\r\n".utf8))
        }
    }

    @Test func rejectsHugeAggregate() {
        #expect(throws: RESPParsingError.aggregateTooLong(10_000_000, limit: RESPLimits.agent.maxAggregateCount)) {
            try decoder.decode(Array("*10000000\r\n".utf8))
        }
        #expect(throws: RESPParsingError.aggregateTooLong(2_000_000, limit: RESPLimits.agent.maxAggregateCount)) {
            try decoder.decode(Array("%1000000\r\n".utf8))
        }
        // Pairs whose count times two overflows Int64 (scripts/fuzz RESP found this trap): refused, not a crash.
        for header in ["%9199999900147154357\r\n", "|9199999900147154357\r\n"] {
            #expect(throws: RESPParsingError.aggregateTooLong(Int64.max, limit: RESPLimits.agent.maxAggregateCount)) {
                try decoder.decode(Array(header.utf8))
            }
        }
    }

    /// A million nested arrays would overflow the stack of a naive recursive parser.
    @Test func rejectsDeepNesting() {
        let bytes = Array(String(repeating: "*1\r\n", count: 1_000_000).utf8)
        #expect(throws: RESPParsingError.nestedTooDeep(limit: RESPLimits.agent.maxDepth)) { try decoder.decode(bytes) }
    }

    @Test func acceptsNestingUpToTheLimit() throws {
        let depth = RESPLimits.agent.maxDepth
        let bytes = Array((String(repeating: "*1\r\n", count: depth) + ":1\r\n").utf8)
        var expected = RESPValue.integer(1)
        for _ in 0..<depth { expected = .array([expected]) }
        #expect(try decoder.decode(bytes)?.value == expected)
    }

    /// Megabytes with no CRLF: refused once the line limit is passed, not buffered forever.
    @Test func rejectsEndlessLine() {
        let bytes = Array(("+" + String(repeating: "a", count: 1 << 20)).utf8)
        #expect(throws: RESPParsingError.lineTooLong(limit: RESPLimits.agent.maxLineLength)) { try decoder.decode(bytes) }
    }

    @Test func lineJustUnderTheLimitIsFine() throws {
        let limits = RESPLimits(maxBulkLength: 100, maxAggregateCount: 10, maxDepth: 4, maxLineLength: 8)
        let small = RESPDecoder(limits: limits)
        #expect(try small.decode(Array("+12345678\r\n".utf8))?.value == .simpleString("12345678"))
        #expect(throws: RESPParsingError.lineTooLong(limit: 8)) { try small.decode(Array("+123456789\r\n".utf8)) }
        #expect(throws: RESPParsingError.bulkTooLong(101, limit: 100)) { try small.decode(Array("$101\r\n".utf8)) }
        #expect(try small.decode(Array("$100\r\n".utf8)) == nil)
    }

    /// The encoder and decoder agree on every value.
    @Test(arguments: wellFormed.indices)
    func roundTrip(_ index: Int) throws {
        let value = wellFormed[index].1
        let decoded = try #require(try decoder.decode(RESPEncoder.encode(value)))
        #expect(decoded.value == value)
    }

    @Test func encodesCommandsAsBulkStringArrays() {
        #expect(
            RESPEncoder.command(["CLUSTER", "MEET", "198.18.0.1", "6379"])
                == Array("*4\r\n$7\r\nCLUSTER\r\n$4\r\nMEET\r\n$10\r\n198.18.0.1\r\n$4\r\n6379\r\n".utf8))
        #expect(RESPEncoder.command(["SET", "k", "é"]) == Array("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\né\r\n".utf8))
    }

    @Test func textOfStringValues() {
        #expect(RESPValue.bulkString(Array("x".utf8)).text == "x")
        #expect(RESPValue.verbatim(format: "txt", text: "y").text == "y")
        #expect(RESPValue.integer(1).text == nil)
    }
}
