# expect-status: error
# expect-error: ImportError: import of 'pathlib' is not allowed
# expect-output: ""
import pathlib
