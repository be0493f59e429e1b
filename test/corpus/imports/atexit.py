# expect-status: error
# expect-error: ImportError: import of 'atexit' is not allowed
# expect-output: ""
import atexit
