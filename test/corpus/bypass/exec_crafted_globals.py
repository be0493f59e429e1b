# exec with globals of the program's choosing still imports through the policy.
# expect-status: error
# expect-error: ImportError: import of 'os' is not allowed
# expect-output: ""
exec("import os", {"__builtins__": {"__import__": __import__}})
