# expect-status: error
# expect-error: ImportError: import of 'weakref' is not allowed
# expect-output: ""
import weakref
