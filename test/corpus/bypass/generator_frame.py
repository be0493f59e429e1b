# expect-status: error
# expect-error: PermissionError: access to 'gi_frame' is not allowed
# expect-output: ""
def gen():
    yield 1


g = gen()
g.gi_frame.f_back.f_globals
