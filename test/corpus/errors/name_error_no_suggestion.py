# No "Did you mean" suggestion in the error line.
# expect-status: error
# expect-error: NameError: name 'valeu' is not defined
# expect-output: ""
value = 1
print(valeu)
