# Opening a socket.
# expect-status: error
# expect-error: ImportError: import of 'socket' is not allowed
# expect-output: ""
import socket
s = socket.create_connection(("example.com", 80), timeout=2)
s.sendall(b"GET / HTTP/1.0\r\n\r\n")
