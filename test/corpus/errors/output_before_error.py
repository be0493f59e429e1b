# What was printed before the exception stays in the output; the traceback is not printed.
# expect-status: error
# expect-error: ValueError: invalid literal for int() with base 10: 'abc'
# expect-output: "start\nmiddle\n"
print("start")
print("middle")
int("abc")
print("never")
