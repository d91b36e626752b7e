/// One copy of each node ID and hostname across the views one check reads. Every view of a cluster names
/// the same nodes: the creator of a 50x1 cluster reads 50 views of 100 nodes, and without sharing it held
/// 5,000 copies of each kind of string, a third of its peak memory.
public final class StringPool {
    private var strings: Set<String> = []

    public init() {}

    /// The pooled copy of `text`, added on first sight.
    func share(_ text: Substring) -> String {
        let string = String(text)
        return strings.insert(string).memberAfterInsert
    }
}
