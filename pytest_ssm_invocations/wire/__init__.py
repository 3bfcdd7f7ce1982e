"""JSON 1.1 on the wire: requests decoded and checked, responses and errors encoded,
and the one exchange every transport calls."""

from .encoded import forget as forget
from .exchange import Exchanged as Exchanged
from .exchange import answers as answers
from .exchange import exchange as exchange
from .responses import dumps as dumps
from .responses import encode as encode
from .responses import encode_error as encode_error
from .responses import epoch_seconds as epoch_seconds
