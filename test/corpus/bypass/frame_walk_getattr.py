# expect-status: error
# expect-error: PermissionError: access to 'gi_frame' is not allowed
# expect-output: ""
def gen():
    yield 1


frame = getattr(gen(), "gi_" + "frame")
