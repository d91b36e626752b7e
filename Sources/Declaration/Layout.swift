/// How pods are named and mapped to shards (docs/DESIGN.md, "Declared topology").
public enum Layout: String, Sendable, CaseIterable {
    /// One StatefulSet per shard, KubeDB style: `<name>-shard<s>-<j>`.
    case shards
    /// One StatefulSet, Bitnami style: `<name>-<k>`, shard `k mod M`, ordinal `k div M`.
    case ordinal
    /// An ordered host list (docker-compose, bare hosts), mapped like `ordinal` by position.
    case `static`
}
