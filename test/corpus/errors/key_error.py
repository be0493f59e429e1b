# expect-status: error
# expect-error: KeyError: 'missing'
# expect-output: ""
{}["missing"]
