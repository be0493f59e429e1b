# expect-status: error
# expect-error: OSError: [Errno 30] Read-only file system: 'x.txt'
# expect-output: ""
with open("x.txt", "w") as f:
    f.write("data")
