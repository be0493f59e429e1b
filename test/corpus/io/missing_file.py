# expect-status: error
# expect-error: FileNotFoundError: [Errno 2] No such file or directory: 'data.csv'
# expect-output: ""
open("data.csv")
