# A syntax error anywhere stops the whole program before it starts: nothing is printed.
# expect-status: error
# expect-error: SyntaxError: invalid syntax (line 3)
# expect-output: ""
print("never")
x = 1
x = = 2
