/// One command-line option. Every option has an environment twin, `REDIS_INIT_<FLAG>`, so a
/// Kubernetes manifest can set it either way; a flag given on the command line wins.
struct OptionSpec: Sendable {
    /// `--shards`
    let flag: String
    /// What the value looks like in --help; nil for a switch.
    let placeholder: String?
    /// The default, as shown in --help.
    let defaultText: String?
    /// One line of help.
    let help: String

    /// `REDIS_INIT_SHARDS` for `--shards`.
    var environmentName: String {
        "REDIS_INIT_" + String(flag.dropFirst(2)).uppercased().map { $0 == "-" ? "_" : $0 }.map(String.init).joined()
    }

    var isSwitch: Bool { placeholder == nil }

    /// Every option, in --help order.
    static let all: [OptionSpec] = [
        OptionSpec(flag: "--layout", placeholder: "shards|ordinal|static", defaultText: "shards", help: "how pods are named and mapped to shards"),
        OptionSpec(flag: "--name", placeholder: "NAME", defaultText: nil, help: "the StatefulSet base name (shards: NAME-shard<s>-<j>, ordinal: NAME-<k>)"),
        OptionSpec(flag: "--service", placeholder: "NAME", defaultText: "--name", help: "the headless Service that gives pods their DNS names"),
        OptionSpec(flag: "--namespace", placeholder: "NAME", defaultText: "default", help: "the Kubernetes namespace"),
        OptionSpec(flag: "--cluster-domain", placeholder: "DOMAIN", defaultText: "cluster.local", help: "the cluster's DNS domain"),
        OptionSpec(flag: "--pod-name", placeholder: "NAME", defaultText: "$HOSTNAME", help: "this pod's name (static: its host as written in --peers)"),
        OptionSpec(flag: "--shards", placeholder: "M", defaultText: nil, help: "number of shards (masters), at least 3"),
        OptionSpec(flag: "--replicas", placeholder: "R", defaultText: "0", help: "replicas per shard"),
        OptionSpec(flag: "--peers", placeholder: "HOST[:PORT],...", defaultText: nil, help: "static layout: every host in order (shard = index mod M)"),
        OptionSpec(flag: "--port", placeholder: "PORT", defaultText: "6379", help: "the Redis port of every pod"),
        OptionSpec(flag: "--local-address", placeholder: "IP", defaultText: "127.0.0.1", help: "where this pod's own server is reached"),
        OptionSpec(flag: "--nameserver", placeholder: "IP[:PORT]", defaultText: "resolv.conf", help: "DNS server to ask instead of resolv.conf's (its search list is kept)"),
        OptionSpec(flag: "--password-file", placeholder: "PATH", defaultText: nil, help: "file holding the password (or set REDIS_PASSWORD / REDISCLI_AUTH)"),
        OptionSpec(flag: "--user", placeholder: "NAME", defaultText: nil, help: "ACL user to authenticate as"),
        OptionSpec(flag: "--timeout", placeholder: "SECONDS", defaultText: "2", help: "deadline for each connection, command and DNS exchange"),
        OptionSpec(flag: "--interval", placeholder: "SECONDS", defaultText: "5", help: "run/sidecar: pause between checks once the cluster is healthy"),
        OptionSpec(flag: "--log-format", placeholder: "text|json", defaultText: "text", help: "log line format (logs go to stderr)"),
        OptionSpec(flag: "--nodes-conf", placeholder: "PATH", defaultText: "/data/nodes.conf", help: "nodes.conf as this container sees it (run/sidecar: default, ask the server); the node-ID map is kept beside it"),
        OptionSpec(flag: "--sync-delay", placeholder: "SECONDS", defaultText: "5", help: "run: the server's repl-diskless-sync-delay once its place in the cluster is settled (full syncs are held until then)"),
        OptionSpec(flag: "--failover-timeout", placeholder: "SECONDS", defaultText: "60", help: "how long a wiped node waits for its shard's failover before it gives up (exit 3)"),
        OptionSpec(flag: "--install-to", placeholder: "DIR", defaultText: nil, help: "init: copy this binary into DIR (a volume shared with the redis container)"),
        OptionSpec(flag: "--auth-conf", placeholder: "PATH", defaultText: nil, help: "init: write the password as redis.conf lines (requirepass, masterauth) to PATH, mode 600, for redis.conf to include"),
        OptionSpec(flag: "--wait", placeholder: "SECONDS", defaultText: "60", help: "rejoin: how long to keep reconciling before giving up"),
        OptionSpec(flag: "--allow-slot-takeover", placeholder: nil, defaultText: nil, help: "a wiped node may serve its shard's slots empty when no node can serve them again (their keys are lost)"),
        OptionSpec(flag: "--json", placeholder: nil, defaultText: nil, help: "peers/status: print JSON instead of a table"),
        OptionSpec(flag: "--help", placeholder: nil, defaultText: nil, help: "show this help"),
    ]
}
