# The refusal is an ordinary OSError.
# expect-status: ok
# expect-output: "30 Read-only file system\n"
try:
    open("out.txt", "w")
except OSError as error:
    print(error.errno, error.strerror)
