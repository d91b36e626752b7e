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

    static func read(_ connection: RedisConnection, withReplication: Bool, pool: StringPool = StringPool()) throws(ReadError) -> NodeView {
        do {
            let nodesText: String
            do {
                nodesText = try connection.text("CLUSTER", "NODES")
            } catch {
                if let message = error.serverMessage, message.contains("cluster support disabled") {
                    throw ReadError.clusterDisabled(connection.endpoint)
                }
                throw error
            }
            let nodes = try ClusterNode.parseAll(nodesText, pool: pool)
            let info = try ClusterInfo(parsing: try connection.text("CLUSTER", "INFO"))
            guard case .integer(let keys) = try connection.command("DBSIZE") else {
                throw ReadError.parse(ObservationParseError(what: "DBSIZE", text: "not an integer"))
            }
            let replication = withReplication ? try ReplicationInfo(parsing: try connection.text("INFO", "replication")) : nil
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
