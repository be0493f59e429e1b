# expect-status: error
# expect-error: ImportError: import of 'signal' is not allowed
# expect-output: ""
import signal
