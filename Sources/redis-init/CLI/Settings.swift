import Declaration
import NodeFinder
import Platform
import RESPClient
import TLS

/// Everything a command needs, validated: the declaration, who this pod is, how to reach servers.
struct Settings: Sendable {
    let topology: Topology
    /// This pod, when the command acts for one (`run`, `sidecar`); nil for `peers` and `status` from outside.
    let me: PodIdentity?
    /// This pod's name when it belongs to the same StatefulSets but the declaration does not name it (a
    /// shrunk declaration); only `run` accepts it (`allowsUndeclaredPod`), and `me` is nil then.
    let undeclaredPod: String?
    let localEndpoint: Endpoint
    let nameserver: Endpoint?
    let credentials: RedisCredentials?
    /// With `--tls`: the files every connection reads.
    let tls: TLSFiles?
    let timeout: Double
    let interval: Double
    let log: Log
    let json: Bool
    let allowSlotTakeover: Bool
    /// How long a wiped node waits for its shard's failover before it gives up (`--failover-timeout`).
    let failoverTimeout: Double
    /// How long a master about to stop waits for a replica to take its slots over (`--handover-timeout`).
    let handoverTimeout: Double
    /// `run`'s maxmemory as a share of the container's memory limit; 0 leaves it alone (`--maxmemory-percent`).
    let maxMemoryPercent: Int
    /// The server's repl-diskless-sync-delay once its place is settled (`--sync-delay`).
    let syncDelay: String
    /// nodes.conf as this process sees it, when given (`--nodes-conf`); else the server is asked.
    let nodesConf: String?

    /// Validates option values. `needsPod` makes --pod-name required and checked against the declaration;
    /// `allowsUndeclaredPod` lets a pod of the same StatefulSets beyond it through, as `undeclaredPod`.
    init(
        _ arguments: ParsedArguments, needsPod: Bool, allowsUndeclaredPod: Bool = false, environment: (String) -> String?
    ) throws(Failure) {
        let values = arguments.values
        let logFormat = Log.Format(rawValue: arguments.value("--log-format")!)
        guard let logFormat else { throw .usage("--log-format must be text or json") }
        guard let layout = Layout(rawValue: arguments.value("--layout")!) else {
            throw .usage("--layout must be one of shards, ordinal, static")
        }
        guard let shardText = values["--shards"] else { throw .usage("--shards is required (the number of masters, at least 3)") }
        let shards = try Settings.integer(shardText, flag: "--shards")
        let replicas = try Settings.integer(arguments.value("--replicas")!, flag: "--replicas")
        let port = try Settings.port(arguments.value("--port")!, flag: "--port")
        let peers = (values["--peers"] ?? "").split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
        do {
            topology = try Topology(
                layout: layout, name: values["--name"] ?? "", service: values["--service"],
                namespace: arguments.value("--namespace")!, clusterDomain: arguments.value("--cluster-domain")!,
                shards: shards, replicas: replicas, port: port, peers: peers)
        } catch {
            throw .configuration(error.description)
        }

        let podName = values["--pod-name"] ?? environment("HOSTNAME")
        let declaration = topology
        undeclaredPod = podName.flatMap { allowsUndeclaredPod && declaration.isUndeclaredPodName($0) ? $0 : nil }
        if undeclaredPod != nil {
            me = nil
        } else if needsPod {
            guard let podName, !podName.isEmpty else { throw .usage("--pod-name is required (or set HOSTNAME)") }
            guard let pod = topology.pod(named: podName) else {
                let example = topology.pods.prefix(2).map(\.name).joined(separator: ", ")
                throw .configuration(
                    "pod '\(podName)' is not part of the declared \(layout.rawValue) layout (expected names like \(example), ...); "
                        + "check --name, --shards, --replicas and --pod-name")
            }
            me = pod
        } else if let podName {
            me = topology.pod(named: podName)
        } else {
            me = nil
        }

        let localText = arguments.value("--local-address")!
        guard let localAddress = IPAddress(localText) else { throw .usage("--local-address '\(localText)' is not an IP address") }
        localEndpoint = Endpoint(localAddress, me.map(\.port) ?? port)
        if let text = values["--nameserver"] {
            guard let endpoint = Endpoint(parsing: text, defaultPort: 53) else { throw .usage("--nameserver '\(text)' is not IP[:PORT]") }
            nameserver = endpoint
        } else {
            nameserver = nil
        }
        timeout = try Settings.seconds(arguments.value("--timeout")!, flag: "--timeout")
        interval = try Settings.seconds(arguments.value("--interval")!, flag: "--interval")
        log = Log(format: logFormat, pod: me?.name ?? undeclaredPod ?? "-")
        json = arguments.isOn("--json")
        allowSlotTakeover = arguments.isOn("--allow-slot-takeover")
        failoverTimeout = try Settings.seconds(arguments.value("--failover-timeout")!, flag: "--failover-timeout")
        let handover = arguments.value("--handover-timeout")!
        handoverTimeout = handover.trimmingSpaces == "0" ? 0 : try Settings.seconds(handover, flag: "--handover-timeout")
        nodesConf = values["--nodes-conf"]
        maxMemoryPercent = try Settings.integer(arguments.value("--maxmemory-percent")!, flag: "--maxmemory-percent")
        guard (0...100).contains(maxMemoryPercent) else {
            throw .usage("--maxmemory-percent '\(maxMemoryPercent)' is not a percentage (0 to leave maxmemory alone, up to 100)")
        }
        let syncDelay = try Settings.integer(arguments.value("--sync-delay")!, flag: "--sync-delay")
        guard syncDelay >= 0 else { throw .usage("--sync-delay '\(syncDelay)' is not a number of seconds (0 or more)") }
        self.syncDelay = String(syncDelay)
        credentials = try Settings.credentials(values, environment: environment, log: log)
        tls = try Settings.tls(arguments, log: log)
    }

    /// How every command reaches a server.
    var access: ServerAccess { ServerAccess(timeout: timeout, credentials: credentials, tls: tls) }

    /// The local server's pod's DNS name, which its certificate must carry: this pod's, declared or not.
    var localHost: String? {
        me?.host ?? undeclaredPod.flatMap { topology.undeclaredPod(named: $0)?.host }
    }

    /// The TLS files, checked now so that a bad one stops the command at once, naming it (exit 2).
    static func tls(_ arguments: ParsedArguments, log: Log) throws(Failure) -> TLSFiles? {
        let values = arguments.values
        let given = ["--tls-ca-cert-file", "--tls-cert-file", "--tls-key-file"].filter { values[$0] != nil }
        guard arguments.isOn("--tls") else {
            if let first = given.first { throw .usage("\(first) is set but --tls is not") }
            return nil
        }
        guard let ca = values["--tls-ca-cert-file"] else {
            throw .usage("--tls needs --tls-ca-cert-file: the CA bundle that signed the servers' certificates")
        }
        let files = TLSFiles(caCertFile: ca, certFile: values["--tls-cert-file"], keyFile: values["--tls-key-file"])
        do {
            _ = try files.load()
        } catch {
            throw .configuration(error.description)
        }
        if let key = files.keyFile, let mode = Files.mode(of: key), mode & 0o004 != 0 {
            log.warning("the TLS key file \(key) is readable by every user; chmod 600 or 640 it")
        }
        return files
    }

    /// The password from --password-file, REDIS_PASSWORD or REDISCLI_AUTH, in that order; never argv.
    static func credentials(_ values: [String: String], environment: (String) -> String?, log: Log) throws(Failure) -> RedisCredentials? {
        let user = values["--user"].flatMap { $0.isEmpty ? nil : $0 }
        var password: String? = nil
        if let path = values["--password-file"] {
            do {
                password = String(decoding: try Files.read(path, limit: 4096), as: UTF8.self)
            } catch {
                throw .configuration("cannot read the password file: \(error); check --password-file")
            }
            while let last = password?.last, last == "\n" || last == "\r" { password?.removeLast() }
            if let mode = Files.mode(of: path), mode & 0o004 != 0 {
                log.warning("the password file \(path) is readable by every user; chmod 600 or 640 it")
            }
        } else {
            password = environment("REDIS_PASSWORD") ?? environment("REDISCLI_AUTH")
        }
        guard let password, !password.isEmpty else {
            if user != nil { throw .configuration("--user is set but no password was given (--password-file, REDIS_PASSWORD)") }
            return nil
        }
        return RedisCredentials(user: user, password: password)
    }

    static func integer(_ text: String, flag: String) throws(Failure) -> Int {
        guard let value = Int(text.trimmingSpaces) else { throw .usage("\(flag) '\(text)' is not a whole number") }
        return value
    }

    static func port(_ text: String, flag: String) throws(Failure) -> UInt16 {
        guard let value = UInt16(text.trimmingSpaces), value > 0 else { throw .usage("\(flag) '\(text)' is not a port (1-65535)") }
        return value
    }

    static func seconds(_ text: String, flag: String) throws(Failure) -> Double {
        guard let value = Double(text.trimmingSpaces), value > 0, value < 86400 else {
            throw .usage("\(flag) '\(text)' is not a number of seconds")
        }
        return value
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let scalars = unicodeScalars.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed()
        return String(String.UnicodeScalarView(scalars))
    }
}
