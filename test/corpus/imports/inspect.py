# expect-status: error
# expect-error: ImportError: import of 'inspect' is not allowed
# expect-output: ""
import inspect
