# expect-status: error
# expect-error: ImportError: import of 'requests' is not allowed
# expect-output: ""
import requests
