# expect-status: error
# expect-error: ImportError: import of 'importlib' is not allowed
# expect-output: ""
import importlib
