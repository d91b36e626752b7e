import NodeFinder

/// Any /etc/hosts: parsed and looked up without a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let hosts = HostsFile.parse(text)
    for name in ["localhost", "rc-shard0-0", "rc-shard0-0.rc.demo.svc.cluster.local"] {
        _ = hosts.addresses(for: name)
    }
    return 0
}
