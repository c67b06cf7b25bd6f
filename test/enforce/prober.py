"""Probes from one network namespace: real TCP connects and UDP request/replies, in parallel.

Input (stdin): {"timeout": 1.5, "probes": [["10.244.1.11", "TCP", 443], ...]}
Output (stdout): a JSON list of states in input order:
  "open"     TCP connected / UDP got the reply
  "refused"  ECONNREFUSED (a policy REJECT, or no listener)
  "timeout"  nothing within the timeout (a DROP; for UDP, no reply to any of 3 datagrams)
  "error:<errno>" anything else (e.g. no route)
"""
import errno
import json
import socket
import sys
from concurrent.futures import ThreadPoolExecutor

UDP_ATTEMPTS = 3


def probe(ip: str, proto: str, port: int, timeout: float) -> str:
    kind = socket.SOCK_STREAM if proto == "TCP" else socket.SOCK_DGRAM
    s = socket.socket(socket.AF_INET, kind)
    s.settimeout(timeout)
    try:
        s.connect((ip, port))
        if kind == socket.SOCK_DGRAM:
            # The kernel retransmits a TCP SYN but never a datagram: a datagram queued behind an unresolved
            # neighbour (the first packets to a new address) can be lost, so a silent UDP probe is sent again.
            for attempt in range(UDP_ATTEMPTS):
                s.send(b"probe")
                try:
                    s.recv(16)
                    break
                except socket.timeout:
                    if attempt == UDP_ATTEMPTS - 1:
                        raise
        return "open"
    except ConnectionRefusedError:
        return "refused"
    except socket.timeout:
        return "timeout"
    except OSError as e:
        return f"error:{errno.errorcode.get(e.errno, e.errno)}"
    finally:
        s.close()


def main() -> None:
    job = json.load(sys.stdin)
    timeout = float(job["timeout"])
    with ThreadPoolExecutor(max_workers=32) as pool:
        states = list(pool.map(lambda p: probe(p[0], p[1], int(p[2]), timeout), job["probes"]))
    json.dump(states, sys.stdout)


if __name__ == "__main__":
    main()
