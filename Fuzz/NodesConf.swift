import JoinLogic

/// Any nodes.conf (and node-ID map): read, rewritten with every known name moved, and read back. The
/// rewrite changes only addresses: the line count and every line's other fields stay as they were; the
/// shard-ID reconciliation changes only shard IDs, once.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let conf = NodesConf(text: text)
    let map = NodeIDMap(text: text)
    precondition(NodeIDMap(text: map.text) == map, "the node-ID map must read back what it writes")
    let (rewritten, changes) = conf.rewritten { id, hostname in
        hostname ?? map.podName(of: id)
    } resolve: { _ in
        "198.18.7.7"
    }
    precondition(rewritten.lines.count == conf.lines.count, "a rewrite keeps every line")
    for (before, after) in zip(conf.lines, rewritten.lines) where before != after {
        let old = before.split(separator: " ", omittingEmptySubsequences: false)
        let new = after.split(separator: " ", omittingEmptySubsequences: false)
        precondition(old.count == new.count && old[0] == new[0] && old.dropFirst(2).elementsEqual(new.dropFirst(2)))
    }
    precondition(changes.count <= conf.lines.count)
    // Shard IDs: only `shard-id=` values change, and a reconciled file needs no more.
    let (reconciled, shardChanges) = conf.reconcilingShardIDs()
    precondition(reconciled.lines.count == conf.lines.count && shardChanges.count <= conf.lines.count)
    for (before, after) in zip(conf.lines, reconciled.lines) where before != after {
        let old = before.split(separator: ",", omittingEmptySubsequences: false)
        let new = after.split(separator: ",", omittingEmptySubsequences: false)
        precondition(old.count == new.count)
        for (a, b) in zip(old, new) where a != b { precondition(a.hasPrefix("shard-id=") && b.hasPrefix("shard-id=")) }
    }
    precondition(reconciled.reconcilingShardIDs().changes.isEmpty, "reconciling is idempotent")
    return 0
}
