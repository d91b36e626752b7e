import NodeFinder

/// Any datagram from a nameserver: parsed or refused with an error, never a trap or a loop
/// (compression pointers included).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? DNSMessage.parse(bytes)
    return 0
}
