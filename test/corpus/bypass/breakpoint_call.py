# expect-status: error
# expect-error: NameError: name 'breakpoint' is not defined
# expect-output: ""
breakpoint()
