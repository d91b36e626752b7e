extension OptionSpec {
    private static let every = Set(Command.allCases)
    /// The commands that run the agent.
    private static let agents: Set<Command> = [.run, .sidecar, .rejoin]
    /// The commands that act on the local server.
    private static let local: Set<Command> = agents.union([.probe, .handover])
    /// The commands that look names up.
    private static let resolving: Set<Command> = [.run, .sidecar, .`init`, .rejoin, .handover, .peers, .status]

    /// Every option, in --help order (the README's options table lists the same).
    static let all: [OptionSpec] = [
        OptionSpec(
            flag: "--layout", placeholder: "shards|ordinal|static", defaultValue: .text("shards"), commands: every,
            help: "how pods are named and mapped to shards"),
        OptionSpec(
            flag: "--name", placeholder: "NAME", defaultValue: nil, commands: every,
            help: "the StatefulSet base name (shards: NAME-shard<s>-<j>, ordinal: NAME-<k>)"),
        OptionSpec(
            flag: "--service", placeholder: "NAME", defaultValue: .derived("--name"), commands: every,
            help: "the headless Service that gives pods their DNS names"),
        OptionSpec(
            flag: "--namespace", placeholder: "NAME", defaultValue: .text("default"), commands: every, help: "the Kubernetes namespace"),
        OptionSpec(
            flag: "--cluster-domain", placeholder: "DOMAIN", defaultValue: .text("cluster.local"), commands: every,
            help: "the cluster's DNS domain"),
        OptionSpec(
            flag: "--pod-name", placeholder: "NAME", defaultValue: .derived("$HOSTNAME"), commands: every,
            help: "this pod's name (static: its host as written in --peers)"),
        OptionSpec(flag: "--shards", placeholder: "M", defaultValue: nil, commands: every, help: "number of shards (masters), at least 3"),
        OptionSpec(flag: "--replicas", placeholder: "R", defaultValue: .integer(0), commands: every, help: "replicas per shard"),
        OptionSpec(
            flag: "--peers", placeholder: "HOST[:PORT],...", defaultValue: nil, commands: every,
            help: "static layout: every host in order (shard = index mod M)"),
        OptionSpec(flag: "--port", placeholder: "PORT", defaultValue: .integer(6379), commands: every, help: "the Redis port of every pod"),
        OptionSpec(
            flag: "--local-address", placeholder: "IP", defaultValue: .text("127.0.0.1"), commands: local,
            help: "where this pod's own server is reached"),
        OptionSpec(
            flag: "--nameserver", placeholder: "IP[:PORT]", defaultValue: .derived("resolv.conf"), commands: resolving,
            help: "DNS server to ask instead of resolv.conf's (its search list is kept)"),
        OptionSpec(
            flag: "--password-file", placeholder: "PATH", defaultValue: nil, commands: every,
            help: "file holding the password (or set REDIS_PASSWORD / REDISCLI_AUTH)"),
        OptionSpec(flag: "--user", placeholder: "NAME", defaultValue: nil, commands: every, help: "ACL user to authenticate as"),
        OptionSpec(
            flag: "--tls", placeholder: nil, defaultValue: nil, commands: every,
            help: "speak TLS to every server, checking its certificate against the CA and the pod's DNS name"),
        OptionSpec(
            flag: "--tls-ca-cert-file", placeholder: "PATH", defaultValue: nil, commands: every,
            help: "with --tls: the CA bundle every server's certificate must chain to (read for each connection)"),
        OptionSpec(
            flag: "--tls-cert-file", placeholder: "PATH", defaultValue: nil, commands: every,
            help: "with --tls: the client certificate, for servers with tls-auth-clients yes"),
        OptionSpec(
            flag: "--tls-key-file", placeholder: "PATH", defaultValue: nil, commands: every,
            help: "with --tls: the client certificate's key"),
        OptionSpec(
            flag: "--timeout", placeholder: "SECONDS", defaultValue: .seconds(2), commands: every,
            help: "deadline for each connection, command and DNS exchange"),
        OptionSpec(
            flag: "--interval", placeholder: "SECONDS", defaultValue: .seconds(5), commands: [.run, .sidecar],
            help: "pause between checks once the cluster is healthy"),
        OptionSpec(
            flag: "--log-format", placeholder: "text|json", defaultValue: .text("text"), commands: every,
            help: "log line format (logs go to stderr)"),
        OptionSpec(
            flag: "--nodes-conf", placeholder: "PATH",
            defaultValue: .derived("init: \(InitCommand.defaultNodesConf); others: ask the server"),
            commands: agents.union([.`init`, .handover]),
            help: "nodes.conf as this container sees it; the node-ID map is kept beside it"),
        OptionSpec(
            flag: "--sync-delay", placeholder: "SECONDS", defaultValue: .integer(5), commands: [.run],
            help: "the server's repl-diskless-sync-delay once its place in the cluster is settled (full syncs are held until then)"),
        OptionSpec(
            flag: "--failover-timeout", placeholder: "SECONDS", defaultValue: .seconds(60), commands: agents,
            help: "how long a wiped node waits for its shard's failover before it gives up (exit 3)"),
        OptionSpec(
            flag: "--handover-timeout", placeholder: "SECONDS", defaultValue: .seconds(10), commands: [.run, .handover],
            help: "how long a master about to stop waits for a replica of its shard to take its slots over (0: no handover)"),
        OptionSpec(
            flag: "--maxmemory-percent", placeholder: "PERCENT", defaultValue: .integer(75), commands: [.run],
            help:
                "set the server's maxmemory to this share of the container's memory limit when its configuration sets none (0: leave it alone)"
        ),
        OptionSpec(
            flag: "--install-to", placeholder: "DIR", defaultValue: nil, commands: [.`init`],
            help: "copy this binary into DIR (a volume shared with the redis container)"),
        OptionSpec(
            flag: "--auth-conf", placeholder: "PATH", defaultValue: nil, commands: [.`init`],
            help: "write the password as redis.conf lines (requirepass, masterauth) to PATH, mode 600, for redis.conf to include"),
        OptionSpec(
            flag: "--wait", placeholder: "SECONDS", defaultValue: .seconds(60), commands: [.rejoin],
            help: "how long to keep reconciling before giving up"),
        OptionSpec(
            flag: "--allow-slot-takeover", placeholder: nil, defaultValue: nil, commands: agents,
            help: "a wiped node may serve its shard's slots empty when no node can serve them again (their keys are lost)"),
        OptionSpec(
            flag: "--json", placeholder: nil, defaultValue: nil, commands: [.peers, .status], help: "print JSON instead of a table"),
        OptionSpec(
            flag: "--help", placeholder: nil, defaultValue: nil, commands: every, help: "show the help of the command given, or of all"),
        OptionSpec(flag: "--version", placeholder: nil, defaultValue: nil, commands: every, help: "print the version"),
    ]
}
