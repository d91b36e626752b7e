/// Bounds that keep a hostile or broken peer from making the decoder allocate without limit.
public struct RESPLimits: Sendable {
    /// The longest bulk string accepted.
    public var maxBulkLength: Int
    /// The most elements in one array, set, push or map (pairs count twice).
    public var maxAggregateCount: Int
    /// The deepest nesting of aggregates.
    public var maxDepth: Int
    /// The longest line (simple string, error, number) before CRLF.
    public var maxLineLength: Int

    /// Sets every bound.
    public init(maxBulkLength: Int, maxAggregateCount: Int, maxDepth: Int, maxLineLength: Int) {
        self.maxBulkLength = maxBulkLength
        self.maxAggregateCount = maxAggregateCount
        self.maxDepth = maxDepth
        self.maxLineLength = maxLineLength
    }

    /// Sized for the replies the agent reads: `CLUSTER NODES` of a 1000-node cluster is about 200 KB.
    public static let agent = RESPLimits(
        maxBulkLength: 16 << 20, maxAggregateCount: 1 << 20, maxDepth: 32, maxLineLength: 64 << 10)
}
