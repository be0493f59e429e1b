# expect-status: error
# expect-error: ImportError: import of '_thread' is not allowed
# expect-output: ""
import _thread
