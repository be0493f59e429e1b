# expect-status: error
# expect-error: ImportError: import of 'multiprocessing' is not allowed
# expect-output: ""
import multiprocessing
while True:
    multiprocessing.Process(target=print).start()
