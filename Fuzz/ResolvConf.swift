import NodeFinder

/// Any resolv.conf: parsed, and the search candidates of a name computed, without a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let conf = ResolvConf.parse(text)
    for name in ["rc-shard0-0", "rc-shard0-0.rc.demo.svc.cluster.local", "a.b.", ""] {
        _ = conf.candidates(for: name)
    }
    return 0
}
