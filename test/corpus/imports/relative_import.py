# expect-status: error
# expect-error: ImportError: attempted relative import with no known parent package
# expect-output: ""
from . import secrets_of_the_runner
