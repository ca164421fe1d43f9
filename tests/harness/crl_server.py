"""A tiny HTTP server publishing a test PKI's CRL at a distribution point (the certificates'
cRLDistributionPoints name it). Runs on a thread of the harness; `stop()` closes the socket, so
the gateway's next fetch is refused exactly as when a real CRL server is down."""
import http.server
import threading

from gateway import free_port


class CrlServer:
    def __init__(self):
        self.files, self.requests = {}, {}
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                with outer.lock:
                    outer.requests[self.path] = outer.requests.get(self.path, 0) + 1
                    body = outer.files.get(self.path)
                if body is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/pkix-crl")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.running = True

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def publish(self, path, crl_file):
        with open(crl_file, "rb") as f:
            data = f.read()
        with self.lock:
            self.files[path] = data

    def request_count(self, path):
        """GETs of `path` so far; a GET counted after publish() was answered with the new file."""
        with self.lock:
            return self.requests.get(path, 0)

    def stop(self):
        if self.running:
            self.running = False
            self.server.shutdown()
            self.server.server_close()
