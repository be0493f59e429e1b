# A submodule of a blocked package is refused at the package.
# expect-status: error
# expect-error: ImportError: import of 'os' is not allowed
# expect-output: ""
import os.path
