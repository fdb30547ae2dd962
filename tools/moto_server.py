"""moto in server mode, strictly one request at a time.

moto is not safe for concurrent access: a conditional write or a transaction is a
read-check-write inside moto, so two concurrent requests could both pass their condition.
`moto_server` serves on several threads; this launcher serves moto's own WSGI application
(the one `moto_server` uses) from a single-threaded werkzeug server AND holds a lock around
each request, including the production of the response body.

Usage: python tools/moto_server.py PORT [HOST]   (PORT 0 picks a free port)
Prints one line `moto ready on http://HOST:PORT` once it accepts connections.
"""
import os
import sys
import threading
import time

from werkzeug.serving import make_server

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)


class SerializedApp:
    """Runs the wrapped WSGI app under one lock, body included."""

    def __init__(self, app):
        self._app = app
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        status = []

        def recording_start_response(code, headers, exc_info=None):
            status.append(code)
            return start_response(code, headers, exc_info)

        with self._lock:
            result = self._app(environ, recording_start_response)
            try:
                body = b"".join(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        if status and not status[0].startswith(("2", "3")) and b"ConditionalCheckFailed" not in body:
            # The AWS error the client got, for the log (moto's access log shows only the status).
            target = environ.get("HTTP_X_AMZ_TARGET", environ.get("PATH_INFO", ""))
            print(f"error {status[0]} {target}: {body[:500].decode('utf-8', 'replace')}", file=sys.stderr, flush=True)
        return [body]


def exit_with_parent():
    """No orphan even if the orchestrator is killed with SIGKILL: exit once re-parented."""
    parent = os.getppid()

    def watch():
        while True:
            time.sleep(1)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def main(argv):
    # Switch threads as often as possible: should a second thread ever serve requests again, the
    # lost updates show up in EmulatorLinearizabilityIT instead of hiding behind the GIL's 5 ms.
    sys.setswitchinterval(1e-6)
    port = int(argv[1]) if len(argv) > 1 else 4566
    host = argv[2] if len(argv) > 2 else "127.0.0.1"
    app = SerializedApp(DomainDispatcherApplication(create_backend_app))
    # threaded=False: one connection at a time (werkzeug then also answers with HTTP/1.0,
    # closing each connection, so no client can hold the server with an idle keep-alive).
    server = make_server(host, port, app, threaded=False, request_handler=MotoRequestHandler)
    actual_port = server.server_address[1]
    os.environ.setdefault("MOTO_PORT", str(actual_port))
    exit_with_parent()
    print(f"moto ready on http://{host}:{actual_port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main(sys.argv)
