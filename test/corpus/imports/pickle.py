# expect-status: error
# expect-error: ImportError: import of 'pickle' is not allowed
# expect-output: ""
import pickle
