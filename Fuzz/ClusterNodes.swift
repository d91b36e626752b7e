import JoinLogic

/// Any `CLUSTER NODES` reply: the whole reply parses or is refused, never half; every node parsed has
/// a 40-hex ID and exactly one is `myself`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let nodes = try? ClusterNode.parseAll(text) else { return 0 }
    precondition(nodes.filter(\.flags.myself).count == 1)
    precondition(nodes.allSatisfy { ClusterNode.isNodeID($0.id[...]) })
    return 0
}
