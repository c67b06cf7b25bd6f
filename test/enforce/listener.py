"""One pod's listeners: every TCP and UDP port given, in one process (a selectors loop).

Usage: python3 listener.py '{"tcp": [443, ...], "udp": [53, ...]}'
TCP: accept and close. UDP: answer each datagram with b"ok" (so an open UDP probe proves both directions).
A single process, not socat's fork mode: a lingering child sharing the socket swallows the next datagram.
Prints READY once every port is bound; a port it cannot bind is an error on stderr and exit code 2.
"""
import json
import selectors
import socket
import sys


def main() -> None:
    ports = json.loads(sys.argv[1])
    sel = selectors.DefaultSelector()
    for proto, kind in (("tcp", socket.SOCK_STREAM), ("udp", socket.SOCK_DGRAM)):
        for port in ports.get(proto, []):
            s = socket.socket(socket.AF_INET, kind)
            try:
                s.bind(("0.0.0.0", port))
            except OSError as e:
                print(f"cannot bind {proto.upper()}/{port}: {e}", file=sys.stderr, flush=True)
                sys.exit(2)
            if kind == socket.SOCK_STREAM:
                s.listen(128)
            s.setblocking(False)
            sel.register(s, selectors.EVENT_READ, kind)
    print("READY", flush=True)
    while True:
        for key, _ in sel.select():
            s = key.fileobj
            try:
                if key.data == socket.SOCK_STREAM:
                    conn, _ = s.accept()
                    conn.close()
                else:
                    _, peer = s.recvfrom(2048)
                    s.sendto(b"ok", peer)
            except (BlockingIOError, ConnectionError):
                pass


if __name__ == "__main__":
    main()
