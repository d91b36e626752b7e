"""A "redis-server" that is not one: it listens on a pod's port and answers every connection in one hostile
way. It records what each connection sent it and how long the connection stayed open, so a scenario can
prove that an agent gave up in time and never sent a command that changes a cluster to it.

    python3 impostor.py MODE RECORD_FILE [PORT]
"""

import select
import socket
import sys
import threading
import time

CHUNK = 64 * 1024
# What each mode sends, as a function of the connection: a list of (bytes, pause after) steps, then the
# connection is held open silently until the client leaves.
MODES = {
    # Not RESP at all: the first line of an HTTP error.
    "junk": lambda: [(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", 0)],
    # A bulk string of 10^14 bytes, then bytes for as long as the client reads.
    "huge-bulk": lambda: [(b"$100000000000000\r\n", 0)] + [(b"x" * CHUNK, 0)] * 256,
    # An array nested a million deep.
    "deep-nesting": lambda: [(b"*1\r\n" * 1_000_000 + b":1\r\n", 0)],
    # A length below -1.
    "negative-length": lambda: [(b"$-5\r\nhello\r\n", 0)],
    # A simple string with no CRLF for 16 MiB.
    "no-crlf": lambda: [(b"+", 0)] + [(b"A" * CHUNK, 0)] * 256,
    # A plausible reply, one byte a second.
    "drip": lambda: [(bytes([byte]), 1.0) for byte in b"$40\r\n" + b"0" * 40 + b"\r\n"],
    # Nothing at all.
    "silent": list,
}


def serve(connection, peer, mode, record, lock):
    opened = time.monotonic()
    received = bytearray()
    connection.settimeout(10)
    try:
        for data, pause in MODES[mode]():
            if not drain(connection, received):
                break
            connection.sendall(data)
            time.sleep(pause)
        while drain(connection, received):
            time.sleep(0.05)
    except OSError:
        pass
    finally:
        connection.close()
        with lock, open(record, "a") as f:
            words = received.decode(errors="replace").replace("\r\n", " ").replace("\n", " ")
            f.write(f"{peer[0]} {time.monotonic() - opened:.3f} {words[:2000]}\n")


def drain(connection, received):
    """Reads what the client sent so far; False once the client has closed the connection."""
    readable, _, _ = select.select([connection], [], [], 0.05)
    if not readable:
        return True
    data = connection.recv(CHUNK)
    if not data:
        return False
    received.extend(data)
    return True


def main():
    mode, record = sys.argv[1], sys.argv[2]
    port = int(sys.argv[3]) if len(sys.argv) > 3 else 6379
    if mode not in MODES:
        sys.exit(f"unknown mode {mode}; one of {sorted(MODES)}")
    listener = socket.create_server(("0.0.0.0", port), reuse_port=False)
    lock = threading.Lock()
    while True:
        connection, peer = listener.accept()
        threading.Thread(target=serve, args=(connection, peer, mode, record, lock), daemon=True).start()


if __name__ == "__main__":
    main()
