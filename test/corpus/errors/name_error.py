# The spec's NameError.
# expect-status: error
# expect-error: NameError: name 'undefined_var' is not defined
# expect-output: ""
print(undefined_var)
