# expect-status: error
# expect-error: ImportError: import of 'numpy' is not allowed
# expect-output: ""
import numpy
