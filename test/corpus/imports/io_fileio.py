# io is limited to in-memory streams (and the read-only open).
# expect-status: error
# expect-error-matches: ^ImportError: cannot import name 'FileIO' from 'io'
# expect-output: ""
from io import FileIO
FileIO("x.txt", "w")
