# expect-status: error
# expect-error: ImportError: import of 'threading' is not allowed
# expect-output: ""
import threading
