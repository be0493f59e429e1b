# expect-status: error
# expect-error: ImportError: import of 'ctypes' is not allowed
# expect-output: ""
import ctypes
