import JoinLogic

/// Any `CLUSTER NODES` reply: the whole reply parses or is refused, never half; every node parsed has
/// a 40-hex ID and exactly one is `myself`; every open slot is a slot and names a node ID.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let nodes = try? ClusterNode.parseAll(text) else { return 0 }
    precondition(nodes.filter(\.flags.myself).count == 1)
    precondition(nodes.allSatisfy { ClusterNode.isNodeID($0.id[...]) })
    for node in nodes {
        for (slot, peer) in node.migrating.merging(node.importing, uniquingKeysWith: { first, _ in first }) {
            precondition((0..<16384).contains(slot) && ClusterNode.isNodeID(peer[...]))
        }
    }
    return 0
}
