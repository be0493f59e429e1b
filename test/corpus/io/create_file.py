# expect-status: error
# expect-error: OSError: [Errno 30] Read-only file system: '/tmp/new.txt'
# expect-output: ""
open("/tmp/new.txt", "x")
