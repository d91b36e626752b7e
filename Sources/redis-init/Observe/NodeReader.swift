import JoinLogic
import Platform
import RESPClient

/// Reads one node's view over a connection: the four replies the planner needs.
enum NodeReader {
    /// What went wrong reading a node, worded for a progress line.
    enum ReadError: Error, CustomStringConvertible {
        case client(RedisClientError)
        case parse(ObservationParseError)
        case clusterDisabled(Endpoint)

        var description: String {
            switch self {
            case .client(let error): return error.description
            case .parse(let error): return error.description
            case .clusterDisabled(let endpoint):
                return "\(endpoint) runs without cluster mode; start redis-server with 'cluster-enabled yes' (redis-init run adds it)"
            }
        }
    }

    /// The replies come in one round trip: a server busy forming a large cluster answers each
    /// round trip late, and an agent reads up to three views a pass.
    static func read(_ connection: RedisConnection, withReplication: Bool, pool: StringPool = StringPool()) throws(ReadError) -> NodeView {
        var requests = [["CLUSTER", "NODES"], ["CLUSTER", "INFO"], ["DBSIZE"]]
        if withReplication { requests.append(["INFO", "replication"]) }
        do {
            let replies: [RESPValue]
            do {
                replies = try connection.commands(requests)
            } catch {
                if let message = error.serverMessage, message.contains("cluster support disabled") {
                    throw ReadError.clusterDisabled(connection.endpoint)
                }
                throw error
            }
            func text(_ index: Int) throws(ReadError) -> String {
                guard let text = replies[index].text else {
                    throw .parse(ObservationParseError(what: requests[index].joined(separator: " "), text: "not text: \(replies[index])"))
                }
                return text
            }
            let nodes = try ClusterNode.parseAll(try text(0), pool: pool)
            let info = try ClusterInfo(parsing: try text(1))
            guard case .integer(let keys) = replies[2] else {
                throw ReadError.parse(ObservationParseError(what: "DBSIZE", text: "not an integer"))
            }
            let replication = withReplication ? try ReplicationInfo(parsing: try text(3)) : nil
            return NodeView(endpoint: connection.endpoint, nodes: nodes, info: info, keyCount: Int(keys), replication: replication)
        } catch let error as ReadError {
            throw error
        } catch let error as RedisClientError {
            throw .client(error)
        } catch let error as ObservationParseError {
            throw .parse(error)
        } catch {
            fatalError("unreachable: \(error)")
        }
    }
}
