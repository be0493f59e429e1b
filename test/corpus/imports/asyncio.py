# expect-status: error
# expect-error: ImportError: import of 'asyncio' is not allowed
# expect-output: ""
import asyncio
