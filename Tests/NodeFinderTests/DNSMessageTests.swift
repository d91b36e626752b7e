import Platform
import Testing

@testable import NodeFinder

/// Builds DNS messages byte by byte, as a server would send them.
struct MessageBuilder {
    var bytes: [UInt8]

    init(id: UInt16 = 0x1234, flags: UInt16 = 0x8180, questions: [String] = ["a.b"], answers: Int) {
        bytes = [
            UInt8(id >> 8), UInt8(id & 0xFF), UInt8(flags >> 8), UInt8(flags & 0xFF), 0, UInt8(questions.count), 0, UInt8(answers), 0, 0, 0,
            0,
        ]
        for question in questions {
            bytes += MessageBuilder.name(question) + [0, 1, 0, 1]
        }
    }

    static func name(_ text: String) -> [UInt8] {
        text.split(separator: ".").flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) } + [0]
    }

    mutating func record(owner: [UInt8], type: UInt16, data: [UInt8]) {
        bytes += owner + [UInt8(type >> 8), UInt8(type & 0xFF), 0, 1, 0, 0, 0, 30, UInt8(data.count >> 8), UInt8(data.count & 0xFF)] + data
    }
}

@Suite struct DNSMessageTests {
    @Test func queryWireFormat() throws {
        let query = try DNSMessage.query(id: 0xBEEF, name: "rc-0.rc.default.svc.cluster.local.", type: .a)
        #expect(Array(query[0..<12]) == [0xBE, 0xEF, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0])
        #expect(Array(query[12...]) == MessageBuilder.name("rc-0.rc.default.svc.cluster.local") + [0, 1, 0, 1])
    }

    @Test func queryRejectsBadNames() {
        #expect(throws: DNSMessageError.invalidName("a..b")) { try DNSMessage.query(id: 1, name: "a..b", type: .a) }
        #expect(throws: DNSMessageError.invalidName("")) { try DNSMessage.query(id: 1, name: "", type: .a) }
        let long = String(repeating: "x", count: 64) + ".y"
        #expect(throws: DNSMessageError.invalidName(long)) { try DNSMessage.query(id: 1, name: long, type: .a) }
    }

    @Test func parsesAddressRecordsWithCompression() throws {
        var builder = MessageBuilder(questions: ["rc-0.rc.default.svc.cluster.local"], answers: 2)
        builder.record(owner: [0xC0, 12], type: 1, data: [198, 18, 0, 7])
        builder.record(owner: [0xC0, 12], type: 28, data: [0x20, 0x01, 0x0D, 0xB8] + Array(repeating: 0, count: 11) + [1])
        let message = try DNSMessage.parse(builder.bytes)
        #expect(message.id == 0x1234 && message.isResponse && !message.isTruncated && message.responseCode == 0)
        #expect(
            message.answers == [
                DNSRecord(name: "rc-0.rc.default.svc.cluster.local", data: .address(IPAddress("198.18.0.7")!)),
                DNSRecord(name: "rc-0.rc.default.svc.cluster.local", data: .address(IPAddress("2001:db8::1")!)),
            ])
    }

    @Test func parsesSRVAndCNAME() throws {
        var builder = MessageBuilder(questions: ["_redis._tcp.rc.default.svc.cluster.local"], answers: 2)
        // The target name points back into the question: "rc.default..." starts after "_redis._tcp." (12 + 7 + 5).
        builder.record(owner: [0xC0, 12], type: 33, data: [0, 10, 0, 100, 0x18, 0xEB] + [4] + Array("rc-1".utf8) + [0xC0, 12 + 12])
        builder.record(owner: [0xC0, 12], type: 5, data: [5] + Array("alias".utf8) + [0])
        let message = try DNSMessage.parse(builder.bytes)
        #expect(
            message.answers[0].data == .srv(SRVRecord(priority: 10, weight: 100, port: 6379, target: "rc-1.rc.default.svc.cluster.local")))
        #expect(message.answers[1].data == .cname("alias"))
    }

    @Test func responseCodesAndTruncation() throws {
        let nx = try DNSMessage.parse(MessageBuilder(flags: 0x8183, answers: 0).bytes)
        #expect(nx.responseCode == DNSMessage.ResponseCode.nameError)
        let servfail = try DNSMessage.parse(MessageBuilder(flags: 0x8182, answers: 0).bytes)
        #expect(servfail.responseCode == DNSMessage.ResponseCode.serverFailure)
        // Truncated: declares two answers, carries one and a half; the whole one is kept.
        var builder = MessageBuilder(flags: 0x8380, answers: 2)
        builder.record(owner: [0xC0, 12], type: 1, data: [198, 18, 0, 1])
        builder.bytes += [0xC0, 12, 0, 1]
        let cut = try DNSMessage.parse(builder.bytes)
        #expect(cut.isTruncated && cut.answers.count == 1)
    }

    @Test func unknownTypesAreKeptAsOther() throws {
        var builder = MessageBuilder(answers: 1)
        builder.record(owner: [0xC0, 12], type: 16, data: [3, 0x61, 0x62, 0x63])
        #expect(try DNSMessage.parse(builder.bytes).answers[0].data == .other(type: 16))
    }

    @Test func hostileMessages() {
        // A pointer to itself, and one pointing forward: both would loop or read ahead.
        var selfPointer = MessageBuilder(questions: [], answers: 1)
        selfPointer.bytes += [0xC0, 12]
        #expect(throws: DNSMessageError.badPointer(offset: 12)) { try DNSMessage.parse(selfPointer.bytes) }
        var forward = MessageBuilder(questions: [], answers: 1)
        forward.bytes += [0xC0, 20]
        #expect(throws: DNSMessageError.badPointer(offset: 12)) { try DNSMessage.parse(forward.bytes) }
        // Record data longer than the message.
        var long = MessageBuilder(answers: 1)
        long.bytes += [0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 1, 0xFF, 0xFF, 1, 2]
        #expect(throws: DNSMessageError.truncated(offset: long.bytes.count - 2)) { try DNSMessage.parse(long.bytes) }
        // An A record of 5 bytes.
        var wrongSize = MessageBuilder(answers: 1)
        wrongSize.record(owner: [0xC0, 12], type: 1, data: [1, 2, 3, 4, 5])
        #expect(throws: DNSMessageError.badRecord(type: 1, offset: wrongSize.bytes.count - 5)) { try DNSMessage.parse(wrongSize.bytes) }
        // Label type bits 01/10 are reserved.
        var reserved = MessageBuilder(questions: [], answers: 1)
        reserved.bytes += [0x40, 0]
        #expect(throws: DNSMessageError.badName(offset: 12)) { try DNSMessage.parse(reserved.bytes) }
        #expect(throws: DNSMessageError.truncated(offset: 3)) { try DNSMessage.parse([0, 1, 2]) }
    }

    /// Every prefix of a valid message either parses (when the cut falls after a whole record) or
    /// throws; none crashes.
    @Test func everyPrefixIsSafe() throws {
        var builder = MessageBuilder(questions: ["x.y"], answers: 2)
        builder.record(owner: [0xC0, 12], type: 1, data: [198, 18, 0, 1])
        builder.record(owner: MessageBuilder.name("z"), type: 33, data: [0, 1, 0, 1, 0, 1, 1, 0x61, 0])
        for cut in 0..<builder.bytes.count {
            _ = try? DNSMessage.parse(Array(builder.bytes[0..<cut]))
        }
        #expect(try DNSMessage.parse(builder.bytes).answers.count == 2)
    }
}
