class ApplicationError(Exception):
    """An error a person caused; ``message`` is shown to them as it is."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
