import Platform

/// A stub resolver of our own: a static glibc binary cannot use getaddrinfo in a scratch image,
/// so the agent reads resolv.conf and /etc/hosts itself and speaks DNS over UDP, falling back to
/// TCP when an answer is truncated.
public struct Resolver: Sendable {
    /// Servers, search list and timing.
    public let config: ResolvConf
    /// Static names, consulted first.
    public let hosts: HostsFile

    /// A resolver from explicit configuration.
    public init(config: ResolvConf, hosts: HostsFile) {
        self.config = config
        self.hosts = hosts
    }

    /// A resolver from the system files; `nameserver` (from --nameserver) replaces resolv.conf's servers
    /// but keeps its search list; `maxTimeout` caps resolv.conf's per-query timeout (glibc's default of
    /// 5 s is long for an agent that polls). Missing files mean defaults, as in glibc.
    public static func system(
        nameserver: Endpoint? = nil, maxTimeout: Double? = nil, resolvConfPath: String = "/etc/resolv.conf",
        hostsPath: String = "/etc/hosts"
    ) -> Resolver {
        var config = ResolvConf.parse((try? Files.readText(resolvConfPath)) ?? "")
        if let nameserver { config.nameservers = [nameserver] }
        if let maxTimeout { config.timeout = min(config.timeout, maxTimeout) }
        let hosts = HostsFile.parse((try? Files.readText(hostsPath)) ?? "")
        return Resolver(config: config, hosts: hosts)
    }

    /// The addresses of `name`: a literal IP as itself, then /etc/hosts, then DNS (A, then AAAA).
    public func addresses(of name: String) -> Result<[IPAddress], ResolveError> {
        if let literal = IPAddress(name) { return .success([literal]) }
        let fromHosts = hosts.addresses(for: name)
        if !fromHosts.isEmpty { return .success(fromHosts) }
        return search(name) { candidate -> Result<[IPAddress], ResolveError>? in
            for type in [DNSRecordType.a, .aaaa] {
                switch lookup(candidate, type: type) {
                case .success(let answer):
                    let found = answer.records.compactMap { record -> IPAddress? in
                        if case .address(let address) = record.data { return address }
                        return nil
                    }
                    if !found.isEmpty { return .success(found) }
                    // NXDOMAIN is about the name, whatever the type: no AAAA either.
                    if answer.nameMissing { return nil }
                case .failure(let error):
                    return .failure(error)
                }
            }
            return nil
        }
    }

    /// The SRV records of `name` (e.g. `_redis._tcp.rc.default.svc.cluster.local`).
    public func serviceRecords(of name: String) -> Result<[SRVRecord], ResolveError> {
        search(name) { candidate -> Result<[SRVRecord], ResolveError>? in
            switch lookup(candidate, type: .srv) {
            case .success(let answer):
                let found = answer.records.compactMap { record -> SRVRecord? in
                    if case .srv(let srv) = record.data { return srv }
                    return nil
                }
                return found.isEmpty ? nil : .success(found)
            case .failure(let error):
                return .failure(error)
            }
        }
    }

    /// Tries each candidate name until one answers; `attempt` returns nil for "no such name or no
    /// records", a failure for a server problem. A server problem ends the search: the next candidates
    /// would go to the same silent servers, and an agent that polls must not spend minutes on one name.
    private func search<T>(_ name: String, _ attempt: (String) -> Result<T, ResolveError>?) -> Result<T, ResolveError> {
        for candidate in config.candidates(for: name) {
            switch attempt(candidate) {
            case .success(let value)?: return .success(value)
            case .failure(let error)?: return .failure(error)
            case nil: continue
            }
        }
        return .failure(.notFound(name: name.hasSuffix(".") ? String(name.dropLast()) : name))
    }

    /// The records of one name and type; `nameMissing` when the server said NXDOMAIN.
    private struct Answer {
        let records: [DNSRecord]
        let nameMissing: Bool
    }

    /// One absolute name and type: NXDOMAIN and empty answers give no records.
    private func lookup(_ name: String, type: DNSRecordType) -> Result<Answer, ResolveError> {
        let id = UInt16.random(in: 0...UInt16.max)
        let query: [UInt8]
        do {
            query = try DNSMessage.query(id: id, name: name, type: type)
        } catch {
            return .failure(.invalidName(name))
        }
        var problems: [String] = []
        for _ in 0..<config.attempts {
            for server in config.nameservers {
                do {
                    var message = try exchangeUDP(query, id: id, with: server)
                    if message.isTruncated { message = try exchangeTCP(query, id: id, with: server) }
                    switch message.responseCode {
                    case DNSMessage.ResponseCode.noError, DNSMessage.ResponseCode.nameError:
                        let records = message.answers.filter { record in
                            switch (record.data, type) {
                            case (.address(let address), .a): return !address.isIPv6
                            case (.address(let address), .aaaa): return address.isIPv6
                            case (.srv, .srv): return true
                            default: return false
                            }
                        }
                        return .success(Answer(records: records, nameMissing: message.responseCode == DNSMessage.ResponseCode.nameError))
                    default:
                        problems.append("\(server.address) answered \(DNSMessage.ResponseCode.name(message.responseCode))")
                    }
                } catch let error as SocketError {
                    problems.append(error.description)
                } catch {
                    problems.append("\(server.address): \(error)")
                }
            }
        }
        let detail = Array(Set(problems)).sorted().prefix(3).joined(separator: "; ")
        return .failure(.serverFailure(name: name, detail: detail))
    }

    private func exchangeUDP(_ query: [UInt8], id: UInt16, with server: Endpoint) throws -> DNSMessage {
        let socket = try Socket.connectUDP(to: server)
        let deadline = Deadline.after(seconds: config.timeout)
        try socket.write(query, deadline: deadline)
        var rejected = 0
        while true {
            // Replies with another ID are stale or forged, others may be junk: keep listening until the deadline.
            let reply: [UInt8]
            do {
                reply = try socket.read(limit: 65535, deadline: deadline)
            } catch {
                guard rejected > 0, case .timedOut = error else { throw error }
                throw UnusableReplies(server: server, count: rejected)
            }
            guard let message = try? DNSMessage.parse(reply), message.isResponse, message.id == id else {
                rejected += 1
                continue
            }
            return message
        }
    }

    /// A server that answered only with datagrams that are not a reply to the query.
    private struct UnusableReplies: Error, CustomStringConvertible {
        let server: Endpoint
        let count: Int
        var description: String { "\(server.address) sent \(count) malformed or mismatched replies and no answer" }
    }

    private func exchangeTCP(_ query: [UInt8], id: UInt16, with server: Endpoint) throws -> DNSMessage {
        let deadline = Deadline.after(seconds: config.timeout)
        let socket = try Socket.connectTCP(to: server, deadline: deadline)
        try socket.write([UInt8(query.count >> 8), UInt8(query.count & 0xFF)] + query, deadline: deadline)
        var received: [UInt8] = []
        while received.count < 2 || received.count < 2 + (Int(received[0]) << 8 | Int(received[1])) {
            received += try socket.read(limit: 65537, deadline: deadline)
        }
        let length = Int(received[0]) << 8 | Int(received[1])
        let message = try DNSMessage.parse(Array(received[2..<2 + length]))
        guard message.isResponse, message.id == id else { throw DNSMessageError.truncated(offset: 0) }
        return message
    }
}
