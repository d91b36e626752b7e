import RESPClient

/// Any bytes from a peer: the decoder answers a value within the input, "need more", or a parse error;
/// it never traps, and a value it returns ends inside what it was given. Decoding again from that end
/// consumes the rest the same way (pipelined replies).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let decoder = RESPDecoder(limits: .agent)
    var start = 0
    while start < bytes.count {
        guard let (_, end) = try? decoder.decode(bytes, from: start) else { break }
        precondition(end > start && end <= bytes.count, "a value must end inside the input")
        start = end
    }
    return 0
}
