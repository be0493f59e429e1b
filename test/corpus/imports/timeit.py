# expect-status: error
# expect-error: ImportError: import of 'timeit' is not allowed
# expect-output: ""
import timeit
