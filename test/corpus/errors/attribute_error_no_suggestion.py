# expect-status: error
# expect-error: AttributeError: 'list' object has no attribute 'apend'
# expect-output: ""
items = []
items.apend(1)
