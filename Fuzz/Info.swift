import JoinLogic

/// Any `CLUSTER INFO` or `INFO replication` reply: parsed or refused, without a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? ClusterInfo(parsing: text)
    _ = try? ReplicationInfo(parsing: text)
    _ = InfoFields(parsing: text)
    return 0
}
