/// `--help`: generated from the option table, so it cannot drift from what the parser accepts.
enum Help {
    static let commands: [(String, String)] = [
        ("run [options] -- redis-server [args...]", "start the server with cluster mode, form or join the cluster, keep it healed; exits with the server's status"),
        ("sidecar [options]", "the same against a server that is already running in this pod"),
        ("init [options] [--nodes-conf PATH] [--install-to DIR]", "before the server starts: refresh nodes.conf addresses from DNS (atomic, backup kept); copy this binary"),
        ("rejoin [options] [--wait SECONDS]", "reconcile the local node until it is converged, then exit (for a human after an incident)"),
        ("peers [options] [--json]", "every declared pod with its shard, ordinal, role and resolved address"),
        ("status [options] [--json]", "the cluster against the declaration; exit 0 healthy, 1 degraded, 2 usage error"),
        ("probe liveness|readiness [options]", "for the kubelet, from the local server alone: liveness = it answers; readiness = it serves its shard in a healthy cluster (exit 0 yes, 1 no)"),
    ]

    static var text: String {
        var lines = [
            "redis-init: forms and heals a Redis Cluster on Kubernetes from the headless Service's DNS alone.",
            "",
            "Usage:",
        ]
        lines += commands.map { "  redis-init \($0.0)\n      \($0.1)" }
        lines += ["", "Options (each also read from the environment variable shown; a flag wins):"]
        for spec in OptionSpec.all {
            let flag = spec.placeholder.map { "\(spec.flag) \($0)" } ?? spec.flag
            let defaultText = spec.defaultText.map { " [default: \($0)]" } ?? ""
            lines.append("  \(flag)\n      \(spec.help)\(defaultText)  (\(spec.environmentName))")
        }
        lines += [
            "",
            "The password is never taken from the command line: use --password-file, REDIS_PASSWORD or REDISCLI_AUTH.",
            "",
            "Exit codes: 0 ok; 1 degraded (status) or unresolved peers (peers); 2 usage or configuration error;",
            "3 refused (acting would lose data or merge clusters); 4 authentication failed;",
            "127 the server program could not be started;",
            "run: otherwise the server's own exit status (128 + signal when killed).",
        ]
        return lines.joined(separator: "\n")
    }
}
