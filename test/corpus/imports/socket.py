# expect-status: error
# expect-error: ImportError: import of 'socket' is not allowed
# expect-output: ""
import socket
