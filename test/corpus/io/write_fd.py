# expect-status: error
# expect-error: OSError: [Errno 30] Read-only file system: 1
# expect-output: ""
open(1, "w").write("forged")
