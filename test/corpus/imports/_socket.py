# expect-status: error
# expect-error: ImportError: import of '_socket' is not allowed
# expect-output: ""
import _socket
