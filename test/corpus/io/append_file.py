# expect-status: error
# expect-error: OSError: [Errno 30] Read-only file system: 'notes.txt'
# expect-output: ""
open("notes.txt", "a")
