"""A nameserver in trouble, in front of the proving ground's real one (dnsmasq). Its mode is read from a
file at every query, so a scenario can change it while the agents run:

    forward    relay the query to the real server, over the transport it came on
    servfail   answer SERVFAIL
    nxdomain   answer NXDOMAIN (as a name not yet published is answered)
    truncate   over UDP, an empty answer with the TC bit; over TCP, relay (so only TCP gets answers)
    silent     drop the query
    garbage    answer with random bytes (and a datagram with the query's ID that is not DNS)

Every query is logged to LOG_FILE as "<mode> <transport> <name>".

    python3 troubled_dns.py LISTEN_ADDRESS UPSTREAM_ADDRESS MODE_FILE LOG_FILE
"""

import os
import socket
import struct
import sys
import threading


def read_mode(path):
    try:
        with open(path) as f:
            return f.read().strip() or "forward"
    except OSError:
        return "forward"


def question_name(query):
    labels, offset = [], 12
    while offset < len(query) and query[offset] != 0:
        length = query[offset]
        labels.append(query[offset + 1:offset + 1 + length].decode(errors="replace"))
        offset += 1 + length
    return ".".join(labels)


def header_only(query, rcode=0, truncated=False):
    """The query turned into a reply with no records: same ID and question, QR set, the given rcode."""
    ident, flags = struct.unpack("!HH", query[:4])
    flags = 0x8000 | (flags & 0x0100) | 0x0080 | rcode | (0x0200 if truncated else 0)
    end = 12
    while end < len(query) and query[end] != 0:
        end += 1 + query[end]
    question = query[12:end + 5]
    return struct.pack("!HHHHHH", ident, flags, 1, 0, 0, 0) + question


class Server:
    def __init__(self, listen, upstream, mode_file, log_file):
        self.listen, self.upstream, self.mode_file, self.log_file = listen, upstream, mode_file, log_file
        self.lock = threading.Lock()

    def log(self, mode, transport, query):
        with self.lock, open(self.log_file, "a") as f:
            f.write(f"{mode} {transport} {question_name(query)}\n")

    def reply(self, query, transport):
        """The bytes to send back, or None for silence."""
        mode = read_mode(self.mode_file)
        self.log(mode, transport, query)
        if len(query) < 12:
            return None
        if mode == "servfail":
            return header_only(query, rcode=2)
        if mode == "nxdomain":
            return header_only(query, rcode=3)
        if mode == "truncate" and transport == "udp":
            return header_only(query, truncated=True)
        if mode == "silent":
            return None
        if mode == "garbage":
            return query[:2] + os.urandom(30)
        return self.forward(query, transport)

    def forward(self, query, transport):
        if transport == "udp":
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.settimeout(2)
                s.sendto(query, (self.upstream, 53))
                return s.recv(65535)
        with socket.create_connection((self.upstream, 53), timeout=2) as s:
            s.sendall(struct.pack("!H", len(query)) + query)
            length = struct.unpack("!H", receive(s, 2))[0]
            return receive(s, length)

    def serve_udp(self):
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind((self.listen, 53))
        while True:
            query, client = sock.recvfrom(65535)
            threading.Thread(target=self.answer_udp, args=(sock, query, client), daemon=True).start()

    def answer_udp(self, sock, query, client):
        try:
            answer = self.reply(query, "udp")
            if answer is not None:
                sock.sendto(answer, client)
        except OSError:
            pass

    def serve_tcp(self):
        listener = socket.create_server((self.listen, 53))
        while True:
            connection, _ = listener.accept()
            threading.Thread(target=self.answer_tcp, args=(connection,), daemon=True).start()

    def answer_tcp(self, connection):
        with connection:
            try:
                connection.settimeout(5)
                length = struct.unpack("!H", receive(connection, 2))[0]
                answer = self.reply(receive(connection, length), "tcp")
                if answer is not None:
                    connection.sendall(struct.pack("!H", len(answer)) + answer)
            except (OSError, struct.error):
                pass


def receive(sock, count):
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise OSError("closed")
        data += chunk
    return data


def main():
    server = Server(*sys.argv[1:5])
    threading.Thread(target=server.serve_tcp, daemon=True).start()
    server.serve_udp()


if __name__ == "__main__":
    main()
