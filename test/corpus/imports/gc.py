# expect-status: error
# expect-error: ImportError: import of 'gc' is not allowed
# expect-output: ""
import gc
