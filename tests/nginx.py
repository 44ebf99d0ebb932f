"""nginx from Debian as a real static host for tests and benchmarks.

Each server gets its own prefix, config and access log in a temporary folder, runs in
the foreground as a child process on a free port of 127.0.0.1, and is stopped on exit.
The access log records the bytes sent per request, so tests can add up what was served.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

_CONFIG = """
{user}
daemon off;
master_process on;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    types {{ video/mp4 mp4; text/vtt vtt; application/json json; image/jpeg jpg; }}
    default_type application/octet-stream;
    log_format bytes '$request_method $uri $status $body_bytes_sent "$http_range"';
    access_log {prefix}/access.log bytes;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        {extra}
    }}
}}
"""


@dataclass
class Nginx:
    url: str
    prefix: Path

    def log_lines(self) -> list[str]:
        log = self.prefix / "access.log"
        return log.read_text().splitlines() if log.exists() else []

    def bytes_served(self) -> int:
        """Body bytes sent, summed over the access log."""
        return sum(int(line.split()[3]) for line in self.log_lines())


def available() -> bool:
    return Path(NGINX).exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(root: Path, prefix: Path, *, extra: str = "") -> Iterator[Nginx]:
    """Serve `root` with nginx until the block ends; `extra` goes into the server block."""
    prefix.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    conf = prefix / "nginx.conf"
    # As root, nginx's workers would switch to an unprivileged user that cannot read a
    # private temporary folder; keep them as the current user.
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
    conf.write_text(_CONFIG.format(user=user, prefix=prefix, port=port, root=root.resolve(), extra=extra))
    proc = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"nginx did not start: {proc.stderr.read().decode(errors='replace')}"
                    ) from None
                time.sleep(0.05)  # polling a port for readiness, not standing in for an event
        yield Nginx(url=f"http://127.0.0.1:{port}/", prefix=prefix)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
