# expect-status: error
# expect-error: ImportError: import of 'os' is not allowed
# expect-output: ""
__import__("os").system("id")
