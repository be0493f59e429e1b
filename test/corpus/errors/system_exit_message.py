# expect-status: error
# expect-error: SystemExit: stopping here
# expect-output: ""
raise SystemExit("stopping here")
