# expect-status: error
# expect-error: ImportError: import of 'pty' is not allowed
# expect-output: ""
import pty
pty.fork()
